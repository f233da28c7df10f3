"""Page images of stored scans: derivatives for the page viewer, and the image OCR reads.

A scan is a PDF or a page image (PNG, JPEG, TIFF: `files/scans.py`). PDF rendering is
PDFium's (pypdfium2, BSD/Apache); page images are decoded by Pillow. Scans are mostly
published as one full-page image per page (NARA: 300 dpi bilevel CCITT G4), so OCR gets
that image itself, decoded losslessly, rather than a re-rendering of it, brought to the
resolution Tesseract reads best at (`at_ocr_resolution`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from readingroom.files.pdf import PdfError
from readingroom.files.scans import is_image, open_frame

OCR_DPI = 300  # what Tesseract reads best at, and what the scans are
POINTS_PER_INCH = 72
# A scan within this fraction of OCR_DPI is read as it is; any other is resampled to
# OCR_DPI (`at_ocr_resolution`).
DPI_TOLERANCE = 0.05

# Widths in pixels, declared once. A page viewer shows a page about 700 CSS px wide;
# 1400 px keeps it sharp on 2x (HiDPI) screens and is ~170 dpi of a letter page, enough
# to read typewriting and stamps, at ~110 KiB a page. 200 px is a thumbnail a reader
# can still tell a form from a cable by (a strip of pages, search results).
SIZES = {"reading": 1400, "thumbnail": 200}

# Format, measured on the first page of 15 of the NARA scans (bilevel, 300 dpi),
# reading size 1400 px / thumbnail 200 px, mean per page:
#   PNG 8-bit gray, zlib level 6           186 KiB   72 ms  lossless      / 12.4 KiB
#   PNG 8-bit gray, optimize               180 KiB  458 ms  lossless      / 12.0 KiB
#   PNG 16 gray levels (4-bit), level 6    113 KiB   58 ms  PSNR 48.4 dB  /  6.2 KiB
#   WebP lossless, 16 gray levels           91 KiB  290 ms  PSNR 48.4 dB  /  5.0 KiB
#   WebP lossless, 8-bit                   147 KiB  180 ms  lossless      / 10.4 KiB
#   WebP q80                               156 KiB  196 ms  PSNR 46.4 dB  /  7.0 KiB
#   JPEG q85                               277 KiB   11 ms  PSNR 43.5 dB  / 10.2 KiB
# A downscaled bilevel page is black and white with anti-aliased edges: 16 gray levels
# hold those edges (PSNR 48 dB, no visible difference), and a 4-bit PNG of them is the
# best trade: 40 % smaller than 8-bit PNG, 5x faster to encode than WebP for 20 % more
# bytes, readable everywhere, and free of JPEG's ringing around type.
MEDIA_TYPE = "image/png"
GRAY_LEVELS = 16
_POSTERIZE = [round(v * (GRAY_LEVELS - 1) / 255) for v in range(256)]
_GRAY_PALETTE = [round(i * 255 / (GRAY_LEVELS - 1)) for i in range(GRAY_LEVELS) for _ in range(3)]


@dataclass
class Derivative:
    size: str  # a key of SIZES
    media_type: str
    data: bytes
    width: int
    height: int


@contextmanager
def open_page(
    pdf_path: Path, page_number: int
) -> Iterator[tuple[pdfium.PdfDocument, pdfium.PdfPage]]:
    """Yield (document, page) for a 1-based page number; PdfError when the file is not
    a readable PDF or has no such page. Both are closed afterwards."""
    pdf_path = Path(pdf_path)
    try:
        pdf = pdfium.PdfDocument(pdf_path)
    except (pdfium.PdfiumError, OSError) as exc:
        raise PdfError(f"{pdf_path}: broken PDF: {exc}") from exc
    try:
        if not 1 <= page_number <= len(pdf):
            raise PdfError(f"{pdf_path}: no page {page_number} (the PDF has {len(pdf)})")
        page = pdf[page_number - 1]
        try:
            yield pdf, page
        finally:
            page.close()
    finally:
        pdf.close()


def is_page_image(path: Path) -> bool:
    """A page image (by content); anything else, an unreadable file too, goes the PDF
    way, which says what is wrong with it."""
    try:
        return is_image(path)
    except OSError:
        return False


def render_derivatives(pdf_path: Path, page_number: int) -> list[Derivative]:
    """The page at every size of SIZES, largest first: PDFium renders once at the
    largest width (its image smoothing matches Lanczos from 300 dpi within 0.3/255 on
    average, at the same cost), smaller sizes are downscaled from that. A page image
    is decoded and downscaled, never enlarged past its own width (a cropped excerpt
    438 px wide stays 438 px: more would only blur it)."""
    ordered = sorted(SIZES.items(), key=lambda item: -item[1])
    if is_page_image(pdf_path):
        image = open_frame(pdf_path, page_number).convert("L")
    else:
        with open_page(pdf_path, page_number) as (_pdf, page):
            width_pt = page.get_size()[0]
            largest = ordered[0][1]
            image = page.render(scale=largest / width_pt, grayscale=True).to_pil().convert("L")
    derivatives = []
    for size, width in ordered:
        width = min(width, image.width)
        if image.width != width:
            height = max(1, round(image.height * width / image.width))
            image = image.resize((width, height), Image.Resampling.LANCZOS)
        derivatives.append(_encode(size, image))
    return derivatives


def _encode(size: str, image: Image.Image) -> Derivative:
    quantized = Image.frombytes("P", image.size, image.point(_POSTERIZE).tobytes())
    quantized.putpalette(_GRAY_PALETTE)
    out = io.BytesIO()
    quantized.save(out, format="PNG", bits=4, compress_level=6)
    return Derivative(size, MEDIA_TYPE, out.getvalue(), image.width, image.height)


def image_for_ocr(pdf_path: Path, page_number: int) -> Image.Image:
    """The page as Tesseract reads it: the scan's own image (a page image, or the one
    upright full-page image a PDF page is made of), decoded losslessly and brought to
    OCR_DPI when its resolution is another; any other PDF page rendered in grayscale at
    OCR_DPI. `info["dpi"]` holds the resolution."""
    if is_page_image(pdf_path):
        return at_ocr_resolution(open_frame(pdf_path, page_number))
    with open_page(pdf_path, page_number) as (_pdf, page):
        image = _full_page_image(page)
        if image is None:
            bitmap = page.render(scale=OCR_DPI / POINTS_PER_INCH, grayscale=True)
            image = bitmap.to_pil().convert("L")
            image.info["dpi"] = (OCR_DPI, OCR_DPI)
        return at_ocr_resolution(image)


def at_ocr_resolution(image: Image.Image) -> Image.Image:
    """The image resampled (Lanczos, in grayscale) to OCR_DPI when its resolution
    differs by more than DPI_TOLERANCE; as it is otherwise (a page image whose header
    gives none has an estimated one, `scans.estimated_resolution`).

    Measured on the un-ussr scans (Tesseract 5.3, the README's check phrases): the
    Belovezh Agreement's 96-dpi pages and the 88-dpi resolution crops read more words at
    300 dpi (SC 84's boxed footnote, SC 777's "Security Council" appear; the README saw
    the Yeltsin letter's error rate fall from 9 to 5.5 % rendered at 300 dpi); a 323-dpi
    colour photograph of A/C.1/212 read "adwission of Pakistan" as it is and "admission
    of Pakistan" at 300 dpi. 300-dpi scans (NARA's) are untouched."""
    dpi = image.info.get("dpi", (0, 0))[0]
    if not dpi or abs(dpi - OCR_DPI) <= DPI_TOLERANCE * OCR_DPI:
        return image
    scale = OCR_DPI / dpi
    gray = image.convert("L")  # Tesseract binarizes a gray image; colour adds nothing
    resized = gray.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                          Image.Resampling.LANCZOS)  # fmt: skip
    resized.info["dpi"] = (OCR_DPI, OCR_DPI)
    return resized


def _full_page_image(page: pdfium.PdfPage) -> Image.Image | None:
    """The decoded image of a page made of exactly one image covering it, upright and
    unflipped (so its pixels are the page's); None for anything else."""
    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    obj = objects[0]
    matrix = obj.get_matrix()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return None  # rotated, skewed or flipped on the page
    bounds = obj.get_bounds()
    if max(abs(b - c) for b, c in zip(bounds, page.get_cropbox(), strict=True)) > 1:
        return None  # not the whole page: a render keeps what lies around it
    metadata = obj.get_metadata()
    if metadata.colorspace == pdfium_c.FPDF_COLORSPACE_UNKNOWN:
        return None  # an image mask: its pixels are paint, not the page
    image = obj.get_bitmap(render=False).to_pil()
    if metadata.bits_per_pixel == 1 and image.mode == "L":
        # PDFium decodes bilevel to 0/255 gray: back to 1 bit, exactly (no dithering
        # happens when every pixel is already black or white), 8x less memory.
        image = image.convert("1", dither=Image.Dither.NONE)
    dpi = round(image.width / ((bounds[2] - bounds[0]) / POINTS_PER_INCH))
    image.info["dpi"] = (dpi, dpi)
    return image
