"""`readingroom import sheet` on the real un-ussr catalogue and on altered copies of it:
every problem named by row, column and value (a missing column, a bad date, an unknown
language, a missing file, a duplicate row, a marking not in the vocabulary), nothing of
a bad row written, the good rows imported; real pages converted losslessly to TIFF and
JPEG imported as scans; the project's UDHR sheet (one record, seven texts)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.files.models import Page
from readingroom.files.tests.real_scans import belovezh_page_as_jpeg, resolution_2758_ru_as_tiff
from readingroom.ingest.management.commands.load_corpus import DATA, demo_sheets

pytestmark = pytest.mark.django_db

UN_USSR = corpus() / "un-ussr"
SHEET = UN_USSR / "catalogue.csv"
SCANS = UN_USSR / "scans"
MAPPING = DATA / "sheets" / "un-ussr.json"
IMPORTER = "sheet:un-ussr"
BELOVEZH = "1991-12-08-belovezh-agreement-ru.pdf"
RES_2758_RU = "1971-10-25-ga-resolution-2758-ru.pdf"
RES_2758_EN = "1971-10-25-ga-resolution-2758-en.png"
YELTSIN = "1991-12-24-yeltsin-letter-to-secretary-general-ru.pdf"
PUBLIC_DOMAIN = "https://creativecommons.org/publicdomain/mark/1.0/"
UNDETERMINED = "http://rightsstatements.org/vocab/UND/1.0/"


def import_sheet(sheet: Path, *, files: Path | None = None, dry_run: bool = False,
                 mapping: Path | None = MAPPING) -> str:  # fmt: skip
    """The import's stderr (its report); CommandError (exit status 1) propagates."""
    err = io.StringIO()
    call_command("import", "sheet", str(sheet), files=files, mapping=mapping, dry_run=dry_run,
                 no_progress=True, stderr=err)  # fmt: skip
    return err.getvalue()


def failing_import(sheet: Path, **options) -> str:
    """The report of an import that exits with status 1."""
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import", "sheet", str(sheet), mapping=options.pop("mapping", MAPPING),
                     no_progress=True, stderr=err, **options)  # fmt: skip
    assert failed.value.returncode == 1
    return err.getvalue() + str(failed.value)


def rows() -> tuple[list[str], list[dict[str, str]]]:
    with SHEET.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_sheet(path: Path, header: list[str], data: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: v for k, v in row.items() if k in header} for row in data)
    return path


def altered(tmp_path: Path, change) -> Path:
    """A copy of the real sheet with `change(header, rows)` applied to it."""
    header, data = rows()
    change(header, data)
    return write_sheet(tmp_path / "catalogue.csv", header, data)


def row_of(data: list[dict[str, str]], file: str) -> dict[str, str]:
    return next(r for r in data if r["File"] == file)


def sheet_row(file: str) -> int:
    """The row number a spreadsheet program shows for the row of `file` (header 1)."""
    return [r["File"] for r in rows()[1]].index(file) + 2


# ---- the real sheet -----------------------------------------------------------------


def test_the_real_sheet_imports_every_row_with_its_files_relations_and_rights():
    report = import_sheet(SHEET)
    assert "12 created, 0 updated, 0 unchanged, 0 warning(s), 0 failed" in report
    documents = m.Document.objects.filter(sources__importer=IMPORTER)
    assert documents.count() == 12
    assert set(documents.values_list("state", flat=True)) == {"published"}
    # 9 PDFs and 3 PNGs, stored by content; 34 page images to render and read.
    files = m.File.objects.filter(document__in=documents)
    assert sorted(files.values_list("media_type", flat=True)) == ["application/pdf"] * 9 + [
        "image/png"] * 3  # fmt: skip
    assert Page.objects.filter(pdf_sha256__in=files.values("sha256")).count() == 34

    belovezh = documents.get(files__name=BELOVEZH)
    assert belovezh.title_original == "Соглашение о создании Содружества Независимых Государств"
    assert belovezh.title_original_language_id == "ru"
    assert [lang.code for lang in belovezh.languages.all()] == ["ru"]
    assert (belovezh.date_start.isoformat(), belovezh.date_as_written) == ("1991-12-08",
                                                                           "8 December 1991")
    assert belovezh.document_type.slug == "agreement"
    assert belovezh.extent_pages == 5 and "«8» декабря" not in belovezh.title
    signers = belovezh.agent_links.filter(role="signer").values_list("agent__name", flat=True)
    assert "B. Yeltsin" in signers and len(signers) == 6
    assert belovezh.rights_uri == PUBLIC_DOMAIN and "1259" in belovezh.rights_text

    # The two language versions of resolution 2758 point at each other.
    ru = documents.get(files__name=RES_2758_RU)
    en = documents.get(files__name=RES_2758_EN)
    assert [(r.kind, r.target) for r in ru.relations.all()] == [("language-version-of", en)]
    assert [(r.kind, r.target) for r in en.relations.all()] == [("language-version-of", ru)]
    assert set(ru.identifiers.values_list("scheme", "value")) >= {
        ("UN document symbol", "A/RES/2758 (XXVI)"), ("Reference", "1976th plenary meeting")}

    memo = documents.get(files__name="1991-12-19-fleischhauer-memorandum.pdf")
    assert (memo.classification_level, memo.classification_marking) == (
        "confidential", "STRICTLY CONFIDENTIAL")  # fmt: skip
    assert memo.rights_uri == UNDETERMINED and "rights not cleared" in memo.rights_text
    assert documents.get(files__name="1971-09-29-a-l632-draft-resolution.pdf"
                         ).classification_level == "restricted"  # fmt: skip
    # No marking typed: not recorded (the mapping may say "no marking" instead).
    assert ru.classification_level == "not-recorded"


