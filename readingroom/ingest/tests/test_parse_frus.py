"""The FRUS TEI parser on the six real volumes of the corpus, field by field, and on altered
copies of them written to tmp_path (truncated, duplicate xml:id). No database, no Django:
run with `-p no:django --noconftest`."""

from __future__ import annotations

import os
import re
import tracemalloc
from datetime import date, time
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from readingroom.conf import corpus
from readingroom.ingest.parsers.frus import parse_source_note, parse_volume
from readingroom.ingest.records import CollectionRecord, DocumentRecord, ParseError

FRUS = corpus() / "frus"
V05, V06, SUPP = "frus1961-63v05", "frus1961-63v06", "frus1961-63v10-12mSupp"
V12, V15, V22 = "frus1961-63v12", "frus1961-63v15", "frus1961-63v22"
DOCUMENTS = {V05: 390, V06: 120, SUPP: 746, V12: 434, V15: 256, V22: 385}
SOURCE_NOTES = {V05: 260, V06: 117, SUPP: 0, V12: 399, V15: 241, V22: 334}  # README table
DATED = {V05: 254, V06: 110, SUPP: 0, V12: 395, V15: 238, V22: 344}


@cache
def volume(name: str):
    record = parse_volume(FRUS / f"{name}.xml")
    return record, list(record.items)


def documents(name: str) -> dict[str, DocumentRecord]:
    return {i.identifier: i for i in volume(name)[1] if isinstance(i, DocumentRecord)}


def doc(name: str, xml_id: str) -> DocumentRecord:
    return documents(name)[f"{name}-{xml_id}"]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_counts_match_the_corpus_readme(name):
    docs = documents(name)
    assert len(docs) == DOCUMENTS[name]
    # every "Source:" note of the README's count yields a reference (v22 adds 13 "[Source:")
    with_reference = sum(1 for d in docs.values() if d.archival_references and not d.files)
    assert with_reference >= SOURCE_NOTES[name]
    dated = sum(1 for d in docs.values() if d.date.precision in ("day", "time", "month"))
    assert dated >= DATED[name]
    assert all(d.identifier.startswith(f"{name}-d") for d in docs.values())


def test_total_documents():
    assert sum(len(documents(n)) for n in DOCUMENTS) == 2331


def test_volume_header_v05():
    record, _ = volume(V05)
    assert record.identifier == V05
    assert record.title == (
        "Foreign Relations of the United States, 1961–1963, Volume V, Soviet Union"
    )
    assert (record.series, record.subseries, record.volume_number) == (
        "Foreign Relations of the United States",
        "1961–1963",
        "Volume V",
    )
    assert record.editors == ["Charles S. Sampson", "John Michael Joyce"]
    assert record.general_editors == ["David S. Patterson"]
    assert (record.published, record.isbn) == ("1998", "9780160420177")
    assert (record.publication_place, record.publisher) == (
        "Washington",
        "United States Government Printing Office",
    )
    assert record.source.importer == "frus" and record.source.id_in_source == V05
    assert record.source.file.endswith("frus1961-63v05.xml")


def test_header_is_filled_before_items_are_consumed():
    record = parse_volume(FRUS / f"{V12}.xml")
    assert record.identifier == V12 and record.entities and record.editors
    first = next(record.items)
    assert isinstance(first, CollectionRecord) and first.title == "Alliance for Progress"


def test_entities_persons_and_terms():
    record, _ = volume(V05)
    persons = {e.key: e for e in record.entities if e.kind == "person"}
    terms = {e.key: e for e in record.entities if e.kind == "term"}
    assert len(persons) > 100 and len(terms) > 50
    assert persons["p_AAI1"].name == "Adzhubei, Aleksei I."
    assert persons["p_AAI1"].identification == (
        "Editor in Chief of Izvestia and Khrushchev's son-in-law"
    )
    assert terms["t_ACDA1"].name == "ACDA"
    assert terms["t_ACDA1"].identification == "Arms Control and Disarmament Agency"
    assert not any(e.identification.startswith(",") for e in record.entities)


def test_no_chapters_in_v05_documents_belong_to_the_volume():
    _, items = volume(V05)
    assert not any(isinstance(i, CollectionRecord) for i in items)
    assert {c for d in documents(V05).values() for c in d.collections} == {V05}


