"""Text analysis shared by the tantivy index and by hit explanation: the same folding
and stemming decides what matches and, afterwards, where it matched."""

from __future__ import annotations

import re
from functools import cache

import tantivy


@cache
def analyzer(stemmer: str | None) -> tantivy.TextAnalyzer:
    # Case and accent folding for every language; stemming where a stemmer exists.
    builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
               .filter(tantivy.Filter.remove_long(40))
               .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()))  # fmt: skip
    if stemmer:
        builder = builder.filter(tantivy.Filter.stemmer(stemmer))
    return builder.build()


def highlight_terms(query: str) -> list[str]:
    """The words of a query worth showing where they matched: field names, operators,
    date ranges and negated words left out; `prefix*` kept with its star."""
    from readingroom.search.boolean import parse, positive_text
    from readingroom.search.query import split_date_range

    terms = []
    found_by = positive_text(parse(split_date_range(query)[0]))  # excluded words left out
    for raw in found_by.replace('"', " ").replace("(", " ").replace(")", " ").split():
        if raw.startswith("-") or raw in {"AND", "OR", "NOT"}:
            continue
        word = raw.split(":", 1)[1] if ":" in raw else raw
        if word.strip("*"):
            terms.append(word)
    return terms


class TermMatcher:
    """Does a text contain any of a query's terms, as the analyzer reads them?

    For English, a plain search first (`QueryWords`): a text where it finds a word the
    analyzer confirms matches; an ASCII text where it finds none does not; only the
    others are analyzed whole (a long text costs about 0.5 ms to analyze)."""

    def __init__(self, terms: list[str], stemmer: str = "english") -> None:
        self.analyzer = analyzer(stemmer)
        self.exact: set[str] = set()
        self.prefixes: list[str] = []
        for term in terms:
            if term.endswith("*"):
                self.prefixes += analyzer(None).analyze(term.rstrip("*"))
            else:
                self.exact.update(self.analyzer.analyze(term))
        self.words = query_words(tuple(terms)) if stemmer == "english" else None

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes)

    def matches(self, text: str) -> bool:
        if not self or not text:
            return False
        if self.words is not None:
            if self.words.first_matches(text):
                return True
            if text.isascii():
                return False
        tokens = set(self.analyzer.analyze(text))
        if self.exact & tokens:
            return True
        if self.prefixes:
            plain = set(analyzer(None).analyze(text))
            return any(t.startswith(p) for p in self.prefixes for t in plain)
        return False


# Snowball's English exceptions whose stem is not a word's prefix less one letter.
IRREGULAR = {"die": "dy", "lie": "ly", "tie": "ty"}  # dying → die, lying, tying
_WORD = re.compile(r"\w+")


class QueryWords:
    """Where a query's words match in a text, found without analyzing the whole text.

    Candidates are words that begin with a query word's English stem less its last
    letter (snowball stems change at most a word's end: "happy" → "happi", "ponies" →
    "poni"; its three irregular forms are listed above), or with a `prefix*`; the
    analyzer then confirms each candidate word alone. In an ASCII text the search sees
    every word the analyzer would match (both fold case the same way); a text with
    other letters may hold matches only the analyzer's accent folding sees."""

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
        """Where each query word's first match begins: its prefix searched as written
        in lower case, Capitalized and in CAPITALS (`str.find`, many times faster than a
        case-insensitive expression), then, when none of those is a match, in the whole
        text lower-cased."""
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
def query_words(terms: tuple[str, ...]) -> QueryWords | None:
    """The query's words as the English analyzer matches them; None when it has none."""
    stems: set[str] = set()
    star: list[str] = []
    for term in terms:
        if term.endswith("*"):
            star += analyzer(None).analyze(term.rstrip("*"))
        else:
            stems.update(analyzer("english").analyze(term))
    if not stems and not star:
        return None
    return QueryWords(frozenset(stems), tuple(star))
