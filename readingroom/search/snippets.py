"""Snippets from a window of a long text, not the whole of it.

tantivy's snippet generator analyzes the entire stored text (tokens, folding,
stemming) to pick its fragment: about 0.5 ms for a 17 KB FRUS document, so twenty long
hits cost ten times what the query itself does. The fragment shown is 150 characters,
so here the generator is given windows around the first place where each query word
matches, found by a plain text search, and the whole text only when that window has no
fragment (a match the expression cannot see: accents folded, a stem that is not a
prefix of its word).

Candidates are words that begin with a query word's stem less its last letter
(snowball stems change at most a word's end: "happy" → "happi", "ponies" → "poni"; its
three irregular forms are listed below); the first candidate that the English analyzer
turns into one of the query's stems is the match. In an ASCII text that has none, the
engine finds none either (both fold case the same way), so the generator is not run.
A text that is not ASCII may hold a match only the engine's accent folding sees, so it
is given whole when its window has nothing.
"""

from __future__ import annotations

import re
from functools import cache

import tantivy

from readingroom.search.analysis import analyzer, highlight_terms

WINDOW = 300  # characters each side of the first match (a fragment is 150)
SHORT = 4 * WINDOW  # a text this long is given whole: a window would save little


# Snowball's English exceptions whose stem is not a word's prefix less one letter.
IRREGULAR = {"die": "dy", "lie": "ly", "tie": "ty"}  # dying → die, lying, tying


class WindowedSnippets:
    """Snippets of one stored field for one query."""

    def __init__(self, generator: tantivy.SnippetGenerator, field: str, query_text: str) -> None:
        self.generator, self.field = generator, field
        # Only the words this field's generator highlights: a word searched in another
        # field (`title:telegram`) is no reason to look here. Each is tried on a text
        # of its own, a few microseconds.
        self.words = _query_words(tuple(
            term for term in highlight_terms(query_text)
            if self._highlights(term.rstrip("*"))
        ))  # fmt: skip

    def _highlights(self, text: str) -> bool:
        probe = tantivy.Document(**{self.field: [text]})
        return bool(self.generator.snippet_from_doc(probe).highlighted())

    def html(self, doc: tantivy.Document) -> str:
        texts = doc[self.field]
        if self.words is None or not texts:
            return ""
        text = texts[0] if len(texts) == 1 else " ".join(texts)
        if len(text) <= SHORT:
            return self.generator.snippet_from_doc(doc).to_html()
        found = self.words.first_matches(text)
        if found:
            window = tantivy.Document(**{self.field: [_windows(text, found)]})
            html = self.generator.snippet_from_doc(window).to_html()
            if html or text.isascii():
                return html
        elif text.isascii():
            return ""  # no word of the query is in it (see the module's note)
        return self.generator.snippet_from_doc(doc).to_html()


def _windows(text: str, positions: list[int]) -> str:
    """The text around each position, overlapping windows merged, apart ones joined by
    an ellipsis: the generator picks the best fragment among them, one with several of
    the query's words when they stand together near a first occurrence."""
    spans: list[list[int]] = []
    for at in sorted(positions):
        start, end = max(0, at - WINDOW), at + WINDOW
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return " … ".join(text[start:end] for start, end in spans)


_WORD = re.compile(r"\w+")


class _QueryWords:
    def __init__(self, stems: frozenset[str], star_prefixes: tuple[str, ...]) -> None:
        self.stems, self.star_prefixes = stems, star_prefixes
        prefixes = {*star_prefixes}
        for stem in stems:
            prefixes.add(stem[:-1] if len(stem) > 2 else stem)
            if stem in IRREGULAR:
                prefixes.add(IRREGULAR[stem])
        self.prefixes = tuple(prefixes)
        self.english = analyzer("english")

    def first_matches(self, text: str) -> list[int]:
        """Where each query word's first match begins, as far as a plain search sees:
        first for its prefix as written in lower case, Capitalized and in CAPITALS
        (`str.find`, many times faster than a case-insensitive expression), then, when
        none of those is a match, in the whole text lower-cased."""
        found = []
        low = None
        for prefix in self.prefixes:
            at = self._first(text, (prefix, prefix.capitalize(), prefix.upper()))
            if at is None:
                low = text.lower() if low is None else low
                at = self._first(low, (prefix,))
            if at is not None:
                found.append(at)
        return found

    def _first(self, text: str, spellings: tuple[str, ...]) -> int | None:
        first = None
        for spelling in spellings:
            at = text.find(spelling)
            while at != -1 and (first is None or at < first):
                if at == 0 or not text[at - 1].isalnum():
                    word = _WORD.match(text, at)
                    if word is not None and self._engine_matches(word.group(0).lower()):
                        first = at
                        break
                at = text.find(spelling, at + 1)
        return first

    def _engine_matches(self, word: str) -> bool:
        return word.startswith(self.star_prefixes) or not self.stems.isdisjoint(
            self.english.analyze(word)
        )


@cache
def _query_words(terms: tuple[str, ...]) -> _QueryWords | None:
    """The query's words as the engine matches them; None when it has none."""
    stems: set[str] = set()
    star: list[str] = []
    for term in terms:
        if term.endswith("*"):
            star += analyzer(None).analyze(term.rstrip("*"))
        else:
            stems.update(analyzer("english").analyze(term))
    if not stems and not star:
        return None
    return _QueryWords(frozenset(stems), tuple(star))
