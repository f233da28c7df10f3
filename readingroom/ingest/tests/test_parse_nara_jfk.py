"""The NARA JFK parser on the real release lists and scans of the corpus: counts, fields,
dates, originators, duplicates (bad input: test_parse_nara_jfk_bad_input.py). No
database, no Django: run with `-p no:django --noconftest`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from readingroom.catalogue.organizations import (
    ORGANIZATIONS,
    canonical_organization,
    load_organizations,
    spellings,
)
from readingroom.ingest.names import NAME_WITH_OFFICE, NO_AGENT
from readingroom.ingest.parsers.nara_dates import (
    ImpossibleDate,
    day_of,
    document_date,
    parse_nara_date,
)
from readingroom.ingest.parsers.nara_jfk import RIGHTS_URI, SCAN_LIST
from readingroom.ingest.parsers.nara_jfk_fields import archival_reference, is_placeholder
from readingroom.ingest.tests.nara_fixtures import (
    ITKIN,
    L2021,
    L2022,
    L2023,
    NARA,
    SCANS,
    doc,
    documents,
    parsed,
    sheet,
)

# --- the real corpus -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "rows", "distinct"),
    [(L2021, 1491, 1491), (L2022, 13263, 13177), (L2023, 2693, 2677)],
)
def test_counts_per_list_match_the_corpus_readme(path, rows, distinct):
    result = parsed(path)
    assert result.errors == []
    assert len(result.documents) == distinct
    assert sum(len(r.rows) for d in result.documents for r in d.releases) == rows
    assert all(r.list_name == path.name for d in result.documents for r in d.releases)


def test_whole_folder():
    result = parsed(NARA)
    assert result.errors == []
    # A record for what each list says of each record number, and one for each scan;
    # the records of one number come together.
    ids = [d.identifier for d in result.documents]
    assert ids == sorted(ids)
    assert len(ids) == 1491 + 13177 + 2677 + 45 == result.expected  # each list, each scan
    folded = documents(NARA)
    assert len(folded) == 14666
    files = [f for d in folded.values() for f in d.files]
    assert len(files) == 45
    assert sum(f.pages for f in files) == 143
    assert all(d.state == "published" for d in folded.values())  # every scan is listed
    assert not any("not in organizations.json" in w for w in result.warnings)


def test_the_2023_list_holds_six_release_dates():
    dates = {r.released_on for d in parsed(L2023).documents for r in d.releases}
    assert sorted(dates) == [
        date(2023, 4, 13),
        date(2023, 4, 27),
        date(2023, 5, 11),
        date(2023, 6, 13),
        date(2023, 6, 27),
        date(2023, 8, 24),
    ]


def test_itkin_releases_from_two_lists_and_the_scan():
    d = doc(ITKIN)
    assert [(r.released_on, r.list_name) for r in d.releases] == [
        (date(2022, 12, 15), "jfk2022.xlsx"),
        (date(2023, 6, 27), L2023.name),
        (date(2025, 3, 18), SCAN_LIST),
    ]
    r2022, r2023, scan = d.releases
    assert (r2022.prior_status, r2022.review_date, r2022.rows) == (
        "Redact",
        date(2021, 5, 7),
        [2163],
    )
    assert (r2022.file_name, r2022.pages_released) == ("2022/104-10107-10135.pdf", 5)
    assert (r2023.review_date, r2023.rows, r2023.file_name) == (
        date(2023, 6, 15),
        [163],
        "2023/104-10107-10135.pdf",
    )
    assert (scan.file_name, scan.pages_released, scan.rows) == (f"{ITKIN}.pdf", 5, [])
    assert d.source_uploaded_on == date(2022, 12, 15)


def test_itkin_catalogue_fields_from_the_newest_row():
    d = doc(ITKIN)
    assert (d.source.importer, d.source.file, d.source.id_in_source) == (
        "nara-jfk",
        str(L2023),
        ITKIN,
    )
    assert d.title == "HERBERT ITKIN"
    assert (d.date.precision, d.date.start, d.date.end, d.date.as_written) == (
        "day",
        date(1969, 1, 31),
        date(1969, 1, 31),
        "01/31/1969",
    )
    assert d.document_type == d.physical_form == "PAPER - TEXTUAL DOCUMENT"
    assert d.extent_pages == 5
    assert d.classification.level == "not-recorded"
    assert d.rights_uri == RIGHTS_URI == "http://rightsstatements.org/vocab/NoC-US/1.0/"
    assert "17 U.S.C. § 105" in d.rights_text
    assert d.languages == ["en"]
    assert [(i.scheme, i.value) for i in d.identifiers] == [
        ("NARA record number", ITKIN),
        ("Agency file number", "80T01357A"),
    ]
    agents = [(a.name, a.role, a.kind, a.office, a.name_as_written) for a in d.agents]
    assert agents == [  # To is `MFR`, a memo for the record: no recipient
        ("Central Intelligence Agency", "originator", "organization", "", "CIA"),
        ("GREANEY, J.K.", "author", "person", "OGC", "GREANEY, J.K., OGC"),
    ]
    assert d.mapped == [NAME_WITH_OFFICE, NO_AGENT]
    (ref,) = d.archival_references
    assert (ref.repository, ref.series, ref.file, ref.box, ref.folder) == (
        "National Archives and Records Administration",
        "JFK",
        "80T01357A",
        "JFK38",
        "F9",
    )
    assert ref.as_written == (
        "Record Series: JFK; File Num: 80T01357A; Comments: JFK38 : F9 : 1994.04.07.16:15:07:590006"
    )
    assert d.collections == ["jfk-cia"]


def test_scans_are_checked_files_of_their_records():
    sums = dict(reversed(line.split()) for line in (NARA / "SHA256SUMS").read_text().splitlines())
    assert len(sums) == 45
    for name, sha256 in sums.items():
        d = doc(Path(name).stem)
        (f,) = d.files
        assert (f.name, f.sha256, f.media_type, f.role) == (
            name,
            sha256,
            "application/pdf",
            "original",
        )
        assert f.path == str(SCANS / name) and f.note == "NARA release of 2025-03-18"
        assert d.releases[-1].released_on == date(2025, 3, 18)
        assert d.releases[-1].pages_released == f.pages > 0
    assert len(doc(ITKIN).releases) == 3 and doc("104-10100-10034").files[0].pages >= 1
    assert sum(1 for n in sums if len(doc(Path(n).stem).releases) == 3) == 19  # README


@pytest.mark.parametrize(
    ("identifier", "list_name", "written", "precision", "start", "end"),
    [
        ("104-10001-10008", "jfk2021.xlsx", "03/26/1964", "day", date(1964, 3, 26), None),
        (
            "157-10002-10003",
            "jfk2021.xlsx",
            "05/00/1975",
            "month",
            date(1975, 5, 1),
            date(1975, 5, 31),
        ),
        (
            "157-10004-10138",
            "jfk2021.xlsx",
            "00/00/1976",
            "year",
            date(1976, 1, 1),
            date(1976, 12, 31),
        ),
        ("104-10054-10060", "jfk2021.xlsx", "01/01/2000", "undated", None, None),  # Excel 0000
        ("124-10167-10375", "jfk2021.xlsx", "00/00/0000", "undated", None, None),
        ("176-10036-10023", L2023.name, "8/00/1963", "month", date(1963, 8, 1), date(1963, 8, 31)),
        (
            "198-10004-10076",
            "jfk2022.xlsx",
            "00/00/1963",
            "year",
            date(1963, 1, 1),
            date(1963, 12, 31),
        ),
        ("104-10049-10230", "jfk2022.xlsx", "01/01/0000", "undated", None, None),
        ("104-10177-10076", "jfk2022.xlsx", "11/29/0000", "undated", None, None),
        ("194-10001-10430", "jfk2022.xlsx", "00/00/00", "undated", None, None),
        ("124-10203-10000", "jfk2022.xlsx", "", "undated", None, None),
        (
            "176-10037-10120",
            "jfk2022.xlsx",
            "12/00/63",
            "month",
            date(1963, 12, 1),
            date(1963, 12, 31),
        ),
        (
            "176-10037-10460",
            "jfk2022.xlsx",
            "00/00/63",
            "year",
            date(1963, 1, 1),
            date(1963, 12, 31),
        ),
        (
            "144-10001-10375",
            "jfk2022.xlsx",
            "0/0/1964",
            "year",
            date(1964, 1, 1),
            date(1964, 12, 31),
        ),
    ],
)
def test_date_forms_of_real_rows(identifier, list_name, written, precision, start, end):
    d = doc(identifier)
    assert Path(d.source.file).name == list_name
    assert (d.date.as_written, d.date.precision) == (written, precision)
    assert (d.date.start, d.date.end) == (start, end or start)


def test_undated_is_never_the_first_of_january():
    for d in parsed(NARA).documents:
        if d.date.precision == "undated":
            assert d.date.start is None and d.date.end is None
        else:
            assert d.date.start.year > 1900 and d.date.start <= d.date.end


@pytest.mark.parametrize(
    ("cell", "precision", "start", "end"),
    [
        ("03/31/1964", "day", date(1964, 3, 31), date(1964, 3, 31)),
        (" 03/31/1964 ", "day", date(1964, 3, 31), date(1964, 3, 31)),
        (date(1963, 11, 22), "day", date(1963, 11, 22), date(1963, 11, 22)),
        (datetime(1963, 11, 22), "day", date(1963, 11, 22), date(1963, 11, 22)),
        ("08/00/1963", "month", date(1963, 8, 1), date(1963, 8, 31)),
        ("02/00/1964", "month", date(1964, 2, 1), date(1964, 2, 29)),
        ("00/00/1963", "year", date(1963, 1, 1), date(1963, 12, 31)),
        ("12/00/63", "month", date(1963, 12, 1), date(1963, 12, 31)),
        ("1963-11-22", "day", date(1963, 11, 22), date(1963, 11, 22)),
        ("01/01/0000", "undated", None, None),
        ("00/00/0000", "undated", None, None),
        ("11/29/0000", "undated", None, None),
        ("00/00/00", "undated", None, None),
        ("", "undated", None, None),
        (None, "undated", None, None),
    ],
)
def test_parse_nara_date(cell, precision, start, end):
    record = parse_nara_date(cell)
    assert (record.precision, record.start, record.end) == (precision, start, end)
    if isinstance(cell, str) or cell is None:
        assert record.as_written == (cell or "").strip()


def test_parse_nara_date_keeps_times_and_excel_dates_as_written():
    record = parse_nara_date(datetime(1963, 11, 22, 12, 30))
    assert (record.precision, record.start, str(record.time_start)) == (
        "time",
        date(1963, 11, 22),
        "12:30:00",
    )
    assert parse_nara_date(date(1964, 3, 26)).as_written == "03/26/1964"
    assert document_date(date(2000, 1, 1)).precision == "undated"  # Excel's 01/01/0000
    assert parse_nara_date(date(2000, 1, 1)).precision == "day"  # but a real day elsewhere


@pytest.mark.parametrize(
    "cell", ["02/30/1963", "13/00/1963", "00/12/1963", "1963", "late 1963", "01/01/0019", 4.5]
)
def test_impossible_dates_raise(cell):
    with pytest.raises(ImpossibleDate):
        parse_nara_date(cell)


def test_day_of_reads_release_and_review_dates():
    assert day_of("12/15/2022") == date(2022, 12, 15)
    assert day_of(date(2021, 12, 15)) == date(2021, 12, 15)
    assert day_of("") is None and day_of("00/00/0000") is None
    with pytest.raises(ImpossibleDate):
        day_of("12/00/2022")  # a release is on a day
    with pytest.raises(ImpossibleDate):
        day_of("02/30/2022")


# --- originators, agents, collections ------------------------------------------------


def test_originator_synonyms_share_one_collection_and_one_name():
    spelled = doc("124-90041-10023")  # Originator `CENTRAL INTELLIGENCE AGENCY`
    coded = doc(ITKIN)  # Originator `CIA`
    assert spelled.collections == coded.collections == ["jfk-cia"]
    assert spelled.agents[0].name == coded.agents[0].name == "Central Intelligence Agency"
    assert spelled.agents[0].name_as_written == "CENTRAL INTELLIGENCE AGENCY"
    rock, rockefeller = doc("157-10004-10283"), doc("178-10002-10265")
    assert rock.collections == rockefeller.collections == ["jfk-rock"]
    assert (
        rock.agents[0].name
        == rockefeller.agents[0].name
        == ("Commission on CIA Activities within the United States")
    )


def test_repeated_lines_of_a_cell_are_one_originator():
    d = doc("144-10001-10113")  # Originator `NSA\nNSA\nNSA\nNSA\nNSA`
    originators = [a for a in d.agents if a.role == "originator"]
    assert [(a.name, a.kind) for a in originators] == [("National Security Agency", "organization")]
    assert originators[0].name_as_written == "NSA\nNSA\nNSA\nNSA\nNSA"
    assert d.collections == ["jfk-nsa"]


def test_person_and_placeholder_originators():
    ruby = doc("180-10073-10093")
    assert (ruby.agents[0].name, ruby.agents[0].kind) == ("RUBY, SAMUEL", "person")
    assert ruby.collections == ["jfk"]
    private = doc("104-10229-10440")  # Originator `PRIVATE`
    assert not [a for a in private.agents if a.role == "originator"]
    assert private.collections == ["jfk"]


def test_collections_root_then_one_group_per_organization_by_name():
    collections = parsed(NARA).collections
    root, *groups = collections
    assert (root.identifier, root.title, root.kind, root.parent) == (
        "jfk",
        "JFK Assassination Records Collection",
        "series",
        "",
    )
    assert all(g.parent == "jfk" and g.kind == "group" for g in groups)
    titles = [g.title for g in groups]
    assert titles == sorted(titles, key=str.casefold)
    assert [g.position for g in groups] == list(range(1, len(groups) + 1))
    by_id = {g.identifier: g.title for g in groups}
    assert len(by_id) == len(groups)
    assert by_id["jfk-cia"] == "Central Intelligence Agency"
    assert by_id["jfk-hsca"] == "House Select Committee on Assassinations"
    assert by_id["jfk-sscia"].startswith("Senate Select Committee to Study Governmental")
    used = {c for d in parsed(NARA).documents for c in d.collections}
    assert used == {c.identifier for c in collections}


def test_addressees_recognized_organizations_and_placeholders():
    d = doc("124-90041-10023")  # From `CIA`
    assert ("Central Intelligence Agency", "author", "organization") in [
        (a.name, a.role, a.kind) for a in d.agents
    ]
    for cell in ["FOR THE RECORD", "MEMO FOR THE RECORD.", "MFR", "NONE", "N/A", "UNKNOWN",
                 "NOT GIVEN", "MULTIPLE ADDRESSEES", "BOOK MESSAGE (MULTIPLE ADDEES)",
                 "FILE, CIA", " "]:  # fmt: skip
        assert is_placeholder(cell), cell
    for cell in ["DIRECTOR", "MFR/MR. GREENE", "RECORDER, HMAB, CIA", "FILE ROOM", "HQ",
                 "WITHHELD", "[RESTRICTED]"]:  # fmt: skip
        assert not is_placeholder(cell), cell  # the name rules read these
    named = [a.name for d in parsed(NARA).documents for a in d.agents]
    assert not {"WITHHELD", "MFR", "FOR THE RECORD", "[RESTRICTED]", "NONE"} & set(named)


def test_canonical_organization():
    assert canonical_organization("CIA") == "Central Intelligence Agency"
    assert canonical_organization("c.i.a.") == "Central Intelligence Agency"
    assert (
        canonical_organization("U.S. Army")
        == canonical_organization("USA")
        == ("United States Army")
    )
    assert canonical_organization(" Central  intelligence agency ") == (
        "Central Intelligence Agency"
    )
    assert (
        canonical_organization("DOS") == canonical_organization("STATE") == ("Department of State")
    )
    assert canonical_organization("DEPT. OF DEFENSE") == canonical_organization("DOD")
    assert canonical_organization("WH") == "White House"
    assert canonical_organization("ARRB") == "Assassination Records Review Board"
    assert canonical_organization("AISC") == "AISC"  # unsure: its own organization
    assert canonical_organization("RUBY, EARL") is None
    assert canonical_organization("PRIVATE") is None
    assert all(e["name"] and isinstance(e["other_names"], list) for e in ORGANIZATIONS)


def test_every_originator_of_the_lists_is_known():
    """A new spelling in a future list is a decision to take, not a silent new agent."""
    placeholders = {
        "",
        "PRIVATE",
        "CITIZEN",
        "FORGOVT",
        "MULTIPLE",
        "NOTAPP",
        "SEE TITLE",
        "UNKNOWN",
    }
    persons = {"RUBY, EARL", "RUBY, SAMUEL", "VITATE, GUY", 'BARBEE, EMMETT "CHARLES"'}
    for path in (L2021, L2022, L2023):
        rows = sheet(path)
        column = rows[0].index("Originator")
        for row in rows[1:]:
            for line in set(str(row[column]).split("\n")):
                line = line.strip()
                assert canonical_organization(line) or line in placeholders | persons, line


def test_a_spelling_of_two_organizations_is_refused(tmp_path):
    data = tmp_path / "organizations.json"
    data.write_text(
        '[{"name": "A", "abbreviation": "X", "other_names": []},'
        ' {"name": "B", "abbreviation": "", "other_names": ["x."]}]'
    )
    with pytest.raises(ValueError, match=r"'x\.' names both 'A' and 'B'"):
        load_organizations(data)
    assert spellings({"name": "A", "abbreviation": "", "other_names": ["B"]}) == ["A", "B"]


# --- duplicates and references -------------------------------------------------------


def test_duplicate_rows_are_one_release_with_their_differences():
    d = documents(L2022)["124-10185-10098"]
    (release,) = d.releases
    assert release.rows == list(range(10226, 10236))
    assert release.file_name == "2022/124-10185-10098[c06668041].pdf"  # the first row's
    assert release.pages_released == 9
    names, pages = release.differences
    assert names.startswith("File Name: '2022/124-10185-10098[c06668041].pdf' (row 10226) / ")
    assert "'3' (rows 10227, 10232)" in pages and pages.startswith("Pages Released: ")
    warnings = [w for w in parsed(L2022).warnings if "124-10185-10098" in w]
    assert len(warnings) == 1
    assert str(L2022) in warnings[0] and "rows 10226, 10227" in warnings[0]
    merged = [r for d in parsed(L2022).documents for r in d.releases if len(r.rows) > 1]
    assert sum(len(r.rows) - 1 for r in merged) == 86  # README: 86 duplicate rows


def test_one_record_in_two_releases_of_one_list():
    d = doc("104-10105-10271")
    assert [(r.released_on, r.list_name, r.rows) for r in d.releases] == [
        (date(2022, 12, 15), "jfk2022.xlsx", [2062]),
        (date(2023, 6, 27), L2023.name, [144]),
        (date(2023, 8, 24), L2023.name, [2]),
    ]
    assert Path(d.source.file).name == L2023.name and d.date.as_written == "09/19/1974"


@pytest.mark.parametrize(
    ("comments", "box", "folder", "volume"),
    [
        ("JFK38 : F9 : 1994.04.07.16:15:07:590006 :", "JFK38", "F9", ""),
        ("OSW7 : V32B : 1993.05.17.15:42:24:000003 : DOCUMENT HAS NOTE", "OSW7", "", "V32B"),
        ("JFK64-6 : F4A : 20040301-1052113 :", "JFK64-6", "F4A", ""),
        ("JFK-RH03 : F0061-II : 20040324-1064211 :", "JFK-RH03", "F0061-II", ""),
        ("Box #:1.", "1", "", ""),
        ("BOX 450-4", "450-4", "", ""),
        ("CCBOX 443", "443", "", ""),
        ("SSCI Box 290, Folder 9", "290", "9", ""),
        ("Box 244Folder 5", "244", "5", ""),
        ("Califano Papers, Box 3, Folder 10.  Paper of unknown origin", "3", "10", ""),
        ("NSF:CO:Cuba, Intelligence, Vol. I:Box 51", "51", "", ""),
        ("INC FOLDER, MEMO", "", "", ""),
        ("RPT", "", "", ""),
    ],
)
def test_locators_in_comments(comments, box, folder, volume):
    ref = archival_reference("JFK", "", comments)
    assert (ref.box, ref.folder, ref.volume) == (box, folder, volume)
    assert ref.as_written.startswith("Record Series: JFK; Comments: ")
    remarks = " ".join(comments.split(" : ")[-1].rstrip(" :").split())  # on one line
    assert remarks in ref.as_written


def test_untitled_rows_get_a_devised_title_in_brackets():
    assert doc("124-90041-10023").title == "[Untitled CIA record 124-90041-10023]"
    titles = [d.title for d in parsed(NARA).documents]
    assert all(titles)
    assert any("=====" in t for t in titles)  # redaction marks kept as catalogued


def test_the_streamed_set_is_the_listed_set() -> None:
    """The importer reads the set as it streams (documents built one by one, after the
    collections): the same records, collections and notes as the whole list."""
    from readingroom.ingest.importers import mapped
    from readingroom.ingest.parsers.nara_jfk import stream_release_set

    whole = parsed(NARA)  # as the importer reads it: through the name rules
    streamed = stream_release_set([NARA])
    assert streamed.collections == whole.collections  # known before any document
    assert streamed.expected == len(whole.documents)
    assert not isinstance(streamed.documents, list)
    assert [mapped(d) for d in streamed.documents] == whole.documents
    assert (streamed.warnings, streamed.errors) == (whole.warnings, whole.errors)
