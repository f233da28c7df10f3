"""The real NARA scans the file tests read, and real OCR of their pages, shared by the
tests of OCR, page images, PDFs and markings."""

from __future__ import annotations

import shutil
from functools import cache

from readingroom.conf import corpus
from readingroom.files import ocr
from readingroom.files.ocr import PageText, read_page

SCANS = corpus() / "nara-jfk" / "scans"


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
