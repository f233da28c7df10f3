"""Classification markings suggested from page words: on real OCR of NARA scans (the
pages are read once per session, shared with test_ocr), and on hand-made word lists for
the rules. No database (`-p no:django --noconftest`)."""

from __future__ import annotations

from readingroom.files.markings import FORM, STAMP, Marking, detect_markings, strongest
from readingroom.files.ocr import PageText, Word
from readingroom.files.tests.real_scans import ocr_page

# Page 1 an identification form typed "CLASSIFICATION: Top Secret", page 2 the report,
# stamped TOP SECRET at its head and foot.
TOP_SECRET_REPORT = "177-10002-10092"


def levels(markings: list[Marking]) -> set[tuple[int, str, str]]:
    return {(m.page, m.level, m.kind) for m in markings}


def test_identification_form_field():
    page = ocr_page("124-10212-10160", 1)
    [marking] = detect_markings([(1, page)])
    assert (marking.level, marking.kind, marking.page) == ("secret", FORM, 1)
    assert marking.evidence == "CLASSIFICATION: Secret"
    assert marking.marking == "Secret"
    [(x0, y0, x1, y1)] = marking.boxes
    assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height


def test_top_secret_form_and_stamps_never_read_as_secret_too():
    pages = [(n, ocr_page(TOP_SECRET_REPORT, n)) for n in (1, 2)]
    markings = detect_markings(pages)
    assert levels(markings) == {(1, "top-secret", FORM), (2, "top-secret", STAMP)}
    stamp = next(m for m in markings if m.page == 2)
    assert stamp.marking == "TOP SECRET" and "TOP SECRET" in stamp.evidence
    assert len(stamp.boxes) >= 4  # TOP and SECRET, at the head and at the foot
    best = strongest(markings)
    assert (best.level, best.kind, best.evidence) == (
        "top-secret",
        FORM,
        "CLASSIFICATION: Top Secret",
    )


def test_stamped_secret_on_a_cable():
    markings = detect_markings([(1, ocr_page("104-10170-10145", 1))])
    assert levels(markings) == {(1, "secret", STAMP)}
    assert markings[0].marking == "SECRET"


def test_stamped_confidential_on_a_report():
    markings = detect_markings([(2, ocr_page("176-10036-10134", 2))])
    assert ("confidential", 2) in {(m.level, m.page) for m in markings}
    assert "secret" not in {m.level for m in markings}


# ---- the rules, on hand-made lines ---------------------------------------------------


def page_of(*lines: str, boilerplate: int | None = None) -> PageText:
    """Words laid out left to right, one line a row, 60 px apart."""
    words = []
    for n, line in enumerate(lines):
        x = 100
        for text in line.split():
            words.append(
                Word(
                    text, x, 100 + 60 * n, x + 30 * len(text), 140 + 60 * n, 90, n, n == boilerplate
                )
            )
            x += 30 * len(text) + 20
    return PageText("ocr", 2550, 3300, words)


def test_words_that_only_contain_a_level_are_no_marking():
    page = page_of(
        "THE SECRETARY OF STATE",
        "OFFICIAL SECRETS ACT",
        "CONFIDENTIALITY",
        "THE SECRET SERVICE AGENTS",
        "a secret meeting with a confidential source",
        "British Secret Intelligence",
        'PROHIBITED UNLESS "UNCLASSIFIED"',
    )
    assert detect_markings([(1, page)]) == []


def test_levels_in_capitals_with_ocr_noise():
    page = page_of("-SECRET.", "SEGRET", "(CONFIDENTIAL)", "UNCLASSIFIED", "TOP-SECRET EYES ONLY")
    found = levels(detect_markings([(3, page)]))
    assert found == {
        (3, "secret", STAMP),
        (3, "confidential", STAMP),
        (3, "unclassified", STAMP),
        (3, "top-secret", STAMP),
    }


def test_one_marking_per_level_and_page_with_every_box():
    page = page_of("SECRET", "text in between", "SECRET")
    [marking] = detect_markings([(1, page)])
    assert len(marking.boxes) == 2


def test_form_field_with_its_value_in_another_ocr_line():
    # Tesseract often reads a form's value as a block of its own: same row, other line.
    page = PageText(
        "ocr",
        2550,
        3300,
        [
            Word("CLASSIFICATION", 327, 1568, 620, 1598, 95, 7),
            Word(":", 640, 1575, 650, 1598, 95, 7),
            Word("RESTRICTIONS:", 327, 1630, 650, 1660, 95, 8),
            Word("—", 679, 1576, 700, 1620, 40, 20),
            Word("Secret", 718, 1569, 830, 1599, 96, 20),
        ],
    )
    [marking] = detect_markings([(1, page)])
    assert (marking.level, marking.kind, marking.evidence) == (
        "secret",
        FORM,
        "CLASSIFICATION: Secret",
    )


def test_an_empty_form_field_and_other_labels_suggest_nothing():
    page = page_of(
        "CLASSIFICATION :", "CLASSIFICATION — DISSEMINATION CONTROLS", "CLASSIFICATION: NEW:"
    )
    assert detect_markings([(1, page)]) == []


def test_boilerplate_words_are_not_read():
    page = page_of("SECRET", boilerplate=0)
    assert detect_markings([(1, page)]) == []


def test_strongest_prefers_the_form_field_then_the_highest_level():
    stamps = detect_markings([(2, page_of("SECRET")), (3, page_of("TOP SECRET"))])
    assert strongest(stamps).level == "top-secret"
    form = detect_markings([(1, page_of("CLASSIFICATION: Confidential"))])
    assert strongest(stamps + form).level == "confidential"
    assert strongest([]) is None
