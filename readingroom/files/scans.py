"""What a scan is, checked by its content (never its name): a PDF (PDFium opens it) or a
page image (PNG, JPEG or TIFF that Pillow decodes whole). A file either of them cannot
read is refused before it is stored.

A scan's pages are what the page worker renders and reads: a PDF's pages, a TIFF's
frames, or the one page of a PNG or JPEG.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from readingroom.files.pdf import PdfError, inspect_pdf

PDF = "application/pdf"
PNG, JPEG, TIFF = "image/png", "image/jpeg", "image/tiff"
IMAGE_MEDIA_TYPES = (PNG, JPEG, TIFF)
SCAN_MEDIA_TYPES = (PDF, *IMAGE_MEDIA_TYPES)
# Pillow's format names for the image types, to check a file is what its header says.
_PIL_FORMATS = {PNG: "PNG", JPEG: "JPEG", TIFF: "TIFF"}
# A page image whose header gives no resolution is taken to be a whole page of this
# width (A4's 8.27 in; a letter page is 8.5): a camera's JPEG of a page says nothing of
# inches. Measured on the Belovezh Agreement's first page (778 px wide, the 96-dpi JPEG
# its PDF wraps): read as it is, Tesseract missed "геополитическая реальность"; brought
# to 300 dpi from this estimate (94 dpi) it reads it, as from the PDF.
ASSUMED_PAGE_WIDTH_IN = 8.27
POINTS_PER_INCH = 72


class ScanError(ValueError):
    """A file that is not a usable scan; the message names the file."""


@dataclass(frozen=True)
class ScanPage:
    number: int  # 1-based
    width_pt: float
    height_pt: float
    has_text_layer: bool = False


def sniff(head: bytes) -> str | None:
    """The media type the first bytes of a file say, among the scan types; None for any
    other content. A PDF header may follow a little junk (readers accept it)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):  # TIFF and BigTIFF
        return TIFF
    if b"%PDF-" in head[:1024]:
        return PDF
    return None


def media_type_of(path: Path) -> str | None:
    with Path(path).open("rb") as handle:
        return sniff(handle.read(1024))


def is_image(path: Path) -> bool:
    return media_type_of(path) in IMAGE_MEDIA_TYPES


def inspect_scan(path: Path) -> tuple[str, list[ScanPage]]:
    """The scan's media type and pages; ScanError when the file is no scan we can read."""
    path = Path(path)
    try:
        media_type = media_type_of(path)
    except OSError as exc:
        raise ScanError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if media_type is None:
        raise ScanError(f"{path}: not a scan (neither PDF, PNG, JPEG nor TIFF by its content)")
    if media_type == PDF:
        try:
            info = inspect_pdf(path)
        except PdfError as exc:
            raise ScanError(str(exc)) from exc
        pages = [ScanPage(p.number, p.width_pt, p.height_pt, p.has_text_layer)
                 for p in info.pages]  # fmt: skip
        return media_type, pages
    return media_type, inspect_image(path, media_type)


def inspect_image(path: Path, media_type: str) -> list[ScanPage]:
    """Each frame decoded whole (a truncated or corrupt file fails here, not in the
    worker), with its size in points at its resolution."""
    pages = []
    try:
        with warnings.catch_warnings():
            # A huge image is a decompression bomb to Pillow: refused, not warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format != _PIL_FORMATS[media_type]:
                    raise ScanError(f"{path}: its header says {media_type}, Pillow reads "
                                    f"{image.format}")  # fmt: skip
                for index in range(getattr(image, "n_frames", 1)):
                    image.seek(index)
                    image.load()
                    dpi = resolution(image) or estimated_resolution(image)
                    pages.append(ScanPage(index + 1, image.width * POINTS_PER_INCH / dpi,
                                          image.height * POINTS_PER_INCH / dpi))  # fmt: skip
    except ScanError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # fmt: skip
        raise ScanError(f"{path}: broken {media_type} image: {exc}") from exc
    if not pages:
        raise ScanError(f"{path}: image has no pages")
    return pages


def resolution(image: Image.Image) -> float | None:
    """The horizontal resolution the image's header gives, in dots per inch, when it
    gives a plausible one (some writers put 1 or 72 000 there)."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 50 <= value <= 2400 else None


def estimated_resolution(image: Image.Image) -> float:
    """The resolution of a page image whose header gives none: that of a whole page
    (ASSUMED_PAGE_WIDTH_IN wide)."""
    return image.width / ASSUMED_PAGE_WIDTH_IN


def open_frame(path: Path, number: int) -> Image.Image:
    """Page `number` (1-based) of a page image, decoded and turned upright as its EXIF
    orientation says (a photographed page), with its resolution in `info["dpi"]`: the
    header's, or else estimated (`estimated_resolution`)."""
    with Image.open(path) as image:
        frames = getattr(image, "n_frames", 1)
        if not 1 <= number <= frames:
            raise ScanError(f"{path}: no page {number} (the image has {frames})")
        image.seek(number - 1)
        image.load()
        dpi = resolution(image) or estimated_resolution(image)
        frame = ImageOps.exif_transpose(image.copy())
    frame.info["dpi"] = (dpi, dpi)
    return frame