def test_chapters_of_v12_in_order():
    _, items = volume(V12)
    chapters = [i for i in items if isinstance(i, CollectionRecord)]
    assert len(chapters) == 10
    assert [c.position for c in chapters] == list(range(1, 11))
    assert chapters[0].identifier == f"{V12}-ch1" and chapters[0].title == "Alliance for Progress"
    assert chapters[6].title == "The Dominican Republic"
    assert all(c.kind == "chapter" and c.parent == V12 for c in chapters)
    # each chapter comes before its documents, which name it
    seen: set[str] = set()
    for item in items:
        if isinstance(item, CollectionRecord):
            seen.add(item.identifier)
        else:
            assert item.collections[0] in seen
    assert doc(V12, "d1").collections == [f"{V12}-ch1"]


def test_d196_of_v05_field_by_field():
    d = doc(V05, "d196")
    assert d.source.id_in_source == f"{V05}/d196" and d.source.importer == "frus"
    assert [(i.scheme, i.value) for i in d.identifiers] == [("FRUS document number", "196")]
    assert d.title == "Telegram From the Embassy in the Soviet Union to the Department of State"
    assert d.document_type == "Telegram" and d.physical_form == "Textual"
    sender = [(a.name, a.kind) for a in d.agents if a.role == "sender"]
    recipient = [(a.name, a.kind) for a in d.agents if a.role == "recipient"]
    assert sender == [("Embassy in the Soviet Union", "organization")]
    assert recipient == [("Department of State", "organization")]
    assert [(p.name, p.role) for p in d.places] == [("Moscow", "written-at")]
    assert (d.date.precision, d.date.start, d.date.end) == (
        "time",
        date(1962, 5, 18),
        date(1962, 5, 18),
    )
    assert d.date.time_start == time(12, 0) and d.date.as_written == "May 18, 1962, noon."
    assert d.date.utc_offset_minutes is None
    assert d.classification.level == "secret" and d.classification.caveats == ["Limit Distribution"]
    ref = d.archival_references[0]
    assert "Department of State, Central Files, 101/5-1862" in ref.as_written
    assert (ref.repository, ref.series, ref.file) == (
        "Department of State",
        "Central Files",
        "101/5-1862",
    )
    mentioned = {a.ref: a.name for a in d.agents if a.role == "mentioned"}
    assert mentioned == {"p_SP1": "Salinger, Pierre", "p_AAI1": "Adzhubei, Aleksei I."}
    signed = {a.ref: a.name for a in d.agents if a.role == "signer"}
    assert signed == {"p_TLEJ1": "Thompson, Llewellyn E., Jr."}
    assert d.summary == "" and d.languages == ["en"] and d.state == "published"
    assert d.rights_uri == "https://creativecommons.org/publicdomain/mark/1.0/"
    assert d.rights_text.startswith("Public domain")
    assert d.collections == [V05]
    [text] = d.texts
    assert (text.kind, text.language, text.format) == ("original", "en", "html")
    assert '<p class="dateline">' in text.html and '<p class="signature">' in text.html
    assert '<p id="p1">3000. From Embassy point of view' in text.html


def test_footnotes_are_linked_both_ways_and_escaped():
    html = doc(V05, "d196").texts[0].html
    assert '<sup id="fnref-d196fn1"><a href="#d196fn1">1</a></sup>' in html
    assert '<aside class="footnotes"><ol><li id="d196fn1">Source: Department of State' in html
    assert '<a href="#fnref-d196fn1">↩</a></li>' in html
    linked = 0
    for d in documents(V05).values():
        for html in (t.html for t in d.texts):
            refs = re.findall(r'<sup id="fnref-([^"]+)"><a href="#\1">', html)
            notes = re.findall(r'<li id="([^"]+)">.*?<a href="#fnref-\1">↩</a></li>', html)
            assert sorted(refs) == sorted(notes) and len(set(refs)) == len(refs)
            linked += len(refs)
    assert linked > 700
    assert "&amp;" in "".join(t.html for d in documents(V12).values() for t in d.texts)


@pytest.mark.parametrize("name", [V06, V12])
def test_html_is_well_formed(name):
    for d in documents(name).values():
        for text in d.texts:
            etree.fromstring(f"<div>{text.html.replace('<br>', '<br/>')}</div>")


def test_page_breaks_become_anchors():
    html = "".join(t.html for d in documents(V05).values() for t in d.texts)
    assert '<span class="pb" id="pb-10" data-page="10"></span>' in html
    assert '<span class="pb" id="pb-440" data-page="440"></span>' in html  # between documents
    assert html.count('class="pb"') > 400


