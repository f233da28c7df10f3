"""Page images of stored PDFs: derivatives for the page viewer, and the image OCR reads.

Rendering is PDFium's (pypdfium2, BSD/Apache). Scans are published as one full-page
image per page (NARA: 300 dpi bilevel CCITT G4), so OCR gets that image itself,
decoded losslessly, rather than a re-rendering of it.
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

OCR_DPI = 300  # what Tesseract reads best at, and what the scans are
POINTS_PER_INCH = 72

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


def render_derivatives(pdf_path: Path, page_number: int) -> list[Derivative]:
    """The page at every size of SIZES, largest first: PDFium renders once at the
    largest width (its image smoothing matches Lanczos from 300 dpi within 0.3/255 on
    average, at the same cost), smaller sizes are downscaled from that."""
    with open_page(pdf_path, page_number) as (_pdf, page):
        width_pt = page.get_size()[0]
        ordered = sorted(SIZES.items(), key=lambda item: -item[1])
        largest = ordered[0][1]
        image = page.render(scale=largest / width_pt, grayscale=True).to_pil().convert("L")
    derivatives = []
    for size, width in ordered:
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
    """The page at its scan's own resolution: the embedded image itself, decoded
    losslessly, when the page is one upright full-page image (a scan); otherwise the
    page rendered in grayscale at 300 dpi. `info["dpi"]` holds the resolution."""
    with open_page(pdf_path, page_number) as (_pdf, page):
        image = _full_page_image(page)
        if image is None:
            bitmap = page.render(scale=OCR_DPI / POINTS_PER_INCH, grayscale=True)
            image = bitmap.to_pil().convert("L")
            image.info["dpi"] = (OCR_DPI, OCR_DPI)
        return image


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
