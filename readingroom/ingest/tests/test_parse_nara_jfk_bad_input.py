"""The NARA JFK parser on altered copies of real lists and scans written to tmp_path
(missing and extra columns, rows without a record number, impossible dates, broken
PDFs): each failure names the file (and row, column), the rest still parses."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from readingroom.ingest.parsers.nara_jfk import parse_release_set
from readingroom.ingest.tests.nara_fixtures import (
    ITKIN,
    L2021,
    L2022,
    RELEASES,
    SCANS,
    sample,
    write_xlsx,
)

# --- bad input -------------------------------------------------------------------------


def test_a_list_missing_a_needed_column_refuses_the_whole_set(tmp_path):
    rows = sample()
    dropped = [rows[0].index("Title"), rows[0].index("Doc Date")]
    broken = write_xlsx(
        tmp_path / "no-title.xlsx", [[c for i, c in enumerate(r) if i not in dropped] for r in rows]
    )
    result = parse_release_set([broken, L2021, SCANS / f"{ITKIN}.pdf"])
    assert result.errors == [
        f"{broken}: missing needed column Document Date / Doc Date",
        f"{broken}: missing needed column Title",
        f"{broken}: cannot be used, so nothing was imported (release lists are imported"
        " together): fix the list or leave it out",
    ]
    assert list(result.documents) == [] and result.collections == []


def test_every_column_the_corpus_readme_names_is_needed_but_agency(tmp_path):
    rows = sample()
    for column in rows[0]:
        if column == "Agency":
            continue
        i = rows[0].index(column)
        path = write_xlsx(tmp_path / "cut.xlsx", [r[:i] + r[i + 1 :] for r in rows])
        result = parse_release_set([path])
        assert result.errors[0].startswith(f"{path}: missing needed column ")
        assert column in result.errors[0] and list(result.documents) == []
    agency = rows[0].index("Agency")
    path = write_xlsx(tmp_path / "no-agency.xlsx", [r[:agency] + r[agency + 1 :] for r in rows])
    assert parse_release_set([path]).errors == []


def test_unknown_column_is_one_warning_and_ignored(tmp_path):
    rows = [[*r, "extra"] for r in sample()]
    rows[0][-1] = "Reviewer"
    path = write_xlsx(tmp_path / "extra.xlsx", rows)
    result = parse_release_set([path])
    assert result.errors == []
    assert result.warnings == [f"{path}: unknown column(s) ignored: 'Reviewer'"]
    assert sum(len(r.rows) for d in result.documents for r in d.releases) == 30


def test_row_without_record_number_is_an_error_and_skipped(tmp_path):
    rows = sample()
    rows[5][rows[0].index("Record Num")] = ""
    rows[7][rows[0].index("Record Num")] = "not-a-number"
    rows[9][rows[0].index("NARA Release Date")] = ""
    rows.insert(12, [""] * len(rows[0]))  # an empty row is no row: no error
    path = write_xlsx(tmp_path / "gap.xlsx", rows)
    result = parse_release_set([path])
    assert result.errors == [
        f"{path}: row 6: no record number (Record Number / Record Num); skipped",
        f"{path}: row 8: Record Number / Record Num: 'not-a-number' is not a record number"
        " (NNN-NNNNN-NNNNN); skipped",
        f"{path}: row 10: NARA Release Date: empty; skipped",
    ]
    releases = [r for d in result.documents for r in d.releases]
    assert sum(len(r.rows) for r in releases) == 27
    assert 14 in {n for r in releases for n in r.rows}  # rows below the empty one count on


def test_impossible_date_is_undated_with_a_warning(tmp_path):
    rows = sample()
    doc_date, review = rows[0].index("Doc Date"), rows[0].index("Review Date")
    rows[3][doc_date], rows[4][review] = "02/30/1963", "13/45/2023"
    path = write_xlsx(tmp_path / "dates.xlsx", rows)
    result = parse_release_set([path])
    number = rows[3][rows[0].index("Record Num")]
    d = next(d for d in result.documents if d.identifier == number)
    assert (d.date.precision, d.date.as_written, d.date.start) == ("undated", "02/30/1963", None)
    assert any(
        w.startswith(f"{path}: row 4: Doc Date: ") and "02/30/1963" in w for w in result.warnings
    )
    assert any(w.startswith(f"{path}: row 5: Review Date: ") for w in result.warnings)


def test_excel_dates_and_text_partial_dates_in_one_list(tmp_path):
    rows = sample()
    doc_date, release = rows[0].index("Doc Date"), rows[0].index("NARA Release Date")
    rows[1][doc_date], rows[2][doc_date] = date(1963, 11, 22), "08/00/1963"
    for row in rows[1:]:
        row[release] = date(2021, 12, 15)
    path = write_xlsx(tmp_path / "excel.xlsx", rows)
    by_id = {d.identifier: d for d in parse_release_set([path]).documents}
    number = rows[0].index("Record Num")
    first, second = by_id[rows[1][number]], by_id[rows[2][number]]
    assert (first.date.precision, first.date.start, first.date.as_written) == (
        "day",
        date(1963, 11, 22),
        "11/22/1963",
    )
    assert (second.date.precision, second.date.end) == ("month", date(1963, 8, 31))
    assert {r.released_on for d in by_id.values() for r in d.releases} == {date(2021, 12, 15)}


def test_unreadable_list_is_an_error_naming_the_file_and_nothing_is_imported(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a spreadsheet")
    result = parse_release_set([path, L2021])
    assert len(result.errors) == 2 and result.errors[0].startswith(f"{path}: cannot read")
    assert "nothing was imported" in result.errors[1]
    assert list(result.documents) == []


def test_broken_scans_are_errors_and_join_no_record(tmp_path):
    scans = tmp_path / "scans"
    scans.mkdir()
    good = shutil.copy(SCANS / f"{ITKIN}.pdf", scans)
    data = (SCANS / "104-10100-10034.pdf").read_bytes()
    truncated = scans / "104-10100-10034.pdf"
    truncated.write_bytes(data[: len(data) // 3])
    text = scans / "104-10113-10249.pdf"
    text.write_text("This is a text file, not a PDF.\n")
    result = parse_release_set([L2022, scans])
    assert len(result.errors) == 2
    assert any(e.startswith(f"{truncated}:") for e in result.errors)
    assert any(e.startswith(f"{text}: not a PDF") for e in result.errors)
    by_id = {d.identifier: d for d in result.documents}
    assert len(by_id) == 13177
    assert by_id["104-10100-10034"].files == [] and by_id["104-10113-10249"].files == []
    assert [f.path for f in by_id[ITKIN].files] == [str(good)]
    assert [r.list_name for r in by_id["104-10100-10034"].releases] == ["jfk2022.xlsx"]


def test_scan_of_an_unlisted_record_is_an_uncatalogued_draft(tmp_path):
    scan = Path(shutil.copy(SCANS / f"{ITKIN}.pdf", tmp_path / "999-99999-99999.pdf"))
    odd = Path(shutil.copy(SCANS / f"{ITKIN}.pdf", tmp_path / "scan-copy.pdf"))
    result = parse_release_set([tmp_path, L2021])
    (d,) = [d for d in result.documents if d.identifier == "999-99999-99999"]
    assert d.state == "draft" and "Uncatalogued scan" in d.title
    assert d.date.precision == "undated" and d.collections == ["jfk"]
    assert [f.pages for f in d.files] == [5]
    assert [(r.released_on, r.file_name) for r in d.releases] == [
        (date(2025, 3, 18), "999-99999-99999.pdf")
    ]
    assert d.partial == "in no release list read"  # the loader never lets it replace a record
    assert d.source.file == str(scan)
    assert result.errors == [
        f"{odd}: the file name is not a record number (NNN-NNNNN-NNNNN.pdf); skipped"
    ]


def test_paths_that_are_no_input(tmp_path):
    missing, readme = tmp_path / "nothing.xlsx", tmp_path / "README.md"
    readme.write_text("notes")
    result = parse_release_set([missing, readme, tmp_path])  # a folder's README is ignored
    assert result.errors == [
        f"{missing}: no such file or folder",
        f"{readme}: not a release list (.xlsx) nor a scan (.pdf)",
    ]
    assert result.documents == [] and [c.identifier for c in result.collections] == ["jfk"]


def test_the_same_file_twice_is_read_once():
    result = parse_release_set([L2021, RELEASES / ".." / "releases" / L2021.name])
    assert result.errors == [] and len(result.documents) == 1491
    assert all(len(r.rows) == 1 for d in result.documents for r in d.releases)