def test_mentions_resolve_to_entities():
    record, _ = volume(V22)
    keys = {e.key for e in record.entities}
    refs = [a.ref for d in documents(V22).values() for a in d.agents if a.role == "mentioned"]
    assert refs and sum(r in keys for r in refs) / len(refs) > 0.95
    for d in documents(V22).values():
        mentioned = [a.ref for a in d.agents if a.role == "mentioned"]
        assert len(mentioned) == len(set(mentioned))


def test_participants_and_subjects():
    d = doc(V05, "d21")  # memorandum of conversation with Menshikov, February 3, 1961
    participants = [a for a in d.agents if a.role == "participant"]
    assert participants[0].name == "Mikhail A. Menshikov"
    assert participants[0].ref == "p_MMA1" and participants[0].identification == "Soviet Ambassador"
    assert "SOV" in d.subjects
    assert (d.date.precision, d.date.time_start, d.date.time_end) == (
        "time",
        time(16, 30),
        time(17, 10),
    )


def test_v06_khrushchev_letter_with_untyped_source_note():
    d = doc(V06, "d21")
    assert d.title == "Letter From Chairman Khrushchev to President Kennedy"
    assert d.document_type == "Letter"
    assert [(a.role, a.name, a.ref) for a in d.agents[:2]] == [
        ("sender", "Khrushchev, Nikita S.", "p_KNS2"),
        ("recipient", "Kennedy, John F.", "p_KJF2"),
    ]
    assert d.classification.level == "no-marking"
    assert d.archival_references[0].as_written == (
        "Department of State, Presidential Correspondence: Lot 77 D 163"
    )
    assert (d.date.precision, d.date.start) == ("day", date(1961, 9, 29))
    assert "translation" in d.texts[0].html  # the rest of the source note stays in the footnote


def test_v06_undated_letter():
    d = doc(V06, "d14")
    assert d.date.precision == "undated" and d.date.as_written == "undated"
    assert any("d14: date without @when" in w for w in volume(V06)[0].warnings)


def test_v15_document():
    d = doc(V15, "d3")
    assert d.collections == [f"{V15}-ch1"]
    assert d.title == "Letter From Chairman Khrushchev to President Kennedy"
    assert d.places[0].name == "Moscow" and d.date.start == date(1962, 3, 10)
    assert d.classification.level == "no-marking"
    assert d.archival_references[0].file == "Lot 66 D 204"


def test_v22_document():
    d = doc(V22, "d100")
    assert d.document_type == "Draft Memorandum"
    assert [a.name for a in d.agents if a.role in ("sender", "recipient")] == [
        "Rusk, Dean",
        "Kennedy, John F.",
    ]
    assert d.classification.level == "secret" and d.subjects == ["FE"]
    assert d.archival_references[0].file == "411.9341/4-462"


def test_editorial_note_is_undated():
    d = doc(V05, "d197")
    assert d.document_type == "Editorial Note" and d.title == "Editorial Note"
    assert d.date.precision == "undated" and d.date.start is None
    assert d.classification.level == "not-recorded" and not d.archival_references
    assert d.texts[0].html.startswith('<div class="editorial-note">')


def test_range_date():
    d = doc(V05, "d266")
    assert (d.date.precision, d.date.start, d.date.end) == (
        "range",
        date(1962, 11, 15),
        date(1962, 11, 17),
    )


def test_microfiche_citation():
    d = doc(SUPP, "d1")
    assert d.title == "Telegram 430 from La Paz, February 9, 1961"
    assert d.document_type == "Telegram"
    assert (d.date.precision, d.date.start) == ("day", date(1961, 2, 9))
    assert d.classification.level == "unclassified"
    assert d.extent_pages == 1
    assert d.summary.startswith("Transmits text of Bolivian communique")
    assert [(i.scheme, i.value) for i in d.identifiers] == [("FRUS document number", "1")]
    assert d.archival_references[0].as_written == "DOS, CF, 611.247/2–961"
    assert d.texts == [] and d.citation_as_written.startswith("Telegram 430 from La Paz")
    assert d.collections == [f"{SUPP}-ch1"]