def test_reimport_changes_nothing_and_a_changed_row_updates_alone(tmp_path: Path):
    import_sheet(SHEET)
    assert "0 created, 0 updated, 12 unchanged" in import_sheet(SHEET)
    assert "0 created, 0 updated, 12 unchanged" in import_sheet(UN_USSR)  # the folder
    copy = altered(tmp_path, lambda h, d: row_of(d, BELOVEZH).update(
        Summary="The Minsk Agreement of the three founding states."))  # fmt: skip
    assert "0 created, 1 updated, 11 unchanged" in import_sheet(copy, files=SCANS)
    belovezh = m.Document.objects.get(files__name=BELOVEZH)
    assert belovezh.summary == "The Minsk Agreement of the three founding states."
    assert m.Document.objects.count() == 12
    # Relations survive the other row's update: still linked both ways.
    ru = m.Document.objects.get(files__name=RES_2758_RU)
    assert ru.relations.get().target.files.get().name == RES_2758_EN


def test_dry_run_checks_everything_and_writes_nothing():
    report = import_sheet(SHEET, dry_run=True)
    assert "dry run:" in report and "12 created" in report
    assert not m.Document.objects.exists() and not Page.objects.exists()
    assert not m.File.objects.exists()


# ---- altered copies: every problem named by row, column and value -------------------


def test_a_missing_column_refuses_the_sheet_and_names_the_column(tmp_path: Path):
    copy = altered(tmp_path, lambda h, d: h.remove("Language"))
    report = failing_import(copy, files=SCANS)
    assert "language" in report and "no column for it" in report and "nothing imported" in report
    assert not m.Document.objects.exists()


def test_every_problem_is_listed_by_row_column_and_value_before_anything_is_written(
    tmp_path: Path,
):
    def spoil(header: list[str], data: list[dict[str, str]]) -> None:
        row_of(data, BELOVEZH)["Date (ISO)"] = "1991-12-38"
        row_of(data, RES_2758_EN)["Language"] = "xx"
        row_of(data, "1992-09-19-sc-resolution-777.png")["File"] = "1992-09-19-missing.png"
        row_of(data, "1991-12-27-dpi-briefing.pdf")["Classification"] = "EYES ONLY"
        row_of(data, "1950-07-07-sc-resolution-84-excerpt.png")["Date"] = "Julember 7, 1950"
        data.append(dict(row_of(data, "1991-12-24-yeltsin-letter-to-secretary-general-ru.pdf")))

    copy = altered(tmp_path, spoil)
    report = failing_import(copy, files=SCANS, dry_run=True)
    expected = [
        (sheet_row(BELOVEZH), "Date (ISO)", "1991-12-38", "no such day"),
        (sheet_row(RES_2758_EN), "Language", "xx", "unknown language code"),
        (sheet_row("1992-09-19-sc-resolution-777.png"), "File", "1992-09-19-missing.png",
         "no such file"),
        (sheet_row("1991-12-27-dpi-briefing.pdf"), "Classification", "EYES ONLY",
         "marking not in the vocabulary"),
        (sheet_row("1950-07-07-sc-resolution-84-excerpt.png"), "Date", "Julember 7, 1950",
         "not a month"),
        (14, "File", YELTSIN, f"duplicate row: row {sheet_row(YELTSIN)}"),
    ]  # fmt: skip
    for number, column, value, message in expected:
        line = next((x for x in report.splitlines()
                     if f"row {number}, column {column!r}, value {value!r}" in x), "")  # fmt: skip
        assert message in line, (number, column, report)
    # The relation of 2758 ru to the English row is fine: only the English row is bad.
    assert "dry run:" in report and "7 created" in report and "6 failed" in report
    assert not m.Document.objects.exists()

    # Imported for real: the good rows are in, the bad ones not, nothing of them written.
    report = failing_import(copy, files=SCANS)
    assert "7 created" in report and "6 failed" in report
    names = set(m.File.objects.values_list("name", flat=True))
    assert BELOVEZH not in names and RES_2758_EN not in names and RES_2758_RU in names
    assert m.DocumentSource.objects.filter(importer=IMPORTER).count() == 7
    assert m.Document.objects.filter(files__name="1991-12-24-yeltsin-letter-to-secretary-"
                                     "general-ru.pdf").count() == 1  # fmt: skip
    # The row pointing at a refused row keeps the relation as written, unlinked.
    relation = m.DocumentRelation.objects.get(document__files__name=RES_2758_RU)
    assert (relation.target, relation.target_as_written) == (None, RES_2758_EN)


