"""The real scans the file tests read (NARA's, and the un-ussr set's), real OCR of their
pages, and real pages converted losslessly to the formats the corpus lacks (JPEG, TIFF),
shared by the tests of OCR, page images, PDFs, markings and the sheet importer."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from readingroom.conf import corpus
from readingroom.files import ocr
from readingroom.files.ocr import PageText, read_page

SCANS = corpus() / "nara-jfk" / "scans"
UN_SCANS = corpus() / "un-ussr" / "scans"
BELOVEZH = "1991-12-08-belovezh-agreement-ru.pdf"
RES_2758_RU = "1971-10-25-ga-resolution-2758-ru.pdf"


def require_tesseract() -> None:
    # Installed by `make` (Debian's tesseract-ocr); a missing one fails, never skips.
    assert shutil.which(ocr.TESSERACT), (
        "tesseract is not installed: run `make test` or apt-get install tesseract-ocr"
    )


@cache
def ocr_page(record: str, number: int) -> PageText:
    """A real scan page read by our pipeline, once per test session (about 1 s each)."""
    require_tesseract()
    return read_page(SCANS / f"{record}.pdf", number)


def belovezh_page_as_jpeg(path: Path) -> Path:
    """Page 1 of the Belovezh Agreement as the JPEG its PDF wraps: the stream's bytes
    as they are (DCTDecode), so nothing is recompressed."""
    pdf = pdfium.PdfDocument(UN_SCANS / BELOVEZH)
    try:
        image = next(pdf[0].get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))
        assert image.get_filters() == ["DCTDecode"]
        path.write_bytes(bytes(image.get_data(decode_simple=False)))
    finally:
        pdf.close()
    return path


def resolution_2758_ru_as_tiff(path: Path) -> Path:
    """The Russian page of resolution 2758 as a bilevel Group 4 TIFF: its 300-dpi CCITT
    image decoded and written again losslessly, with its resolution."""
    pdf = pdfium.PdfDocument(UN_SCANS / RES_2758_RU)
    try:
        image = next(pdf[0].get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))
        bitmap = image.get_bitmap(render=False).to_pil().convert("1", dither=None)
    finally:
        pdf.close()
    bitmap.save(path, format="TIFF", compression="group4", dpi=(300, 300))
    return path