def test_microfiche_description_pages_and_frames():
    """Reproduction 3 of issue 19: the description, the page count and the frames."""
    d = doc(SUPP, "d433")
    assert d.title == "Memorandum from Kitchen to Nitze, October 27"
    assert d.document_type == "Memorandum"
    assert (d.date.precision, d.date.start) == ("day", date(1962, 10, 27))
    assert d.summary == (
        "Transmits memorandum from Raymond Garthoff on Khrushchev’s proposal for a "
        "Turkey–Cuba tradeoff. Attachment."
    )
    assert (d.classification.level, d.classification.marking) == ("secret", "Secret")
    assert d.extent_pages == 3
    [ref] = d.archival_references
    assert ref.as_written.startswith("WNRC, RG 330, OASD(C) A Files: FRC 71 A 2896")
    assert (ref.repository, ref.record_group) == ("WNRC", "330")
    # Frames and PDF size: a locator and a note on a file not held, never identifiers.
    assert [i.scheme for i in d.identifiers] == ["FRUS document number"]
    [pdf] = d.files
    assert (pdf.name, pdf.path, pdf.sha256) == (f"{SUPP}-d433.pdf", "", "")
    assert pdf.note.startswith("Microfiche 0022, frames 0092–0094.")
    assert "241,641 bytes" in pdf.note


def test_microfiche_marking_with_caveat_and_pages_first():
    d = doc(SUPP, "d278F")  # "... 5 pp. Secret; Eyes Only. CIA, DCI Files, ..."
    assert (d.classification.level, d.classification.caveats) == ("secret", ["Eyes Only"])
    assert d.extent_pages == 5
    assert d.archival_references[0].repository == "CIA"  # not "Only. CIA"
    assert d.archival_references[0].as_written.startswith("CIA, DCI Files")


def test_microfiche_without_marking_or_pages():
    d = doc(SUPP, "d428")  # description, then the reference: no marking, no page count
    assert d.summary.startswith("Briefing by General Carroll and Hughes of DIA;")
    assert d.classification.level == "not-recorded"
    assert d.archival_references[0].as_written.startswith("DOD, Office of the Chairman")
    d = doc(SUPP, "d659")  # "Secret Kennedy Library, NSF, ...": the marking lacks its stop
    assert d.classification.level == "secret"
    assert d.archival_references[0].as_written.startswith("Kennedy Library, NSF")
    d = doc(SUPP, "d637")  # the description opens with "Secret raid": not the marking
    assert d.summary == "Secret raid by L-66 exile group."
    assert d.classification.marking == "Secret" and d.extent_pages == 1


def test_every_supplement_entry_is_kept_whole():
    """Every word of every entry lands in a field: title, summary, marking, extent or
    reference, in this order (the citation as written is the evidence)."""
    entries = [d for d in documents(SUPP).values()]
    assert len(entries) == 746
    for d in entries:
        marking = " ".join([d.classification.marking, *d.classification.caveats])
        pages = f"{d.extent_pages} p" if d.extent_pages else ""
        references = [r.as_written for r in d.archival_references]
        fields = [d.title, d.summary, marking, pages, *references]
        held = re.findall(r"\w+", " ".join(fields).casefold())
        written = re.findall(r"\w+", d.citation_as_written.casefold())
        missing = [w for w in written if w not in held and w not in ("p", "pp")]
        assert not missing, (d.identifier, missing)
    # Counted in the file: 5 entries go from their title straight to the marking;
    # 734 print "N pp." or "1 p." (the 12 others' page count is "?" in the markup too);
    # 3 print no marking (d428, d627, d631).
    assert sum(bool(d.summary) for d in entries) == 741
    assert sum(d.extent_pages is not None for d in entries) == 734
    assert sum(d.classification.level != "not-recorded" for d in entries) == 743
    assert all(len(d.archival_references) == 1 for d in entries)


def test_microfiche_year_from_chapter_heading():
    d = doc(SUPP, "d289")  # "..., August 8, ..." in chapter "August 1962"
    assert d.title == (
        "Memorandum from William Harvey to McCone, August 8, with attached Operation Plan"
    )
    assert (d.date.precision, d.date.start) == ("day", date(1962, 8, 8))
    assert d.classification.level == "top-secret"
    assert d.extent_pages == 19 and d.summary == "Operation Mongoose future course of action."
    assert d.archival_references[0].as_written.startswith("CIA Files: Job 84–00499R, Box 1")
    assert d.archival_references[0].box == "1"
    d = doc(SUPP, "d586")  # chapter "Janaury 1963"
    assert (d.date.precision, d.date.start) == ("day", date(1963, 1, 2))


