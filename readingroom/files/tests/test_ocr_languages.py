"""OCR in the languages documents are catalogued in, on real Russian pages of the
un-ussr set: the typewritten Belovezh Agreement (a 96-dpi JPEG wrapped in a PDF, and
that JPEG itself, its bytes unchanged) and the printed page of resolution 2758 (a
300-dpi CCITT scan, written again losslessly as a Group 4 TIFF). Tesseract runs for
real, on these few pages only. No database."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from readingroom.files import ocr
from readingroom.files.images import OCR_DPI, image_for_ocr
from readingroom.files.languages import models, tesseract_languages
from readingroom.files.ocr import read_page
from readingroom.files.scans import inspect_scan
from readingroom.files.tests.real_scans import (
    BELOVEZH,
    UN_SCANS,
    belovezh_page_as_jpeg,
    require_tesseract,
    resolution_2758_ru_as_tiff,
)


def checked_text(text: str) -> str:
    """The un-ussr README's normalisations for its check phrases: a hyphen at a line
    end joins the next line; runs of whitespace become one space."""
    return re.sub(r"\s+", " ", re.sub(r"-\n", "", text))


def test_every_catalogued_language_has_its_tesseract_model_installed():
    require_tesseract()
    listed = subprocess.run([ocr.TESSERACT, "--list-langs"], capture_output=True, text=True,
                            check=True).stdout.split()  # fmt: skip
    wanted = set(models().values())
    assert wanted == {"eng", "rus", "fra", "spa", "deu", "chi_sim", "ara"}
    assert wanted <= set(listed), "run scripts/install-system-deps (make does)"


def test_documents_are_read_in_their_languages_with_english_beside():
    assert tesseract_languages(["ru"]) == "rus+eng"
    assert tesseract_languages(["en"]) == "eng"
    assert tesseract_languages(["zh-Hans", "ar", "en"]) == "ara+chi_sim+eng"
    assert tesseract_languages(["ka"]) == "eng"  # no model: English alone
    assert tesseract_languages([]) == "eng"


def test_the_belovezh_agreement_is_read_in_russian_at_300_dpi():
    require_tesseract()
    scan = UN_SCANS / BELOVEZH
    image = image_for_ocr(scan, 1)
    # The PDF wraps a 778-px image at 96 dpi: brought to 300 dpi for Tesseract.
    assert image.info["dpi"] == (OCR_DPI, OCR_DPI) and image.width == round(778 * 300 / 96.012)
    page = read_page(scan, 1, "rus+eng")
    assert page.engine.endswith("(rus+eng)")
    assert "геополитическая реальность" in checked_text(page.text())
    assert 80 < page.mean_confidence() <= 100
    # English alone turns the Cyrillic into Latin look-alikes: the phrase is lost.
    english = read_page(scan, 1, "eng")
    assert "геополитическая" not in english.text()
    assert english.mean_confidence() < page.mean_confidence()


def test_a_jpeg_page_without_a_resolution_is_read_as_a_whole_page(tmp_path: Path):
    require_tesseract()
    jpeg = belovezh_page_as_jpeg(tmp_path / "belovezh-p1.jpg")
    media_type, pages = inspect_scan(jpeg)
    assert media_type == "image/jpeg" and len(pages) == 1
    # No resolution in its header: taken as an A4-wide page (8.27 in, 94 dpi).
    assert round(pages[0].width_pt) == round(8.27 * 72)
    page = read_page(jpeg, 1, "rus+eng")
    assert page.width > 2400
    assert "геополитическая реальность" in checked_text(page.text())


def test_a_tiff_page_is_read_at_its_own_resolution(tmp_path: Path):
    require_tesseract()
    tiff = resolution_2758_ru_as_tiff(tmp_path / "2758-ru.tif")
    assert inspect_scan(tiff)[0] == "image/tiff"
    assert image_for_ocr(tiff, 1).size == (2592, 3370)  # 300 dpi: untouched
    text = checked_text(read_page(tiff, 1, "rus+eng").text())
    for phrase in ("Китайской Народной Республики", "Чан Кай-ши", "Прием Бутана"):
        assert phrase in text


def test_a_page_image_has_no_page_beyond_its_frames(tmp_path: Path):
    from readingroom.files.scans import ScanError, open_frame

    jpeg = belovezh_page_as_jpeg(tmp_path / "p.jpg")
    with pytest.raises(ScanError, match="no page 2"):
        open_frame(jpeg, 2)
