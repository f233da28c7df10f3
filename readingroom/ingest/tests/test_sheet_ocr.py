"""From an archivist's row to searchable Russian: the Yeltsin letter of 24 December 1991
imported through a sheet, its page read by the worker in the languages it is catalogued
in (one real page of OCR), its mean confidence stored, its machine-read text found with
Russian stemming and with the Latin look-alikes Tesseract writes for ООН and СССР."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.files.models import Page, TextState
from readingroom.files.tasks import process_pending_pages
from readingroom.files.tests.real_scans import require_tesseract
from readingroom.ingest.management.commands.load_corpus import DATA
from readingroom.search.analysis import fold_lookalikes
from readingroom.search.service import search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("backend")]

UN_USSR = corpus() / "un-ussr"
YELTSIN = "1991-12-24-yeltsin-letter-to-secretary-general-ru.pdf"


def one_row_sheet(tmp_path: Path, **changes: str) -> Path:
    with (UN_USSR / "catalogue.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        row = next(r for r in reader if r["File"] == YELTSIN)
        header = list(reader.fieldnames or [])
    row.update(changes)
    sheet = tmp_path / "yeltsin.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerow(row)
    return sheet


def import_sheet(sheet: Path) -> str:
    err = io.StringIO()
    mapping = DATA / "sheets" / "un-ussr.json"
    call_command("import", "sheet", str(sheet), files=UN_USSR / "scans", mapping=mapping,
                 no_progress=True, stderr=err)  # fmt: skip
    return err.getvalue()


def hits(query: str) -> list[str]:
    return [h["document"].identifier for h in search(query)["hits"]]


def test_a_russian_letter_is_read_in_russian_and_found_in_either_script(tmp_path, search_index):
    require_tesseract()
    assert "1 created" in import_sheet(one_row_sheet(tmp_path))
    document = m.Document.objects.get()
    assert process_pending_pages() == 1  # its one page, read by the worker's task
    page = Page.objects.get()
    assert (page.text_state, page.text_source, page.ocr_languages) == (TextState.DONE, "ocr",
                                                                       "rus+eng")  # fmt: skip
    assert 40 < page.confidence < 100
    assert "Генеральный секретарь" in page.text
    # Tesseract writes some Cyrillic words in Latin look-alikes on this degraded page.
    latin = {w for w in page.text.split() if w.strip(",.") in ("OOH", "CCCP")}
    assert latin, page.text
    assert not {w for w in fold_lookalikes(page.text).split() if w.strip(",.") in ("OOH", "CCCP")}

    search_index()
    assert hits("Генеральный секретарь") == [document.identifier]
    # Russian stemming on machine-read text: the page says "наименование".
    assert hits("наименования") == [document.identifier]
    # Either script finds the abbreviations, whichever Tesseract wrote.
    for query in ("ООН", "OOH", "СССР", "CCCP"):
        assert hits(query) == [document.identifier], query

    # Catalogued in another language now: the page goes back to be read in it.
    assert "1 updated" in import_sheet(one_row_sheet(tmp_path, Language="en"))
    page.refresh_from_db()
    assert (page.text_state, page.confidence) == (TextState.PENDING, None)
