"""What a PDF is, checked by its content (not its name): PDFium (pypdfium2, BSD/Apache)
opens it, so a file that PDFium cannot read is rejected before it is stored.

A text layer is what a page's own text objects hold; scans published image-only have
none, and OCR fills the gap (`files/ocr.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

PDF_MAGIC = b"%PDF-"
# Fewer characters than this on a page is a stamp or a page number, not a text layer.
TEXT_LAYER_MIN_CHARS = 20


class PdfError(ValueError):
    """A file that is not a usable PDF; the message names the file."""


@dataclass
class PageInfo:
    number: int  # 1-based
    width_pt: float
    height_pt: float
    text_chars: int  # characters in the page's text layer

    @property
    def has_text_layer(self) -> bool:
        return self.text_chars >= TEXT_LAYER_MIN_CHARS


@dataclass
class PdfInfo:
    path: Path
    version: int | None
    pages: list[PageInfo] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return len(self.pages)


def inspect_pdf(path: Path) -> PdfInfo:
    """Open `path` as a PDF and describe its pages; PdfError when it is not a readable,
    unencrypted PDF with at least one page."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise PdfError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if PDF_MAGIC not in head:  # the header may follow a little junk, never much
        raise PdfError(f"{path}: not a PDF (no %PDF- header)")
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower() or "security" in reason.lower():
            raise PdfError(f"{path}: encrypted PDF (password required): {reason}") from exc
        raise PdfError(f"{path}: broken PDF: {reason}") from exc
    try:
        if len(pdf) == 0:
            raise PdfError(f"{path}: PDF has no pages")
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                chars = len(textpage.get_text_range().strip())
                textpage.close()
            finally:
                page.close()
            pages.append(PageInfo(index + 1, width, height, chars))
        return PdfInfo(path=path, version=pdf.get_version(), pages=pages)
    finally:
        pdf.close()
