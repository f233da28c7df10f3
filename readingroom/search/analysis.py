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


# ---- Latin look-alikes in Cyrillic text ---------------------------------------------
#
# Tesseract reading Russian with `rus+eng` (files/languages.py) emits Latin letters that
# look like Cyrillic ones: whole words ("OOH" for ООН, "CCCP" for СССР: 15 on the
# Yeltsin letter, 33 on the resolution 2758 page, measured in the un-ussr README) and
# single letters inside Cyrillic words. A reader typing "ООН" must find them, and one
# typing "CCCP" in Latin letters (as many do) the Cyrillic СССР. So machine-read text in
# a Cyrillic-script language is indexed with such words folded to Cyrillic
# (`fold_lookalikes`), and a query word written only in those Latin letters is also
# searched in Cyrillic (`with_lookalikes`). Only letters that look the same in print
# are mapped: upper case A B C E H K M O P T X Y, lower case a c e o p x y.
LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXYacekopxy", "АВСЕНКМОРТХУасекорху")
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "mn"})
_LOOKALIKE_LATIN = frozenset("ABCEHKMOPTXYacekopxy")
_WORD_RE = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _folded_word(word: re.Match) -> str:
    text = word.group(0)
    if text.isascii():
        # A word of look-alike letters only (OOH, CCCP): a Cyrillic word misread.
        return text.translate(LATIN_TO_CYRILLIC) if set(text) <= _LOOKALIKE_LATIN else text
    # A word mixing scripts (Cоюз with a Latin C): its Latin look-alikes are Cyrillic.
    return text.translate(LATIN_TO_CYRILLIC) if _CYRILLIC.search(text) else text


def fold_lookalikes(text: str) -> str:
    """Cyrillic text as it was meant: Latin look-alike words and letters in it folded
    to Cyrillic. For machine-read text in a Cyrillic-script language only: elsewhere a
    Latin word of those letters ("Cape") is what it says."""
    return _WORD_RE.sub(_folded_word, text)


def cyrillic_twin(term: str) -> str | None:
    """The Cyrillic spelling of a query word (or phrase) written in capitals that all
    look like Cyrillic ones ("CCCP" → "СССР", "OOH" → "ООН"); None for anything else.
    Capitals only: an abbreviation is what a reader types in Latin letters for a
    Cyrillic one, while "Cape" or "coop" are English words."""
    words = _WORD_RE.findall(term)
    if not words or not all(len(w) > 1 and w.isascii() and w.isupper()
                            and set(w) <= _LOOKALIKE_LATIN for w in words):  # fmt: skip
        return None
    return term.translate(LATIN_TO_CYRILLIC)


def with_lookalikes(clauses: list) -> list:
    """The query's clauses (`search/boolean.py`) with each plain word or phrase that has
    a Cyrillic twin searched in either script: `CCCP` → `(CCCP OR СССР)`. Field terms
    (`title:…`) and prefixes are left as written."""
    from readingroom.search.boolean import Clause

    out = []
    for clause in clauses:
        terms = []
        for term in clause.terms:
            terms.append(term)
            plain = ":" not in term and not term.endswith("*")
            twin = cyrillic_twin(term) if plain else None
            if twin and twin not in clause.terms:
                terms.append(twin)
        out.append(Clause(terms, clause.excluded))
    return out


def highlight_terms(query: str) -> list[str]:
    """The words of a query worth showing where they matched: field names, operators,
    date ranges and negated words left out; `prefix*` kept with its star; a Latin
    abbreviation's Cyrillic twin added (CCCP, СССР)."""
    from readingroom.search.boolean import parse, positive_text
    from readingroom.search.query import split_date_range

    terms = []
    clauses = with_lookalikes(parse(split_date_range(query)[0]))
    found_by = positive_text(clauses)  # excluded words left out
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
