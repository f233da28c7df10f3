"""Classification markings read from a document's page words: suggestions for the
cataloguer, never written by themselves.

Two sources: markings stamped or typed on the pages (SECRET, TOP SECRET, ...; read only
in capitals, as stamps are, so prose such as "a secret meeting" or "British Secret
Intelligence" is no marking), and the typed `CLASSIFICATION:` field of NARA's
identification forms, whose value is read in any case ("Secret", "Top Secret").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readingroom.files.ocr import PageText, Word

# Highest first; the values are the catalogue's classification levels.
LEVELS = ("top-secret", "secret", "confidential", "unclassified")
RANK = {level: len(LEVELS) - i for i, level in enumerate(LEVELS)}
WORD_LEVELS = {"SECRET": "secret", "CONFIDENTIAL": "confidential", "UNCLASSIFIED": "unclassified"}
FORM = "form"
STAMP = "stamp"
# Capitals that follow SECRET in a name, not a marking ("SECRET SERVICE").
NOT_AFTER_SECRET = {"SERVICE", "SERVICES"}
# Misreadings of TOP before SECRET: one edit from TOP, but not the word TO.
NOT_TOP = {"TO"}
# A field label with its value further right on the same row; a word ending with ":"
# is the next label, where the value ends.
LABEL = "CLASSIFICATION"


@dataclass
class Marking:
    level: str  # one of LEVELS
    marking: str  # the marking as read, e.g. "TOP SECRET", "Secret"
    page: int
    evidence: str  # the line as read (the form field: label and value)
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)  # word boxes
    kind: str = STAMP  # FORM: the identification form's CLASSIFICATION field


def detect_markings(pages: list[tuple[int, PageText]]) -> list[Marking]:
    """Markings on the given (page number, page text) pairs: one per level and page,
    holding the boxes of every occurrence; the form field wins its page's evidence."""
    found: dict[tuple[int, str], Marking] = {}
    for number, page in pages:
        words = [w for w in page.words if not w.boilerplate]
        for mk in [*_form_fields(number, words), *_stamps(number, words)]:
            key = (mk.page, mk.level)
            if key not in found:
                found[key] = mk
            else:
                found[key].boxes += [b for b in mk.boxes if b not in found[key].boxes]
    return sorted(found.values(), key=lambda m: (m.page, -RANK[m.level]))


def strongest(markings: list[Marking]) -> Marking | None:
    """The one marking to suggest: the identification form's field when there is one
    (it is the catalogue's own reading), otherwise the highest level seen."""
    forms = [m for m in markings if m.kind == FORM]
    pool = forms or markings
    if not pool:
        return None
    return max(pool, key=lambda m: (RANK[m.level], -m.page))


# ---- the identification form's field ----------------------------------------------


def _form_fields(number: int, words: list[Word]) -> list[Marking]:
    found = []
    for i, word in enumerate(words):
        if _letters(word.text).upper() != LABEL or not _has_colon(words, i):
            continue
        value = _value_right_of(word, words)
        texts = [w.text for w in value if _letters(w.text)]
        level, used = _level_of_value(texts)
        if level:
            marking = " ".join(texts[:used])
            found.append(
                Marking(
                    level=level,
                    marking=marking,
                    page=number,
                    evidence=f"{LABEL}: {marking}",
                    boxes=[_box(w) for w in value if _letters(w.text)][:used],
                    kind=FORM,
                )
            )
    return found


def _has_colon(words: list[Word], i: int) -> bool:
    """ "CLASSIFICATION:" or "CLASSIFICATION :" (OCR reads the spaced colon apart)."""
    if words[i].text.rstrip().endswith(":"):
        return True
    nxt = words[i + 1] if i + 1 < len(words) else None
    return nxt is not None and nxt.line == words[i].line and nxt.text.startswith(":")


def _value_right_of(label: Word, words: list[Word]) -> list[Word]:
    """Words on the label's row to its right, up to the next label. Row, not OCR line:
    Tesseract often puts a form's value in a block of its own."""
    row = sorted(
        (w for w in words if w.x0 > label.x1 - 2 and _same_row(label, w)), key=lambda w: w.x0
    )
    value = []
    for w in row:
        if w.text.startswith(":") and not value:
            continue  # the label's own colon
        if w.text.endswith(":"):
            break
        value.append(w)
    return value


def _same_row(a: Word, b: Word) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)


def _level_of_value(texts: list[str]) -> tuple[str | None, int]:
    """Level of a typed value ("Secret", "Top Secret", "CONFIDENTIAL") and how many of
    its words name it."""
    upper = [_letters(t).upper() for t in texts]
    if upper[:2] == ["TOP", "SECRET"]:
        return "top-secret", 2
    if upper and upper[0] in WORD_LEVELS:
        return WORD_LEVELS[upper[0]], 1
    return None, 0


# ---- stamped and typed markings ------------------------------------------------------


def _stamps(number: int, words: list[Word]) -> list[Marking]:
    found = []
    for line in _lines(words):
        evidence = " ".join(w.text for w in line)
        i = 0
        while i < len(line):
            level, used = _stamp_at(line, i)
            if level:
                hit = line[i : i + used]
                found.append(
                    Marking(
                        level=level,
                        marking=" ".join(w.text for w in hit),
                        page=number,
                        evidence=evidence,
                        boxes=[_box(w) for w in hit],
                    )
                )
            i += used or 1
    return found


def _stamp_at(line: list[Word], i: int) -> tuple[str | None, int]:
    """The marking starting at line[i] and how many words it takes (TOP SECRET is one
    marking, not a SECRET too)."""
    token = _capitals(line[i].text)
    if token is None:
        return None, 0
    nxt = _capitals(line[i + 1].text) if i + 1 < len(line) else None
    joined = _letters(token)
    if joined.endswith("SECRET") and _is_top(joined[:-6]):
        return "top-secret", 1  # TOP-SECRET, TOPSECRET, OPSECRET
    if _is_top(token) and _is(nxt, "SECRET"):
        return "top-secret", 2
    for word, level in WORD_LEVELS.items():
        if _is(token, word):
            if level == "secret" and nxt in NOT_AFTER_SECRET:
                return None, 0
            return level, 1
    return None, 0


def _capitals(text: str) -> str | None:
    """The word as a candidate marking: surrounding punctuation dropped, in capitals as
    stamps are; None for a mixed-case word or a quoted mention (“UNCLASSIFIED”)."""
    if re.match(r"^[\"“”'‘’].*[\"“”'‘’]$", text.strip()) and len(text.strip()) > 2:
        return None
    core = re.sub(r"^[^\w]+|[^\w]+$", "", text)
    letters = _letters(core)
    if not letters or letters != letters.upper():
        return None
    return core


def _is(token: str | None, word: str) -> bool:
    """token is `word` or one OCR substitution from it (SEGRET, 5ECRET), but never a
    longer word (SECRETARY, SECRETS)."""
    if token is None or len(token) != len(word):
        return False
    return sum(a != b for a, b in zip(token, word, strict=True)) <= (1 if len(word) > 5 else 0)


def _is_top(token: str) -> bool:
    return token not in NOT_TOP and _edit_distance(token, "TOP") <= 1 and len(token) >= 2


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# ---- helpers -------------------------------------------------------------------------


def _letters(text: str) -> str:
    return re.sub(r"[^A-Za-z]", "", text)


def _box(word: Word) -> tuple[int, int, int, int]:
    return (word.x0, word.y0, word.x1, word.y1)


def _lines(words: list[Word]) -> list[list[Word]]:
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return list(lines.values())
