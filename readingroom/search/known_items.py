"""Known-item lookup: what a researcher types when they already know the document.

A record ID ("862"), a FRUS citation ("Volume V, Document 196", "vol. 5 doc 196",
"v05 d196") or an identifier is recognized here, once for both backends, and the
backends add it to the word query as an alternative that ranks first. Agency record
numbers ("104-10107-10135") and archival references ("f. 0104, op. 19") need nothing
special: they are indexed as the identifier and in the archive field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
FRUS_CITATION = re.compile(
    r"\b(?:vol(?:ume)?\.?\s*|v)(?P<volume>[IVXLC]+|\d{1,3})\b[,;\s]*"
    r"(?:doc(?:ument)?\.?\s*|d|no\.?\s*)(?P<document>\d{1,4})\b",
    re.IGNORECASE,
)
RECORD_ID = re.compile(r"^\s*(?:record\s*(?:id)?\s*[:#]?\s*)?(?P<pk>\d{1,12})\s*$", re.IGNORECASE)


def roman_to_int(text: str) -> int | None:
    text = text.upper()
    if not text or any(c not in ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        value = ROMAN[c]
        total += -value if i + 1 < len(text) and ROMAN[text[i + 1]] > value else value
    return total


@dataclass
class KnownItems:
    pks: list[int] = field(default_factory=list)
    identifier_patterns: list[str] = field(default_factory=list)  # regexes, whole identifier

    def __bool__(self) -> bool:
        return bool(self.pks or self.identifier_patterns)


def known_items(text: str) -> KnownItems:
    found = KnownItems()
    if m := RECORD_ID.match(text):
        found.pks.append(int(m["pk"]))
    for m in FRUS_CITATION.finditer(text):
        raw = m["volume"]
        volume = int(raw) if raw.isdigit() else roman_to_int(raw)
        if volume:
            # frus1961-63v05-d196: any series, the volume zero-padded or not.
            found.identifier_patterns.append(f"frus.*v0*{volume}-d{int(m['document'])}")
    return found
