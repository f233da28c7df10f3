"""Document types suggested by a record's own words (`data/type_cues.json`): the words its
title opens with, or the form header printed on its scan (DISPATCH, MEMORANDUM FOR THE
RECORD). For records whose source gives only a physical form; an editor accepts a
suggestion (`catalogue/suggestions.py`), nothing is applied by itself.

Pure: the cues are read once at import; the callers (the loader for titles, the page
worker for scans) store what these functions find.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from readingroom.catalogue.vocabularies import DATA, normalize_spelling

CUES = json.loads((DATA / "type_cues.json").read_text(encoding="utf-8"))
SAYS_NOTHING = frozenset(normalize_spelling(s) for s in CUES["says_nothing"]["spellings"])
_TITLE_SLUGS = [slug for _, slug in CUES["title"]["cues"]]


def _alternatives(anchored: bool) -> re.Pattern:
    """The title cues that open a title (anchored) or close it, as one pattern of named
    groups (`c<index>`), so a title is matched once per kind: the first alternative
    that matches wins, as listed. An opening cue fails at the first letter that does
    not fit; a closing one is looked for in the title's last words only."""
    return re.compile(
        "|".join(
            f"(?P<c{i}>{pattern})"
            for i, (pattern, _) in enumerate(CUES["title"]["cues"])
            if pattern.startswith("^") == anchored
        )
    )


_OPENING, _CLOSING = _alternatives(True), _alternatives(False)
CLOSING_SPAN = 24  # characters at a title's end where a closing cue is looked for
_HEADER = CUES["header"]
_HEADER_CUES = [(cue, slug, cover) for cue, slug, cover in _HEADER["cues"]]
# A header stands on a line of its own: a cue inside a longer line (a routing slip's
# "APPROVAL DISPATCH RECOMMENDATION" boxes) is not the page's header.
HEADER_SLACK = 12  # letters a header line may hold beyond its cue (OCR noise, a stamp)
TOP = 1 / 3  # of the page's height, where a form prints its header


@dataclass(frozen=True)
class Cue:
    slug: str  # a document type of data/document_types.json
    evidence: str  # the words that suggest it, as read
    page: int | None = None  # of the scan


@lru_cache(maxsize=1024)  # asked for every record of a list: a few dozen spellings
def says_nothing(spelling: str) -> bool:
    """A type column's value that says no type and no form (`UNKNOWN DOCUMENT TYPE`)."""
    return normalize_spelling(spelling) in SAYS_NOTHING


@lru_cache(maxsize=4096)
def title_cue(title: str) -> Cue | None:
    """The type a title's opening words suggest: `CABLE RE OSWALD` → telegram."""
    upper = title.upper()  # titles come with their spaces folded (the parsers' text)
    match = _OPENING.match(upper) or _CLOSING.search(upper, max(0, len(upper) - CLOSING_SPAN))
    if match is None or match.lastgroup is None:
        return None
    slug = _TITLE_SLUGS[int(match.lastgroup[1:])]
    return Cue(slug, match.group(match.lastgroup).strip())


def header_cue(pages: list[tuple[int, list[tuple[int, str]]]]) -> Cue | None:
    """The type a scan's form header suggests. `pages`: (page number, [(line's top as a
    fraction of the page height × 1000, line text)]) in page order."""
    cover: Cue | None = None
    for number, lines in pages:
        top = [text for y, text in lines if y <= TOP * 1000]
        letters = [re.sub(r"[^A-Z]", "", text.upper()) for text in top]
        if any(skip in line for line in letters for skip in _HEADER["skip_pages_with"]):
            continue  # NARA's identification form: the catalogue's page, not the record's
        found = [_found(line, text, number) for line, text in zip(letters, top, strict=True)]
        cues = [c for c in found if c is not None]
        if any(is_cover for _, is_cover in cues):
            cover = cover or next(c for c, is_cover in cues if is_cover)
            continue
        if cues:
            return cues[0][0]
    return cover


def _found(letters: str, text: str, page: int) -> tuple[Cue, bool] | None:
    for cue, slug, is_cover in _HEADER_CUES:
        if len(letters) > len(cue) + HEADER_SLACK:
            continue
        if _near(cue, letters):
            return Cue(slug, " ".join(text.split()), page), is_cover
    return None


def _near(cue: str, letters: str) -> bool:
    """`cue` in `letters`, or a stretch of them one letter off (OCR: OISPATCH)."""
    if cue in letters:
        return True
    n = len(cue)
    if n < 7:
        return False
    for size in (n - 1, n, n + 1):
        for start in range(0, max(0, len(letters) - size) + 1):
            if _one_edit(cue, letters[start : start + size]):
                return True
    return False


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