def test_written_and_iso_dates_that_disagree_are_named(tmp_path: Path):
    copy = altered(tmp_path, lambda h, d: row_of(d, BELOVEZH).update(Date="9 December 1991"))
    report = failing_import(copy, files=SCANS, dry_run=True)
    assert f"row {sheet_row(BELOVEZH)}, column 'Date', value '9 December 1991': disagrees" in report


def test_unknown_columns_are_reported_once_and_a_mapping_file_names_them(tmp_path: Path):
    def rename(header: list[str], data: list[dict[str, str]]) -> None:
        header[header.index("Title")] = "Kurztitel"
        header.append("Shelf colour")
        for row in data:
            row["Kurztitel"], row["Shelf colour"] = row.pop("Title"), "blue"

    copy = altered(tmp_path, rename)
    with pytest.raises(CommandError, match="title: no column for it"):
        import_sheet(copy, files=SCANS)
    mapping = tmp_path / "mapping.json"
    base = MAPPING.read_text(encoding="utf-8")
    mapping.write_text(base.replace('"source": "un-ussr",',
                                    '"source": "un-ussr", "columns": {"Kurztitel": "title"},'))
    report = import_sheet(copy, files=SCANS, mapping=mapping)
    assert report.count("'Shelf colour' fits no catalogue field") == 1
    assert "12 created" in report
    assert m.Document.objects.get(files__name=BELOVEZH).title.startswith("Agreement on the")


# ---- scans as images: real pages converted losslessly -------------------------------


def test_tiff_and_jpeg_pages_are_scans_checked_by_content(tmp_path: Path):
    folder = tmp_path / "files"
    folder.mkdir()
    jpeg = belovezh_page_as_jpeg(folder / "belovezh-p1.jpg")
    resolution_2758_ru_as_tiff(folder / "2758-ru.tif")
    (folder / "not-a-scan.tif").write_bytes(jpeg.read_bytes()[:5000])  # a cut JPEG

    header, data = rows()
    row_of(data, BELOVEZH).update(File="belovezh-p1.jpg", Pages="1")
    row_of(data, RES_2758_RU).update(File="2758-ru.tif")
    row_of(data, "1991-12-27-dpi-briefing.pdf")["File"] = "not-a-scan.tif"
    kept = [row_of(data, f) for f in ("belovezh-p1.jpg", "2758-ru.tif", "not-a-scan.tif",
                                      RES_2758_EN)]  # fmt: skip
    sheet = write_sheet(tmp_path / "images.csv", header, kept)
    # The English page is in the real scans folder, not this one: named, not found.
    report = failing_import(sheet, files=folder)
    assert "'not-a-scan.tif'" in report and "broken image/jpeg image" in report
    assert f"'{RES_2758_EN}'" in report and "no such file" in report
    assert "2 created" in report and "2 failed" in report
    stored = dict(m.File.objects.values_list("name", "media_type"))
    assert stored == {"belovezh-p1.jpg": "image/jpeg", "2758-ru.tif": "image/tiff"}
    pages = Page.objects.filter(pdf_sha256__in=m.File.objects.values("sha256"))
    assert pages.count() == 2
    # Sizes in points from the TIFF's own resolution (300 dpi): the page is 8.64 in wide.
    tiff_page = pages.get(pdf_sha256=m.File.objects.get(name="2758-ru.tif").sha256)
    assert round(tiff_page.width_pt) == round(2592 * 72 / 300)


# ---- the demo's sheets -----------------------------------------------------------------


def test_the_udhr_sheet_makes_one_record_with_seven_texts():
    (_, _, _), (sheet, files, mapping) = demo_sheets(corpus())
    report = import_sheet(sheet, files=files, mapping=mapping)
    assert "1 created" in report and "0 failed" in report
    udhr = m.Document.objects.get(identifier="udhr-1948")
    texts = list(udhr.texts.order_by("position"))
    assert [(t.kind, t.language_id) for t in texts] == [
        ("original", "en"), ("translation", "fr"), ("translation", "es"), ("translation", "ru"),
        ("translation", "zh-Hans"), ("translation", "ar"), ("translation", "de")]  # fmt: skip
    assert all(t.source_text == texts[0] for t in texts[1:])
    assert {t.translator.name for t in texts[1:]} == {"United Nations"}
    arabic = texts[5]
    assert arabic.shown_direction == "rtl" and arabic.title == "الإعلان العالمي لحقوق الإنسان"
    assert texts[4].title == "世界人权宣言" and "<h1>" not in texts[4].html
    assert 'data-number="30"' in texts[3].html or "Статья 30" in texts[3].html
    assert udhr.rights_uri == PUBLIC_DOMAIN and udhr.state == "published"
