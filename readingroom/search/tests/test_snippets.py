"""Snippets from windows (`search/snippets.py`) against tantivy's generator over the
whole text: on the real FRUS documents of a volume, for real queries, the windows must
give a snippet exactly when the whole text does, highlighting words of the query. No
database: the parser's records go straight into an index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tantivy

from readingroom.conf import corpus
from readingroom.ingest.parsers.frus import parse_volume
from readingroom.ingest.records import DocumentRecord
from readingroom.search.analysis import TermMatcher, analyzer, highlight_terms
from readingroom.search.backends.base import SearchQuery
from readingroom.search.backends.tantivy_backend import STORED, TantivyBackend
from readingroom.search.fields import plain_text
from readingroom.search.snippets import SHORT, WindowedSnippets

QUERIES = ["Sputnik", "president", '"nuclear test"', "Castro OR Guevara -Khrushchev",
           "title:telegram person:Rusk", "missiles Cuba", "Berlin wall", "dying",
           "negotiat*", "Khrushchev", "1962-05..1962-10", "ambassador's"]  # fmt: skip
HIGHLIGHT = re.compile(r"<b>(.*?)</b>")


@pytest.fixture(scope="module")
def backend(tmp_path_factory) -> TantivyBackend:
    records = [item for item in parse_volume(corpus() / "frus" / "frus1961-63v05.xml").items
               if isinstance(item, DocumentRecord)]  # fmt: skip
    backend = TantivyBackend(Path(tmp_path_factory.mktemp("index")))
    backend.index(
        {"pk": pk, "identifier": r.identifier, "title": r.title,
         "body": " ".join(plain_text(t.html) for t in r.texts),
         "person": [a.name for a in r.agents]}
        for pk, r in enumerate(records, start=1)
    )  # fmt: skip
    return backend


def whole_and_windowed(backend: TantivyBackend, text: str, documents) -> list[tuple[str, str]]:
    searcher = backend.index_.searcher()
    query = backend._query(SearchQuery(text=text))
    pairs = []
    for name in STORED:
        generator = tantivy.SnippetGenerator.create(searcher, query, backend.schema, name)
        windowed = WindowedSnippets(generator, name, text)
        for doc in documents:
            pairs.append((generator.snippet_from_doc(doc).to_html(), windowed.html(doc)))
    return pairs


@pytest.mark.parametrize("text", QUERIES)
def test_a_window_gives_a_snippet_exactly_when_the_whole_text_does(backend, text) -> None:
    searcher = backend.index_.searcher()
    found = searcher.search(backend._query(SearchQuery(text=text)), limit=200)
    documents = [searcher.doc(address) for _, address in found.hits]
    long_ones = sum(len(" ".join(d["body"])) > SHORT for d in documents)
    assert long_ones or not found.hits  # the windows are what is tested
    query_stems = {s for word in highlight_terms(text) for s in analyzer("english").analyze(word)}
    for whole, windowed in whole_and_windowed(backend, text, documents):
        assert bool(whole) == bool(windowed), (text, whole, windowed)
        if whole:  # the same fragment when a word's first place is its best one
            assert stems(windowed) & query_stems, (whole, windowed)


def stems(html: str) -> set[str]:
    return {s for word in HIGHLIGHT.findall(html) for s in analyzer("english").analyze(word)}


def long_text(middle: str) -> str:
    filler = "The conversation turned to other matters of the day. " * 200  # 10,800 characters
    return f"{filler}{middle} {filler}"


@pytest.mark.parametrize(
    ("query", "middle", "shown"),
    [
        ("Sputnik", "the SpUtNiK launch", "SpUtNiK"),  # any case: found lower-cased
        ("die", "he was dying then", "dying"),  # a stem that is not the word's prefix
        ("Khrushchev", "Chairman Khrushchëv said", "Khrushchëv"),  # folded accent: whole text
    ],
)
def test_a_match_deep_in_a_long_text_is_shown(backend, query, middle, shown) -> None:
    doc = tantivy.Document(body=[long_text(middle)])
    [(whole, windowed), _ocr] = whole_and_windowed(backend, query, [doc])
    assert f"<b>{shown}</b>" in whole
    assert f"<b>{shown}</b>" in windowed


def test_no_snippet_when_the_word_is_not_in_the_text_or_searched_elsewhere(backend) -> None:
    doc = tantivy.Document(body=[long_text("a telegram from Rusk")])
    for query in ("Sputnik", "title:telegram", "1962-05..1962-10"):
        [(whole, windowed), _ocr] = whole_and_windowed(backend, query, [doc])
        assert whole == windowed == "", query


def full_analysis_matches(terms: list[str], text: str) -> bool:
    """The reference: the whole text analyzed, as the index analyzes it."""
    tokens = set(analyzer("english").analyze(text))
    plain = set(analyzer(None).analyze(text))
    for term in terms:
        if term.endswith("*"):
            if any(t.startswith(p) for p in analyzer(None).analyze(term[:-1]) for t in plain):
                return True
        elif tokens & set(analyzer("english").analyze(term)):
            return True
    return False


@pytest.mark.parametrize("text", QUERIES)
def test_where_a_hit_matched_agrees_with_analyzing_the_whole_text(backend, text) -> None:
    """explain's TermMatcher takes the same shortcut (a plain search, then the analyzer
    on candidate words): on every document of the volume, for every query, it must say
    what analyzing the whole text says."""
    terms = highlight_terms(text)
    matcher = TermMatcher(terms)
    searcher = backend.index_.searcher()
    everything = searcher.search(tantivy.Query.all_query(), limit=1000)
    bodies = [" ".join(searcher.doc(a)["body"]) for _, a in everything.hits]
    bodies += [long_text("he was dying then"), long_text("Chairman Khrushchëv said")]
    agree = [matcher.matches(b) == full_analysis_matches(terms, b) for b in bodies]
    assert all(agree), [b[:80] for b, ok in zip(bodies, agree, strict=True) if not ok][:3]