def test_microfiche_month_only_and_stray_elements():
    d = doc(SUPP, "d707")  # "..., September 1963."
    assert (d.date.precision, d.date.start, d.date.end) == (
        "month",
        date(1963, 9, 1),
        date(1963, 9, 30),
    )
    warnings = volume(SUPP)[0].warnings
    stray = [w for w in warnings if "<uh-oh>" in w]
    assert stray and all(w.startswith(f"{SUPP} d") for w in stray)
    assert len(stray) == len(set(stray))
    chapters = [i for i in volume(SUPP)[1] if isinstance(i, CollectionRecord)]
    assert len(chapters) == 57 and "Janaury 1963" in [c.title for c in chapters]


def test_source_note_helper():
    ref, marking = parse_source_note(
        "Source: Department of State, Central Files, 762.00/3–1362. "
        "Secret; Eyes Only. Drafted by Akalovsky."
    )
    assert ref.as_written == "Department of State, Central Files, 762.00/3–1362"
    assert (marking.level, marking.caveats) == ("secret", ["Eyes Only"])
    _, marking = parse_source_note("Source: X Files. Secret; Eyes Only for Under Secretary Ball.")
    assert (marking.level, marking.caveats) == ("secret", ["Eyes Only for Under Secretary Ball"])
    _, marking = parse_source_note("Source: Kennedy Library, NSF. No classification marking.")
    assert marking.level == "no-marking"
    _, marking = parse_source_note("Source: Kennedy Library. Printed in part in Declassified.")
    assert marking.level == "not-recorded"


