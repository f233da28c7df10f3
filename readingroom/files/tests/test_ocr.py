"""Words with boxes from the real NARA scans: Tesseract OCR (run for real, on a few
pages, once per test session), the release banner as boilerplate, search hits, and the
text layer of a PDF that has one. No database (`-p no:django --noconftest`)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat

from readingroom.files import ocr
from readingroom.files.images import image_for_ocr
from readingroom.files.ocr import (
    TEXT_LAYER_ENGINE,
    OcrError,
    PageText,
    Word,
    is_release_banner,
    read_page,
    recognize,
    text_layer,
)
from readingroom.files.pdf import PdfError, inspect_pdf
from readingroom.files.tests.real_scans import SCANS, ocr_page, require_tesseract

# Page 1 of these: an identification form (typed), whose record number is its file's.
FORM = "124-10212-10160"
# Page 1: a cable whose banner OCR reads as two lines; stamped SECRET.
SPLIT_BANNER = "104-10170-10145"


def lines_of(page: PageText) -> dict[int, list[Word]]:
    lines: dict[int, list[Word]] = {}
    for word in page.words:
        lines.setdefault(word.line, []).append(word)
    return lines


def inside(word: Word, page: PageText) -> bool:
    return 0 <= word.x0 < word.x1 <= page.width and 0 <= word.y0 < word.y1 <= page.height


def test_tesseract_is_installed():
    require_tesseract()


def test_scans_have_no_text_layer_so_they_are_read_by_ocr():
    assert not any(p.has_text_layer for p in inspect_pdf(SCANS / f"{FORM}.pdf").pages)
    page = ocr_page(FORM, 1)
    assert page.source == "ocr"
    assert page.engine.startswith("tesseract 5") and page.engine.endswith("(eng)")
    assert (page.width, page.height) == image_for_ocr(SCANS / f"{FORM}.pdf", 1).size
    assert "ocrx_word" in page.hocr


def test_identification_form_reads_its_record_number():
    text = ocr_page(FORM, 1).text()
    assert "RECORD NUMBER: 124-10212-10160" in text
    assert "Identification" in text and "DIRECTOR, FBI" in text


def test_words_have_boxes_inside_the_page_and_confidences():
    page = ocr_page(FORM, 1)
    assert len(page.words) > 80
    assert all(inside(w, page) for w in page.words)
    assert all(w.confidence is not None and 0 <= w.confidence <= 100 for w in page.words)
    # reading order: line numbers never go back
    assert [w.line for w in page.words] == sorted(w.line for w in page.words)


def test_release_banner_is_boilerplate_and_not_in_the_text():
    for record in (FORM, SPLIT_BANNER):
        page = ocr_page(record, 1)
        flagged = [w.text for w in page.words if w.boilerplate]
        assert {"RELEASE", "ASSASSINATION", "1992"} <= {w.strip("|[]") for w in flagged}
        text = page.text()
        assert "RELEASE" not in text and "ASSASSINATION RECORDS" not in text, record


def test_record_number_beside_the_banner_stays_text():
    page = ocr_page(FORM, 1)
    first_line = lines_of(page)[0]
    assert first_line[0].text == "124-10212-10160" and not first_line[0].boilerplate
    assert page.text().startswith("124-10212-10160\n")


def test_banner_split_by_ocr_is_flagged_in_both_parts():
    page = ocr_page(SPLIT_BANNER, 1)
    banner_lines = [line for line in lines_of(page).values() if any(w.boilerplate for w in line)]
    assert len(banner_lines) == 2
    assert all(line[0].y0 < 0.05 * page.height for line in banner_lines)


@pytest.mark.parametrize(
    "line",
    [  # as Tesseract read them on other NARA pages
        "104-10113-10249 ; | 2025 RELEASE ww THE PRESIDENT JOHN F. KENNEDY ASSASSINATION"
        " RECORDS ACT OF 1992",
        "104-10121-10091 2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY",
        "(2026 F RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 199 S",
        "104-10120-10373 . | 2025 RELEASE UNDER THE PRESEN JOHN F. KENNEDY ASSASSINATION"
        " RECORDS ACT OF 1992 |",
        "“104 10183-10232 | 2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINAT T OF 1",
        "10170-10145) » | EASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT"
        " OF 1992",
    ],
)
def test_is_release_banner_despite_ocr_errors(line):
    assert is_release_banner(line)


@pytest.mark.parametrize(
    "line",
    [  # document text read on NARA pages, with the most banner words of any
        "FOLLOW THE FOREIGN POLICY. OF PRESIDENT KENNEDY);",
        "*F.<KENNEDY.> OF INTEREST IN MINSK ARE RECORDS HELD BY THE BKGB",
        "THAT OF PRESIDENT KENNEDY, NO PROFOUND CHANGES ARE",
        "JOHN F. KENNEDY",
        "",
    ],
)
def test_document_text_is_no_banner(line):
    assert not is_release_banner(line)


def test_find_returns_words_with_boxes_on_the_page():
    page = ocr_page(FORM, 1)
    hits = page.find(["director"])
    assert [w.text for w in hits] == ["DIRECTOR,"]
    assert all(inside(w, page) for w in hits)
    assert [w.text for w in page.find(["CLASSIF*"])] == ["CLASSIFICATION:"]
    # a part of a hyphenated word, as a search index splitting on hyphens finds it
    assert "RECORD" in {w.text for w in page.find(["record"])}
    assert any(w.text == "124-10212-10160" for w in page.find(["10212"]))


def test_find_never_matches_the_banner():
    page = ocr_page(FORM, 1)
    assert any(w.text == "RELEASE" for w in page.words)
    assert page.find(["release", "under", "president", "1992"]) == []


def test_find_ignores_case_accents_and_punctuation():
    page = PageText(
        "ocr",
        100,
        100,
        [
            Word("Élysée,", 0, 0, 10, 10, 90, 0),
            Word("(Castro)", 20, 0, 30, 10, 90, 0),
            Word("CASTROITES", 40, 0, 50, 10, 90, 0),
            Word("Kennedy", 0, 20, 10, 30, None, 1, boilerplate=True),
        ],
    )
    assert [w.text for w in page.find(["elysee"])] == ["Élysée,"]
    assert [w.text for w in page.find(["CASTRO"])] == ["(Castro)"]
    assert [w.text for w in page.find(["castro*"])] == ["(Castro)", "CASTROITES"]
    assert page.find(["kennedy", "*", ""]) == []


def test_json_is_compact_and_round_trips():
    page = ocr_page(FORM, 1)
    data = page.to_json()
    assert json.loads(json.dumps(data)) == data
    again = PageText.from_json(data)
    assert again.words == page.words
    assert (again.source, again.width, again.height, again.engine) == (
        page.source,
        page.width,
        page.height,
        page.engine,
    )
    assert again.text() == page.text()
    size = len(json.dumps(data, separators=(",", ":")))
    assert size < len(page.hocr) / 4
    assert size < 45 * len(page.words)  # ["SECRET",980,2801,1212,2846,93,41]


@pytest.fixture(scope="module")
def pdf_with_text_layer(tmp_path_factory) -> Path:
    """The form page as the upstream mirror published it: Tesseract's PDF of the page
    image, which carries an invisible text layer over the scan."""
    require_tesseract()
    folder = tmp_path_factory.mktemp("text-layer")
    image = image_for_ocr(SCANS / f"{FORM}.pdf", 1)
    image.save(folder / "page.png", dpi=image.info["dpi"])
    subprocess.run(
        [ocr.TESSERACT, "page.png", "page", "-l", "eng", "pdf"],
        cwd=folder,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        check=True,
        capture_output=True,
    )
    return folder / "page.pdf"


def test_a_page_with_a_text_layer_is_read_from_it_not_by_ocr(pdf_with_text_layer, monkeypatch):
    assert inspect_pdf(pdf_with_text_layer).pages[0].has_text_layer

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran on a page with a text layer")

    monkeypatch.setattr(ocr, "recognize", no_ocr)
    page = read_page(pdf_with_text_layer, 1)
    assert page.source == "text-layer" and page.engine == TEXT_LAYER_ENGINE
    assert all(w.confidence is None for w in page.words)
    assert "124-10212-10160" in page.text()
    assert "RELEASE" not in page.text()  # the banner is boilerplate there too


def test_text_layer_boxes_are_in_300_dpi_pixels_like_ocr(pdf_with_text_layer):
    layer = text_layer(pdf_with_text_layer, 1)
    scanned = ocr_page(FORM, 1)
    assert abs(layer.width - scanned.width) <= 2 and abs(layer.height - scanned.height) <= 2
    assert all(inside(w, layer) for w in layer.words)
    # the same word sits at the same place, origin top left, within a few pixels
    here = layer.find(["DIRECTOR"])[0]
    there = scanned.find(["DIRECTOR"])[0]
    assert abs(here.x0 - there.x0) < 15 and abs(here.y0 - there.y0) < 15


def test_text_layer_boxes_follow_a_rotated_page(pdf_with_text_layer, tmp_path):
    rotated = tmp_path / "rotated.pdf"
    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(pdfium.PdfDocument(pdf_with_text_layer), [0])
    pdf[0].set_rotation(90)
    pdf.save(rotated)
    pdf.close()
    upright, turned = text_layer(pdf_with_text_layer, 1), text_layer(rotated, 1)
    assert (turned.width, turned.height) == (upright.height, upright.width)
    assert all(inside(w, turned) for w in turned.words)
    # the word's box holds the word on the page as shown (turned a quarter clockwise)
    before, after = upright.find(["DIRECTOR"])[0], turned.find(["DIRECTOR"])[0]
    shown = image_for_ocr(rotated, 1).convert("L")
    word = image_for_ocr(pdf_with_text_layer, 1).convert("L")
    expected = word.crop((before.x0, before.y0, before.x1, before.y1))
    expected = expected.transpose(Image.Transpose.ROTATE_270)
    found = shown.crop((after.x0, after.y0, after.x1, after.y1)).resize(expected.size)
    assert ImageStat.Stat(found).mean[0] < 230  # ink, not white paper
    assert ImageStat.Stat(ImageChops.difference(found, expected)).mean[0] < 40


def test_missing_tesseract_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(ocr, "TESSERACT", "/nonexistent/tesseract")
    with pytest.raises(OcrError, match="not installed"):
        recognize(image_for_ocr(SCANS / f"{FORM}.pdf", 1))


def test_tesseract_failure_is_a_clear_error():
    require_tesseract()
    with pytest.raises(OcrError, match=r"tesseract failed \(exit \d+\).*xx"):
        recognize(image_for_ocr(SCANS / f"{FORM}.pdf", 1), language="xx")


def test_tesseract_timeout_is_a_clear_error():
    require_tesseract()
    with pytest.raises(OcrError, match="longer than"):
        recognize(image_for_ocr(SCANS / f"{FORM}.pdf", 1), timeout=0.05)


def test_a_broken_pdf_raises_pdf_error(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes((SCANS / f"{FORM}.pdf").read_bytes()[:3000])
    with pytest.raises(PdfError, match=r"broken\.pdf"):
        read_page(broken, 1)
    with pytest.raises(PdfError, match=r"broken\.pdf"):
        text_layer(broken, 1)
