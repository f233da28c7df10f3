"""Issue 19, reproduction 5: names and repositories from the sources, read through the
mapping tables (`catalogue/data/names.json`, `repository_spellings.json`) on the real
release lists, FRUS volumes and seed pages, as the importers read them. No database."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from readingroom.conf import corpus
from readingroom.conftest import SEED_000, SEED_003
from readingroom.ingest import names, repositories
from readingroom.ingest.importers import IMPORTERS
from readingroom.ingest.names import read_name
from readingroom.ingest.records import AgentRecord, DocumentRecord
from readingroom.ingest.tests.nara_fixtures import NARA, parsed

FRUS = corpus() / "frus"


@cache
def frus(name: str) -> dict[str, DocumentRecord]:
    volume = IMPORTERS["frus"].parse_volume(FRUS / name)
    return {i.identifier: i for i in volume.items if isinstance(i, DocumentRecord)}


def nara(identifier: str) -> DocumentRecord:
    return next(d for d in parsed(NARA).documents if d.identifier == identifier)


def links(agents: list[AgentRecord], role: str) -> list[tuple]:
    return [(a.name, a.kind, a.office, a.note, a.withheld) for a in agents if a.role == role]


# --- withheld names: a redaction on the link, never an agent ------------------------------


def test_a_withheld_name_is_a_redaction_on_the_link_with_its_role_and_office() -> None:
    assert links(nara("104-10113-10428").agents, "recipient") == [  # To `((DELETED))`
        ("", "person", "", "", True)
    ]
    assert links(nara("104-10005-10125").agents, "author") == [  # `ACTING CHIEF OF STATION
        ("", "person", "ACTING CHIEF OF STATION", "", True)  #  ((DELETED))`
    ]
    assert links(nara("104-10070-10253").agents, "author") == [  # `CHIEF OF STATION, (WITHHELD)`
        ("", "person", "CHIEF OF STATION", "", True)
    ]
    assert names.WITHHELD in nara("104-10113-10428").mapped


def test_no_agent_of_the_three_lists_is_a_withheld_marker_or_a_memo_to_the_file() -> None:
    agents = [a for d in parsed(NARA).documents for a in d.agents]
    named = {a.name.upper() for a in agents}
    markers = ["DELETED", "DELETION", "WITHHELD", "RESTRICTED"]
    assert not [n for n in named if any(m in n for m in markers)]
    assert not named & {"MFR", "MEMO FOR THE RECORD", "FOR THE RECORD", "FILE", "NONE"}
    withheld = [a for a in agents if a.withheld]
    assert len(withheld) > 1700 and all(not a.name for a in withheld)  # 1,725 records


# --- offices and stations: positions and organizations, not persons --------------------


def test_office_titles_are_positions_with_their_office_an_organization() -> None:
    damage_report = nara("104-10121-10174")
    assert links(damage_report.agents, "recipient") == [  # `CHIEF, FAR EAST DIVISION`
        ("FAR EAST DIVISION", "organization", "CHIEF", "", False)
    ]
    readings = {
        "DIRECTOR": ("", "person", "DIRECTOR"),
        "DIRECTOR, FBI": ("Federal Bureau of Investigation", "organization", "DIRECTOR"),
        "COS JMWAVE": ("JMWAVE", "organization", "COS"),
        "SAC, MM": ("MM", "organization", "SAC"),
        "C/WH/4": ("WH/4", "organization", "CHIEF"),
        "CHIEF, WH": ("WH", "organization", "CHIEF"),  # WH Division here, not the White House
        "DIRECTOR OF SECURITY": ("", "person", "DIRECTOR OF SECURITY"),
    }
    for cell, expected in readings.items():
        (link,) = read_name(cell, "person", "recipient").links
        assert (link.name, link.kind, link.office) == expected, cell


def test_stations_and_offices_written_as_names_are_organizations() -> None:
    for cell in ["MEXICO CITY", "JMWAVE", "HQ", "WH/MIAMI", "MM", "CABLE SECRETARIAT"]:
        reading = read_name(cell, "person", "recipient")
        assert reading.rule == names.OFFICE, cell
        assert [(x.name, x.kind) for x in reading.links] == [(cell, "organization")]
    cable = read_name("JMWAVE INFO DIRECTOR", "person", "recipient").links
    assert [(x.name, x.office, x.note) for x in cable] == [
        ("JMWAVE", "", ""),
        ("", "DIRECTOR", "information copy"),
    ]


def test_persons_keep_their_names_and_get_their_office() -> None:
    for cell in ["PAPICH", "BLAKEY, G. ROBERT", "ROEMER, WILLIAM F. JR.", "J. BARRY HARRELSON"]:
        assert read_name(cell, "person", "author").rule == "", cell
    (link,) = read_name("BRECKINRIDGE, SCOTT D., OLC", "person", "author").links
    assert (link.name, link.kind, link.office) == ("BRECKINRIDGE, SCOTT D.", "person", "OLC")
    (link,) = read_name("DC/SAG, BROWN, JERRY G.", "person", "author").links
    assert (link.name, link.office) == ("BROWN, JERRY G.", "DC/SAG")


# --- FRUS participants: notes, headings, offices beside names ---------------------------


def participant(volume: str, written: str) -> AgentRecord:
    return next(
        a
        for d in frus(volume).values()
        for a in d.agents
        if a.role == "participant" and a.name_as_written == written
    )


def test_frus_participants_that_are_not_names() -> None:
    akalovsky = participant("frus1961-63v05.xml", "D—Mr. Akalosvky (interpreting)")
    assert (akalovsky.name, akalovsky.office, akalovsky.note) == (
        "Mr. Akalosvky",
        "D",
        "interpreting",
    )
    listed = participant("frus1961-63v05.xml", "Listed on Page 4")
    assert (listed.name, listed.note, listed.withheld) == ("", "Listed on Page 4", False)
    side = participant("frus1961-63v05.xml", "USSR")
    assert (side.name, side.note) == ("", "USSR")
    president = participant("frus1961-63v05.xml", "The President")
    assert (president.name, president.office) == ("", "The President")


def test_every_frus_agent_that_is_a_name_shape_is_counted_once_per_record() -> None:
    records = [d for name in ("frus1961-63v05.xml", "frus1961-63v12.xml") for d in
               frus(name).values()]  # fmt: skip
    counts = Counter(rule for d in records for rule in d.mapped)
    assert counts[names.NOTE] >= 2 and counts[names.HEADING] >= 10
    assert all(len(set(d.mapped)) == len(d.mapped) for d in records)
    assert all(rule in names.RULES + repositories.RULES for rule in counts)


# --- repositories: typos, abbreviations, files, mis-split notes -------------------------


def repository_of(volume: str, written_start: str) -> tuple[str, str]:
    refs = [r for d in frus(volume).values() for r in d.archival_references
            if r.as_written.startswith(written_start)]  # fmt: skip
    assert refs, written_start
    return refs[0].repository, refs[0].series


@pytest.mark.parametrize(
    ("volume", "written", "repository"),
    [
        ("frus1961-63v05.xml", "Department of Sate", "U.S. Department of State"),
        ("frus1961-63v05.xml", "Central Intellience Agency", "Central Intelligence Agency"),
        ("frus1961-63v10-12mSupp.xml", "CIA, DCI", "Central Intelligence Agency"),
        ("frus1961-63v10-12mSupp.xml", "CIA Files", "Central Intelligence Agency"),
    ],
)
def test_repository_spellings_are_one_repository(volume, written, repository) -> None:
    assert repository_of(volume, written)[0] == repository


def test_supplement_references_start_at_the_repository() -> None:
    """A supplement head's marking ("Secret; Eyes Only.") ends before its reference
    starts: no reference begins with the marking's last word, so the mapping table's
    'Only. CIA' spelling is a safety net, not the way such a head is read."""
    refs = [r.as_written for d in frus("frus1961-63v10-12mSupp.xml").values()
            for r in d.archival_references]  # fmt: skip
    assert refs and not [r for r in refs if r.startswith("Only.")]
    assert repository_of("frus1961-63v10-12mSupp.xml", "CIA")[0] == "Central Intelligence Agency"


def test_a_series_written_into_the_name_and_printed_works() -> None:
    assert repositories.read_repository("Department of State Central Files") == (
        "U.S. Department of State",
        "Central Files",
        repositories.SERIES,
    )
    printed = repositories.read_repository("Problems of Communism")
    assert printed == ("", "", repositories.PUBLICATION)
    assert repositories.read_repository("Dalton Archive") is None  # unknown: the loader reports it


def test_the_seed_pages_need_no_mapping() -> None:
    for seed in (SEED_000, SEED_003):
        record = IMPORTERS["pages"].parse_file(seed)
        assert record.mapped == []