def test_truncated_xml_raises_parse_error_naming_file_and_line(tmp_path):
    data = (FRUS / f"{V05}.xml").read_bytes()
    broken = tmp_path / "truncated.xml"
    broken.write_bytes(data[: len(data) // 2])
    record = parse_volume(broken)  # the front matter is whole
    with pytest.raises(ParseError) as caught:
        list(record.items)
    assert caught.value.file == str(broken) and caught.value.field == "xml"
    assert re.match(r"line \d+: ", caught.value.message)
    assert str(broken) in str(caught.value)

    front = tmp_path / "front.xml"
    front.write_bytes(data[:20000])
    with pytest.raises(ParseError, match=r"front\.xml: xml: line \d+"):
        parse_volume(front)


def test_duplicate_xml_id_is_reported_and_made_unique(tmp_path):
    text = (FRUS / f"{V06}.xml").read_text(encoding="utf-8")
    assert 'xml:id="d3" n="3"' in text
    copy = tmp_path / "dup.xml"
    copy.write_text(text.replace('xml:id="d3" n="3"', 'xml:id="d2" n="3"'), encoding="utf-8")
    record = parse_volume(copy)
    docs = [i for i in record.items if isinstance(i, DocumentRecord)]
    ids = [d.identifier for d in docs]
    assert len(ids) == 120 and len(set(ids)) == 120
    assert f"{V06}-d2-2" in ids
    assert [w for w in record.warnings if "duplicate" in w] == [
        f"{V06}: duplicate xml:id 'd2'; later document read as d2-2"
    ]


def test_upstream_min_max_attributes(tmp_path):
    text = (FRUS / f"{V06}.xml").read_text(encoding="utf-8")
    text = text.replace(
        'xml:id="d1" n="1"',
        'xml:id="d1" n="1" '
        'frus:doc-dateTime-min="1960-11-09T10:00:00+03:00" '
        'frus:doc-dateTime-max="1960-11-09T10:00:00+03:00"',
        1,
    )
    text = text.replace(
        'xml:id="d2" n="2"',
        'xml:id="d2" n="2" '
        'frus:doc-dateTime-min="1961-02-13T00:00:00-05:00" '
        'frus:doc-dateTime-max="1961-02-13T23:59:59-05:00"',
        1,
    )
    copy = tmp_path / "upstream.xml"
    copy.write_text(text, encoding="utf-8")
    docs = {d.identifier: d for d in parse_volume(copy).items}
    first, second = docs[f"{V06}-d1"].date, docs[f"{V06}-d2"].date
    assert (first.precision, first.start, first.time_start, first.utc_offset_minutes) == (
        "time",
        date(1960, 11, 9),
        time(10, 0),
        180,
    )
    assert (second.precision, second.start, second.utc_offset_minutes) == (
        "day",
        date(1961, 2, 13),
        -300,
    )


def _rss() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_memory_stays_bounded_while_streaming_v22():
    # Measured: tracemalloc peak about 0.5 MB, RSS growth about 1.5 MB (a whole tree: ~16 MB).
    tracemalloc.start()
    try:
        record = parse_volume(FRUS / f"{V22}.xml")
        start = _rss() if Path("/proc/self/statm").exists() else None
        peak_rss, count = 0.0, 0
        for _item in record.items:
            count += 1
            if start is not None:
                peak_rss = max(peak_rss, _rss() - start)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 389
    assert peak < 10_000_000
    assert peak_rss < 10_000_000


def test_memorandum_address_lists_and_signers() -> None:
    nsam = doc(V12, "d103")  # an action memorandum addressed to several offices
    recipients = [a.name for a in nsam.agents if a.role == "recipient"]
    assert recipients[:4] == ["The Secretary of State", "The Secretary of Defense",
                              "The Chairman, Joint Chiefs of Staff",
                              "The Director of Central Intelligence"]  # fmt: skip
    signers = sum(a.role == "signer" for _, items in map(volume, DOCUMENTS) for d in items
                  if isinstance(d, DocumentRecord) for a in d.agents)  # fmt: skip
    assert signers > 100


def test_names_in_a_head_without_a_type_keep_their_role() -> None:
    roles = {
        (V05, "d2"): [("Bruce, David K.E.", "author")],  # "David K.E. Bruce Diary Entry"
        (V05, "d4"): [("Kennedy, John F.", "participant"), ("Stevenson, Adlai E.", "participant")],
        (V05, "d343"): [("Rusk, Dean", "sender"), ("Department of State", "recipient")],
        (V05, "d357"): [("McCone, John A.", "recipient")],  # "Memorandum for Director ..."
        (V12, "d352"): [("Dungan, Ralph A.", "sender"), ("Kennedy, John F.", "recipient")],
        (V12, "d44"): [("Morales-Carrion, Arturo", "author")],  # "... for Inter-American Affairs"
        (V22, "d163"): [("Cline, Ray S.", "author")],  # "Deputy Director for Intelligence"
    }
    for (name, xml_id), expected in roles.items():
        agents = [(a.name, a.role) for a in doc(name, xml_id).agents]
        assert agents[: len(expected)] == expected, (xml_id, agents)


@pytest.mark.parametrize("name", [V05, V06, V12, V15, V22])
def test_every_name_in_a_printed_head_is_an_agent(name: str) -> None:
    """Each persName of a head (outside its notes), and each typed gloss, gives the
    record an agent; each source note an archival reference."""
    tei = "{http://www.tei-c.org/ns/1.0}"
    checked = 0
    for div in etree.parse(str(FRUS / f"{name}.xml")).getroot().iter(f"{tei}div"):
        if div.get("type") != "document":
            continue
        record = doc(name, div.get("{http://www.w3.org/XML/1998/namespace}id"))
        written = {a.name_as_written for a in record.agents}
        head = div.find(f"{tei}head")
        for el in head.iter(f"{tei}persName", f"{tei}gloss"):
            in_note = any(a.tag == f"{tei}note" for a in el.iterancestors())
            if in_note or (el.tag == f"{tei}gloss" and not el.get("type")):
                continue
            checked += 1
            assert " ".join("".join(el.itertext()).split()) in written, record.identifier
        notes = [n for n in head.iter(f"{tei}note") if "Source:" in "".join(n.itertext())[:10]]
        assert not notes or record.archival_references, record.identifier
    assert checked > 100


def test_microfiche_title_ends_where_the_description_starts() -> None:
    """A title is type, from/to (or participants) and date; what describes the document
    is the summary, even where the entry runs it on after the date."""
    cases = {
        "d524": ("Memorandum for the record, November 13, prepared by Colonel Julian J. Ewell",
                 "Covering a JCS paper entitled “Assessment of Increased Conventional"),
        "d305": ("Memorandum of meeting with the President, September 25",
                 "Proposed Donovan negotiations for release of Cuban exile prisoners"),
        "d692": ("Memorandum of telephone conversation between Kaysen and Ball, June 24",
                 "U-2 reconnaissance flights over Cuba."),
        "d48": ("Memorandum of conversation, February 25, 1961, between Lleras Camargo and "
                "Adolf A. Berle, Jr.", "General exchange of views including: economic"),
        "d706": ("Memorandum from Hurwitch to the Special Group, August 12",
                 "3 pages of source text not declassified."),
    }  # fmt: skip
    for xml_id, (title, summary) in cases.items():
        d = doc(SUPP, xml_id)
        assert (d.title, d.summary[: len(summary)]) == (title, summary), xml_id
    dated = doc(SUPP, "d259")  # "... from January 1960 to April 19, 1961, dated April 23"
    assert (dated.date.start, dated.summary) == (date(1961, 4, 23), "")
