"""Text analysis shared by the tantivy index and by hit explanation: the same folding
and stemming decides what matches and, afterwards, where it matched."""

from __future__ import annotations

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
    """Does a text contain any of a query's terms, as the English analyzer reads them?"""

    def __init__(self, terms: list[str], stemmer: str = "english") -> None:
        self.analyzer = analyzer(stemmer)
        self.exact: set[str] = set()
        self.prefixes: list[str] = []
        for term in terms:
            if term.endswith("*"):
                self.prefixes += analyzer(None).analyze(term.rstrip("*"))
            else:
                self.exact.update(self.analyzer.analyze(term))

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes)

    def matches(self, text: str) -> bool:
        if not self or not text:
            return False
        tokens = set(self.analyzer.analyze(text))
        if self.exact & tokens:
            return True
        if self.prefixes:
            plain = set(analyzer(None).analyze(text))
            return any(t.startswith(p) for p in self.prefixes for t in plain)
        return False
