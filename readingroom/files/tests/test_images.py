"""Page images from the real NARA scans: viewer derivatives and the image OCR reads.
No database (runs with `-p no:django --noconftest`)."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageChops

from readingroom.files.images import SIZES, image_for_ocr, render_derivatives
from readingroom.files.pdf import PdfError
from readingroom.files.tests.real_scans import SCANS

# An identification form page: 2544 x 3342 px, 300 dpi, bilevel CCITT G4.
FORM = SCANS / "124-10212-10160.pdf"
FORM_PIXELS = (2544, 3342)


def test_the_shared_scans_are_there():
    assert FORM.is_file(), f"{FORM} missing: the tests read the shared NARA scans"
    assert len(list(SCANS.glob("*.pdf"))) == 45


def test_derivatives_one_per_size_largest_first():
    derivatives = render_derivatives(FORM, 1)
    assert [d.size for d in derivatives] == sorted(SIZES, key=lambda s: -SIZES[s])
    for d in derivatives:
        image = Image.open(io.BytesIO(d.data))
        assert d.media_type == "image/png" and image.format == "PNG"
        assert (image.width, image.height) == (d.width, d.height)
        assert d.width == SIZES[d.size]
        # the page's proportions, within a pixel of rounding
        assert abs(d.height - d.width * FORM_PIXELS[1] / FORM_PIXELS[0]) <= 1
        # grayscale: a palette of grays only
        gray = image.convert("RGB")
        assert ImageChops.difference(gray, image.convert("L").convert("RGB")).getbbox() is None


def test_derivative_sizes_stay_small():
    sizes = {d.size: len(d.data) for d in render_derivatives(FORM, 1)}
    # measured ~125 kB and ~5 kB; a format change that doubles them should be noticed
    assert sizes["reading"] < 250_000
    assert sizes["thumbnail"] < 15_000


def test_reading_image_shows_the_page():
    reading = render_derivatives(FORM, 1)[0]
    image = Image.open(io.BytesIO(reading.data)).convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:128]) / (image.width * image.height)
    assert 0.01 < dark < 0.5  # typed text on white, not a blank or black page


def test_image_for_ocr_is_the_scan_itself():
    image = image_for_ocr(FORM, 1)
    assert image.size == FORM_PIXELS
    assert image.mode == "1"
    assert image.info["dpi"] == (300, 300)
    # lossless: pixel for pixel what PDFium draws when the page fills exactly that many
    # pixels (a 300-dpi render of the page's size in points is a pixel taller: resampled)
    rendered = render_exactly(FORM, 1, image.size)
    assert ImageChops.difference(rendered, image.convert("L")).getbbox() is None


def render_exactly(path: Path, number: int, size: tuple[int, int]) -> Image.Image:
    pdf = pdfium.PdfDocument(path)
    try:
        bitmap = pdfium.PdfBitmap.new_native(*size, pdfium_c.FPDFBitmap_Gray)
        bitmap.fill_rect((255, 255, 255, 255), 0, 0, *size)
        page = pdf[number - 1]
        pdfium_c.FPDF_RenderPageBitmap(
            bitmap.raw, page.raw, 0, 0, *size, 0, pdfium_c.FPDF_GRAYSCALE
        )
        return bitmap.to_pil().convert("L")
    finally:
        pdf.close()


def test_image_for_ocr_renders_a_page_that_is_not_one_upright_image(tmp_path):
    # The same real page, turned a quarter: its pixels are no longer the page's.
    rotated = tmp_path / "rotated.pdf"
    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(pdfium.PdfDocument(FORM), [0])
    pdf[0].set_rotation(90)
    pdf.save(rotated)
    pdf.close()
    image = image_for_ocr(rotated, 1)
    assert image.info["dpi"] == (300, 300)
    assert abs(image.width - FORM_PIXELS[1]) <= 2 and abs(image.height - FORM_PIXELS[0]) <= 2


def test_page_numbers_are_one_based_and_checked():
    assert image_for_ocr(FORM, 3).size != (0, 0)  # the last page
    with pytest.raises(PdfError, match="no page 4"):
        image_for_ocr(FORM, 4)
    with pytest.raises(PdfError, match="no page 0"):
        render_derivatives(FORM, 0)


@pytest.fixture
def broken_pdfs(tmp_path) -> list[Path]:
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(FORM.read_bytes()[:3000])
    not_pdf = tmp_path / "notes.pdf"
    shutil.copy(SCANS.parent / "README.md", not_pdf)
    return [truncated, not_pdf, tmp_path / "missing.pdf"]


def test_a_broken_pdf_raises_pdf_error(broken_pdfs):
    for path in broken_pdfs:
        with pytest.raises(PdfError, match=re.escape(path.name)):
            render_derivatives(path, 1)
        with pytest.raises(PdfError, match=re.escape(path.name)):
            image_for_ocr(path, 1)
