"""What a search that found nothing can offer: what to relax (each part of the request
with the total it would have without it) and a near spelling of its words, taken from
the index's own terms ("Khruschev" → "Khrushchev").

Both are counted under the same visibility as the search itself, so a suggestion never
points at a hidden record: a word only a draft holds is never suggested, though the
engine's term list may still hold it. The work is bounded: one engine call for the
relaxations, at most a few for the spelling.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from readingroom.catalogue import models as m
from readingroom.search import boolean
from readingroom.search.analysis import analyzer
from readingroom.search.indexer import get_backend
from readingroom.search.query import split_date_range
from readingroom.search.service import Asked, Visibility, counts

MAX_WORDS = 3  # words of one query given a near spelling
MAX_CANDIDATES = 5  # spellings of one word counted
_WORD = re.compile(r"^[^\W\d_]{4,40}$")  # a plain word of letters (no field, phrase, star)


def relaxations(asked: Asked, at: Visibility) -> list[dict[str, Any]]:
    """Each part of the request (its words, each facet's filter, its dates) with the
    total the request would have without it; in one engine call."""
    parts = [name for name in (asked.filters or {})]
    if asked.dates:
        parts.append("dates")
    if asked.text.strip() and parts:  # the words alone: dropping them is a suggestion
        parts.insert(0, "q")
    totals = counts([asked.without(part) for part in parts], at)
    return [{"part": part, "total": total} for part, total in zip(parts, totals, strict=True)]


def edit_distance(a: str, b: str, most: int = 2) -> int:
    """Levenshtein distance with adjacent transpositions counted as one edit (optimal
    string alignment); anything beyond `most` is reported as most + 1."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > most:
            return most + 1
        previous2, previous = previous, row
    return min(previous[-1], most + 1)


def _plain_words(text: str) -> list[str]:
    rest, _ = split_date_range(text)
    words = [c.terms[0] for c in boolean.parse(rest)
             if not c.excluded and len(c.terms) == 1 and _WORD.match(c.terms[0])]  # fmt: skip
    return words[:MAX_WORDS]


def near_spelling(asked: Asked, at: Visibility) -> dict[str, Any] | None:
    """The request with each of its words that finds nothing alone replaced by the
    nearest index term that finds something (same filters and dates), when the whole
    corrected request then finds documents; None otherwise."""
    words = _plain_words(asked.text)
    if not words:
        return None
    alone = counts([replace(asked, text=word) for word in words], at)
    english = analyzer("english")
    corrected = asked.text
    changed = []
    for word, total in zip(words, alone, strict=True):
        stems = english.analyze(word)
        if total or len(stems) != 1:
            continue
        best = _best_term(stems[0], asked, at)
        if best:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", best, corrected, count=1)
            changed.append((word, best))
    if not changed:
        return None
    fixed = replace(asked, text=corrected)
    (total,) = counts([fixed], at)
    if not total:
        return None
    shown = _surface_forms(fixed, changed, at)
    for stem, word in shown.items():
        corrected = re.sub(rf"(?<!\w){re.escape(stem)}(?!\w)", word, corrected, count=1)
    changes = [{"from": old, "to": shown.get(new, new)} for old, new in changed]
    return {"query": corrected, "total": total, "changed": changes}


def _best_term(stem: str, asked: Asked, at: Visibility) -> str | None:
    """The index term nearest `stem` that finds documents for this request."""
    most = 1 if len(stem) <= 5 else 2
    scored = sorted(
        (distance, term) for term in get_backend().terms_with_prefix(stem[:2])
        if term != stem and (distance := edit_distance(stem, term, most)) <= most
    )[:MAX_CANDIDATES]  # fmt: skip
    if not scored:
        return None
    totals = counts([replace(asked, text=term) for _, term in scored], at)
    found = [(distance, -total, term) for (distance, term), total in zip(scored, totals,
                                                                          strict=True) if total]
    return min(found)[2] if found else None


def _surface_forms(fixed: Asked, changed: list[tuple[str, str]], at: Visibility
                   ) -> dict[str, str]:  # fmt: skip
    """Index terms are stems ("convers"); each is shown as a word of the first document
    the corrected request finds (its title, summary or a name) that stems to it, in
    that word's own spelling ("conversation", "Khrushchev")."""
    from readingroom.search.service import search

    hits = search(fixed.text, fixed.filters, size=1, dates=fixed.dates, facets=(), at=at,
                  within=fixed.within)["hits"]
    if not hits:
        return {}
    document = hits[0]["document"]
    names = m.Agent.objects.filter(document_links__document=document).values_list("name",
                                                                                   flat=True)
    text = " ".join([document.title, document.summary, *names])
    english, out = analyzer("english"), {}
    for _, stem in changed:
        for token in re.findall(r"\w+", text):
            if english.analyze(token) == [stem]:
                out[stem] = token
                break
    return out
