"""The page-capture parser, field by field, on the two real seed captures and on altered
copies of them built in memory. The captures are read from the corpus folder; no copy of
their text lives in the repository. No database, no Django."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from readingroom.conf import env
from readingroom.ingest.parsers.pages import (
    parse_classification,
    parse_date,
    parse_page,
    parse_page_file,
    parse_reference,
)
from readingroom.ingest.records import ParseError

SEEDS = Path(env("READINGROOM_CORPUS")) / "seeds"
F000 = "000_b8f08a8b72a18c0b.txt"
F003 = "003_72ecfa0892306d99.txt"
TITLE_000 = (
    "From the Journal of A.I. Alekseyev, 'Record of a Conversation with Raul Castro Ruz, "
    "Minister of the Armed Forces of the Republic of Cuba, 25 February 1963'"
)
TITLE_003 = "Soviet Report on Havana's Plan to Train Latin American Partisans"


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def lines_of(text: str) -> list[str]:
    return text.split("\n")


def index_of(lines: list[str], start: str) -> int:
    """Index of the one line that starts (after its indentation) with `start`."""
    found = [i for i, line in enumerate(lines) if line.strip().startswith(start)]
    assert len(found) == 1, f"{start!r} found {len(found)} times"
    return found[0]


def drop(text: str, *starts: str) -> str:
    lines = lines_of(text)
    for start in starts:
        del lines[index_of(lines, start)]
    return "\n".join(lines)


def cut(text: str, first: str, stop: str | None = None) -> tuple[str, str]:
    """Remove the lines from the one starting with `first` up to the one starting with
    `stop` (or the end); returns (what is left, what was cut)."""
    lines = lines_of(text)
    i = index_of(lines, first)
    j = index_of(lines, stop) if stop else len(lines)
    return "\n".join(lines[:i] + lines[j:]), "\n".join(lines[i:j])


def insert_after(text: str, start: str, block: str) -> str:
    lines = lines_of(text)
    i = index_of(lines, start)
    return "\n".join([*lines[: i + 1], "", block, "", *lines[i + 1 :]])


def body_paragraphs(record) -> list[str]:
    return re.findall(r'<p id="p\d+">(.*?)</p>', record.texts[0].html)


@pytest.fixture(scope="module")
def r000():
    return parse_page_file(SEEDS / F000)


@pytest.fixture(scope="module")
def r003():
    return parse_page_file(SEEDS / F003)


# -- seed 000 ------------------------------------------------------------------------


def test_000_source_and_identifier(r000):
    assert r000.source.importer == "pages"
    assert r000.source.file == str(SEEDS / F000)
    assert r000.source.id_in_source == "b8f08a8b72a18c0b"
    assert r000.identifier == "page-b8f08a8b72a18c0b"


def test_000_date_and_title(r000):
    assert r000.date.precision == "day"
    assert r000.date.as_written == "April 5, 1963"
    assert (r000.date.start, r000.date.end) == (date(1963, 4, 5), date(1963, 4, 5))
    assert r000.title == TITLE_000


def test_000_funders_classification_and_number(r000):
    assert r000.funders == ["Blavatnik Family Foundation"]
    assert r000.classification.level == "top-secret"
    assert r000.classification.marking == "Top Secret"
    assert r000.classification.caveats == ["Copy Nº 1"]
    assert [(i.scheme, i.value) for i in r000.identifiers] == [("Outgoing number", "119")]


def test_000_archival_reference(r000):
    [ref] = r000.archival_references
    assert ref.as_written == "AVP RF, f. 0104, op. 19, p. 124, d. 3, l. 89"
    assert ref.repository == "AVP RF"
    assert (ref.fond, ref.opis, ref.papka, ref.delo, ref.list) == ("0104", "19", "124", "3", "89")
    assert ref.file == ref.volume == ref.box == ref.folder == ref.record_group == ""


def test_000_agents(r000):
    assert [(a.name, a.role, a.kind) for a in r000.agents] == [
        ("James G. Hershberg", "obtained-by", "person"),
        ("Gary Goldberg", "translated-by", "person"),
    ]


def test_000_rights_and_labelled_fields(r000):
    first, second = r000.rights_text.split("\n\n")
    assert first.startswith("The History and Public Policy Program welcomes reuse")
    assert first.endswith("to reproduce their materials.")
    assert second.startswith("To enquire about this document's rights status")
    assert r000.rights_uri == ""
    assert r000.source_uploaded_on is None
    assert r000.document_type == "Memorandum of Conversation"
    assert r000.source_record_id == ""
    assert r000.citation_as_written == ""


def test_000_summary(r000):
    assert r000.summary.startswith("Raul Castro discusses an initiative to send Cuban servicemen")
    assert r000.summary.endswith("after reports of indoctrination.")
    assert "Raul Castro discusses" not in r000.texts[0].html


def test_000_text(r000):
    [text] = r000.texts
    assert (text.kind, text.language, text.format) == ("translation", "en", "html")
    assert text.translator == "Gary Goldberg"
    paragraphs = body_paragraphs(r000)
    assert len(paragraphs) == 12
    assert paragraphs[0] == "5 April 1963"
    assert paragraphs[1] == "from the journal of"
    assert paragraphs[5].startswith("I had a conversation with Raul Castro")
    assert paragraphs[-1].startswith("Castro approved of our tactic")
    assert r000.languages == ["en"]
    assert r000.files == []


# -- seed 003 ------------------------------------------------------------------------


def test_003_source_date_and_title(r003):
    assert r003.source.id_in_source == "72ecfa0892306d99"
    assert r003.identifier == "page-72ecfa0892306d99"
    assert r003.date.precision == "day"
    assert r003.date.as_written == "April 14, 1962"
    assert (r003.date.start, r003.date.end) == (date(1962, 4, 14), date(1962, 4, 14))
    assert r003.title == TITLE_003


def test_003_citation_and_reference(r003):
    assert r003.citation_as_written.startswith(f'"{TITLE_003}," April 14, 1962, History and')
    assert r003.citation_as_written.endswith("File 88497, vol 1.")
    [ref] = r003.archival_references
    repository = "Archive of the Federal Intelligence Service of the Russian Federation"
    assert ref.as_written == f"{repository}, File 88497, vol 1"
    assert ref.repository == repository
    assert (ref.file, ref.volume) == ("88497", "1")
    assert ref.fond == ref.opis == ref.delo == ref.list == ""


def test_003_summary(r003):
    assert r003.summary.startswith("Report on a conversation between the Cuban Minister")
    assert r003.summary.endswith("help their brothers in the neighbor countries.")
    assert "Report on a conversation" not in r003.texts[0].html


def test_003_funders_classification_and_empty_fields(r003):
    assert r003.funders == ["Leon Levy Foundation"]
    assert r003.classification.level == "top-secret"
    assert r003.classification.marking == "Top Secret"
    assert r003.classification.caveats == []
    assert r003.document_type == r003.rights_text == r003.source_record_id == ""
    assert r003.agents == [] and r003.identifiers == []
    assert r003.source_uploaded_on is None


def test_003_text_and_file(r003):
    [text] = r003.texts
    assert (text.kind, text.language, text.format, text.translator) == (
        "translation",
        "en",
        "html",
        "",
    )
    paragraphs = body_paragraphs(r003)
    assert len(paragraphs) == 6
    assert paragraphs[0] == "14 April 1962"
    assert paragraphs[1].startswith("In addition to previously sent reports")
    assert paragraphs[-1].startswith("At the end of the discussion VALDEZ")
    assert r003.languages == ["en"]
    [pdf] = r003.files
    assert pdf.name == "page-72ecfa0892306d99.pdf"
    assert (pdf.media_type, pdf.role, pdf.path) == ("application/pdf", "original", "")
    assert pdf.note == (
        "The captured page shows a PDF of the original; the file itself is not in the capture."
    )


# -- both seeds ----------------------------------------------------------------------

LEAKS = [
    "Skip to content",
    "Search in",
    "International History Declassified",
    "get citation",
    "share document",
    "Citation",
    "English HTML",
    "Web browser",
    "Click here",
    "PDFs cannot",
    "Document Information",
    "Top Secret",
    "Outgoing",
    "made possible",
    "Original Uploaded",
    "Record ID",
    "Original Classification",
    "Foundation",
    "Memorandum of Conversation",
    "Obtained by",
    "welcomes reuse",
    "•",
]


@pytest.mark.parametrize("name", [F000, F003])
def test_no_noise_or_block_line_in_body(name):
    html = parse_page(seed(name), name).texts[0].html
    for leak in LEAKS:
        assert leak not in html, leak


@pytest.mark.parametrize("name", [F000, F003])
def test_paragraph_ids_are_sequential(name):
    html = parse_page(seed(name), name).texts[0].html
    ids = re.findall(r'<p id="p(\d+)">', html)
    assert ids == [str(n) for n in range(1, len(ids) + 1)]
    assert html.count("<p ") == html.count("</p>") == len(ids)


def test_html_escapes_markup():
    text = insert_after(seed(F000), "I replied that", "Rates: 1 < 2 & <b>x</b>")
    html = parse_page(text, F000).texts[0].html
    assert "Rates: 1 &lt; 2 &amp; &lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>" not in html


# -- altered copies ------------------------------------------------------------------


@pytest.mark.parametrize("name", [F000, F003])
def test_funder_line_moved_to_end(name):
    original = parse_page(seed(name), name)
    lines = lines_of(seed(name))
    funder_line = lines.pop(index_of(lines, "This document was made possible"))
    moved = parse_page("\n".join([*lines, "", funder_line]), name)
    assert moved.content_hash() == original.content_hash()


def test_funder_line_dropped():
    assert parse_page(drop(seed(F003), "This document was made possible"), F003).funders == []
    # 000 still names its funder in the closing line of Document Information.
    record = parse_page(drop(seed(F000), "This document was made possible"), F000)
    assert record.funders == ["Blavatnik Family Foundation"]


def test_document_information_moved_before_body(r000):
    rest, block = cut(seed(F000), "Raul Castro discusses")  # summary, heading, fields, funder
    moved = parse_page(insert_after(rest, "Outgoing Nº 119", block), F000)
    assert moved.content_hash() == r000.content_hash()
    right_after_title = parse_page(insert_after(rest, "From the Journal of", block), F000)
    assert right_after_title.content_hash() == r000.content_hash()


def test_labelled_fields_swapped(r000):
    rest, _ = cut(seed(F000), "Original Uploaded Date")
    swapped = (
        "Original Classification\n\nTop Secret\n\n\nRecord ID\n\n\nOriginal Uploaded Date\n\n\n"
        "Memorandum of Conversation\n\n\nBlavatnik Family Foundation"
    )
    record = parse_page(rest + "\n" + swapped, F000)
    assert record.content_hash() == r000.content_hash()


def test_labelled_fields_with_values():
    rest, _ = cut(seed(F000), "Original Uploaded Date")
    filled = (
        "Record ID\n\n119283\n\nOriginal Uploaded Date\n\nNovember 23, 2011\n\n"
        "Letter\n\nOriginal Classification\n\nSecret\n\nBlavatnik Family Foundation"
    )
    record = parse_page(drop(rest, "Top Secret Copy") + "\n" + filled, F000)
    assert record.source_record_id == "119283"
    assert record.source_uploaded_on == date(2011, 11, 23)
    assert record.document_type == "Letter"
    assert (record.classification.level, record.classification.marking) == ("secret", "Secret")


def test_labelled_fields_dropped():
    rest, _ = cut(seed(F000), "Original Uploaded Date")
    record = parse_page(rest + "\nBlavatnik Family Foundation\n", F000)
    assert record.document_type == "" and record.source_record_id == ""
    assert record.rights_text.startswith("The History and Public Policy Program")
    assert record.funders == ["Blavatnik Family Foundation"]
    assert len(body_paragraphs(record)) == 12


def test_rights_paragraph_without_keywords():
    lines = lines_of(seed(F000))
    lines[index_of(lines, "To enquire about")] = "Contact the program for details."
    record = parse_page("\n".join(lines), F000)
    assert record.rights_text.endswith("\n\nContact the program for details.")
    assert record.document_type == "Memorandum of Conversation"
    assert "Contact the program" not in record.texts[0].html


def test_document_information_dropped():
    # Without it (and without a citation) nothing says where the document comes from:
    # that is a capture cut short, not a page (issue 19, reproduction 4).
    rest, _ = cut(seed(F000), "Document Information")
    with pytest.raises(ParseError) as caught:
        parse_page(rest, F000)
    assert (caught.value.file, caught.value.field) == (F000, "source")
    # Any part of it is enough: the rights and labelled fields without the source.
    record = parse_page(drop(seed(F000), "AVP RF, f. 0104"), F000)
    assert record.archival_references == [] and record.agents == []
    assert record.classification.caveats == ["Copy Nº 1"]


def test_source_paragraph_dropped():
    record = parse_page(drop(seed(F000), "AVP RF, f. 0104"), F000)
    assert record.archival_references == [] and record.agents == []
    assert record.rights_text.startswith("The History and Public Policy Program")
    assert record.document_type == "Memorandum of Conversation"


def test_citation_dropped_title_from_line_after_date():
    rest, _ = cut(seed(F003), "• Citation", "• share document")
    titled = insert_after(rest, "April 14, 1962", "Valdez on partisans")
    # 003 has no Document Information block: without its citation it names no source.
    with pytest.raises(ParseError) as caught:
        parse_page(titled, F003)
    assert (caught.value.file, caught.value.field) == (F003, "source")
    record = parse_page(titled + "\n\nDocument Information\n\nFSB Archive, File 88497.\n", F003)
    assert record.title == "Valdez on partisans"
    assert record.summary == record.citation_as_written == ""
    assert record.archival_references[0].as_written == "FSB Archive, File 88497"
    assert len(body_paragraphs(record)) == 6


def test_citation_moved_to_end(r003):
    rest, bullet = cut(seed(F003), "• Citation", "• share document")
    moved = parse_page(rest + "\n" + bullet + "\n", F003)
    assert moved.content_hash() == r003.content_hash()


def test_citation_summary_dropped(r003):
    lines = lines_of(seed(F003))
    del lines[index_of(lines, "Report on a conversation between")]
    record = parse_page("\n".join(lines), F003)
    assert record.summary == ""
    assert record.title == TITLE_003
    assert record.texts == r003.texts


def test_classification_line_dropped():
    record = parse_page(drop(seed(F000), "Top Secret Copy"), F000)
    # The "Original Classification" field still says it, without the copy number.
    assert (record.classification.level, record.classification.marking) == (
        "top-secret",
        "Top Secret",
    )
    assert record.classification.caveats == []
    lines = lines_of(seed(F003))
    del lines[max(i for i, line in enumerate(lines) if line == "Top Secret")]
    bare = parse_page("\n".join(lines), F003)
    assert bare.classification.level == "not-recorded"
    assert bare.classification.marking == "" and bare.classification.caveats == []


def test_classification_moved_after_body(r003):
    lines = lines_of(seed(F003))
    lines.remove("Top Secret")
    record = parse_page("\n".join([*lines, "", "Top Secret"]), F003)
    assert record.content_hash() == r003.content_hash()


def test_language_line_dropped_or_changed(r003):
    dropped = parse_page(drop(seed(F003), "English HTML"), F003)
    assert dropped.texts[0].language == "en"  # the text plainly reads as English
    assert dropped.languages == ["en"]
    russian = parse_page(seed(F003).replace("\nEnglish HTML\n", "\nRussian HTML\n"), F003)
    assert russian.languages == ["ru"]


def test_pdf_viewer_dropped_or_moved(r003):
    rest, viewer = cut(seed(F003), "It appears your Web browser")
    dropped = parse_page(rest, F003)
    assert dropped.files == []
    assert dropped.texts == r003.texts
    moved = parse_page(insert_after(rest, "English HTML", viewer), F003)
    assert moved.content_hash() == r003.content_hash()


def test_ui_bullet_noise_and_number_dropped(r000, r003):
    rest, _ = cut(seed(F003), "• share document", "English HTML")
    plain = parse_page(drop(rest, "Search in", "Digital Archive International"), F003)
    assert plain.content_hash() == r003.content_hash()
    record = parse_page(drop(seed(F000), "Skip to content", "Outgoing Nº"), F000)
    assert record.identifiers == []
    assert body_paragraphs(record) == body_paragraphs(r000)


def test_date_line_precision():
    month = parse_page(seed(F000).replace("April 5, 1963", "April 1963", 1), F000).date
    assert (month.precision, month.as_written) == ("month", "April 1963")
    assert (month.start, month.end) == (date(1963, 4, 1), date(1963, 4, 30))
    year = parse_page(seed(F000).replace("April 5, 1963", "1963", 1), F000).date
    assert (year.precision, year.start, year.end) == ("year", date(1963, 1, 1), date(1963, 12, 31))
    european = parse_page(seed(F000).replace("April 5, 1963", "5 April 1963", 1), F000).date
    assert (european.precision, european.start) == ("day", date(1963, 4, 5))


def test_file_stem_without_underscore():
    record = parse_page(seed(F003), "captures/page.txt")
    assert record.source.id_in_source == "page"
    assert record.identifier == "page-page"
    assert record.source.file == "captures/page.txt"


# -- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_empty_file_raises(text):
    with pytest.raises(ParseError) as caught:
        parse_page(text, "empty.txt")
    assert caught.value.file == "empty.txt"
    assert caught.value.field == "text"


def test_missing_date_raises():
    with pytest.raises(ParseError) as caught:
        parse_page(drop(seed(F000), "April 5, 1963"), F000)
    assert (caught.value.file, caught.value.field) == (F000, "date")
    assert F000 in str(caught.value)


def test_impossible_date_raises():
    with pytest.raises(ParseError) as caught:
        parse_page(seed(F000).replace("April 5, 1963", "February 30, 1963", 1), F000)
    assert caught.value.field == "date"


def test_noise_only_page_raises():
    with pytest.raises(ParseError) as caught:
        parse_page("Skip to content\n\nSearch in\n", "noise.txt")
    assert (caught.value.file, caught.value.field) == ("noise.txt", "date")


@pytest.mark.parametrize("name", [F000, F003])
def test_a_capture_cut_short_is_refused(name):
    """Issue 19, reproduction 4: seed 000 cut at 300 bytes was published with the body
    "5 April 1". Cut anywhere before the block that names its source, a capture is
    refused, naming the file and what is missing."""
    data = (SEEDS / name).read_bytes()
    source = data.index({F000: b"AVP RF, f. 0104", F003: b'"Soviet Report'}[name])
    for size in [300, *range(400, source, 97)]:
        text = data[:size].decode("utf-8", errors="ignore")
        with pytest.raises(ParseError) as caught:
            parse_page(text, name)
        assert caught.value.file == name and caught.value.field in ("date", "title", "source")
    assert parse_page(seed(name), name).texts  # the whole capture still reads


def test_missing_title_raises():
    with pytest.raises(ParseError) as caught:
        parse_page(drop(seed(F000), "From the Journal of"), F000)
    assert (caught.value.file, caught.value.field) == (F000, "title")
    rest, _ = cut(seed(F003), "• Citation", "• share document")
    with pytest.raises(ParseError) as caught:  # the body's dateline is not a title
        parse_page(rest, F003)
    assert caught.value.field == "title"


def test_not_utf8_file_raises(tmp_path):
    path = tmp_path / "009_deadbeef.txt"
    path.write_bytes(b"April 5, 1963\n\n\xff\xfe title\n")
    with pytest.raises(ParseError) as caught:
        parse_page_file(path)
    assert (caught.value.file, caught.value.field) == (str(path), "text")


# -- value parsers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marking", "level", "caveats"),
    [
        ("Secret", "secret", []),
        ("Confidential", "confidential", []),
        ("Restricted", "restricted", []),
        ("Limited Official Use", "restricted", []),
        ("Official Use Only", "restricted", []),
        ("For Official Use Only", "restricted", []),
        ("Unclassified", "unclassified", []),
        ("No classification marking", "no-marking", []),
        ("Top Secret Copy No. 3", "top-secret", ["Copy No. 3"]),
        ("Secret, Eyes Only, Nodis", "secret", ["Eyes Only", "Nodis"]),
        ("Of Special Importance Top Secret", "top-secret", ["Of Special Importance"]),
        ("Top Secret Making copies prohibited", "top-secret", ["Making copies prohibited"]),
        ("Secret Personal Priority", "secret", ["Personal", "Priority"]),
    ],
)
def test_classification_markings(marking, level, caveats):
    found = parse_classification(marking)
    assert (found.level, found.caveats) == (level, caveats)


@pytest.mark.parametrize("line", ["Secretariat meeting", "Personal", "Secret talks began", ""])
def test_not_a_marking(line):
    assert parse_classification(line) is None


def test_date_parser_spans():
    assert parse_date("February 1964").end == date(1964, 2, 29)
    assert parse_date("Sept. 9, 1962").start == date(1962, 9, 9)
    assert parse_date("Outgoing 1963") is None
    assert parse_date("Memorandum of Conversation") is None


def test_reference_parts_other_archives():
    ref = parse_reference("National Archives, RG 59, Box 3, Folder 12")
    assert ref.repository == "National Archives"
    assert (ref.record_group, ref.box, ref.folder) == ("59", "3", "12")


def test_funder_with_leading_the():
    text = seed(F000).replace(
        "support from Blavatnik", "support from the Leon Levy Foundation and the Blavatnik", 1
    )
    assert parse_page(text, F000).funders == ["Leon Levy Foundation", "Blavatnik Family Foundation"]
