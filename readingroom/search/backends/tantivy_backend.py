"""The embedded default: a tantivy index (Rust, on disk) in $READINGROOM_HOME/index.

Chosen because it answers broad queries with facets in milliseconds where SQLite FTS5
takes hundreds (measurements in docs/benchmarks.md as the search issue lands), has a
lenient query parser (bad syntax never errors) and stemming analyzers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy

from readingroom.search import boolean
from readingroom.search.analysis import analyzer
from readingroom.search.backends.base import (
    FACETS,
    Hit,
    SearchQuery,
    SearchResults,
    as_list,
)
from readingroom.search.fields import (
    STEMMED_LANGUAGES,
    UNDATED,
    UNDATED_LAST,
    fields_with_values,
)
from readingroom.search.known_items import known_items
from readingroom.search.query import split_date_range
from readingroom.search.snippets import WindowedSnippets

# Named as researchers type them: title:, person:, place:, archive: (and the facets).
TEXT_FIELDS = ("title", "summary", "body", "ocr", "person", "place", "archive")
STORED = ("body", "ocr")  # kept for snippets
LANGUAGE_FIELDS = tuple(f"body_{code}" for code in STEMMED_LANGUAGES)


# Title and summary weigh more than the body (boosts in the query parser).
BOOSTS = {"title": 3.0, "summary": 2.0, "identifier": 5.0}
KNOWN_ITEM_BOOST = 50.0  # a recognized record ID or citation outranks any word match
# Bumped whenever the schema changes: each version has its own folder, so a new
# release never opens an index it cannot read (`readingroom migrate` fills the new one).
SCHEMA_VERSION = 9  # 7: public_from, has; 8: body text without footnote marks; 9: entities by id
FACET_BUCKETS = 100_000  # larger than any facet's number of values: counts are exact
HEAP = 50_000_000


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    # i64, not u64: deleting by an unsigned term does not match in the Python binding.
    b.add_integer_field("pk", stored=True, indexed=True, fast=True)
    b.add_text_field("identifier", stored=False, tokenizer_name="raw")
    for name in TEXT_FIELDS:
        b.add_text_field(name, stored=name in STORED, tokenizer_name="folded_en")
    for code in STEMMED_LANGUAGES:
        b.add_text_field(f"body_{code}", stored=False, tokenizer_name=f"folded_{code}")
    for name in FACETS:
        b.add_text_field(name, stored=False, tokenizer_name="raw", fast=True)
    b.add_integer_field("date", stored=False, indexed=True, fast=True)  # yyyymmdd, 0 undated
    b.add_integer_field("date_last", stored=False, indexed=False, fast=True)  # undated: last
    # The gate, in the index (search/fields.py): epoch seconds it becomes public.
    b.add_integer_field("public_from", stored=False, indexed=True, fast=True)
    b.add_integer_field("added", stored=False, indexed=False, fast=True)  # fields.added_key
    b.add_text_field("has", stored=False, tokenizer_name="raw")  # fields with a value
    return b.build()


# `title:*`, `person:*`: "has a value", read through the `has` field (tantivy's own
# reading of `field:*` needs a fast field, and errors on the others).
FIELD_WILDCARD = re.compile(r"(\w+):\*")


def with_field_wildcards(clauses: list[boolean.Clause]) -> list[boolean.Clause]:
    def term(text: str) -> str:
        m = FIELD_WILDCARD.fullmatch(text)
        return f"has:{m[1]}" if m else text

    return [boolean.Clause([term(t) for t in c.terms], c.excluded) for c in clauses]


class TantivyBackend:
    _lock = threading.Lock()  # one writer per process; the index allows one in all

    def __init__(self, root: Path) -> None:
        path = self.path_for(root)
        path.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self.index_ = tantivy.Index(self.schema, path=str(path))
        self.index_.register_tokenizer("folded_en", analyzer("english"))
        for code, stemmer in STEMMED_LANGUAGES.items():
            self.index_.register_tokenizer(f"folded_{code}", analyzer(stemmer))

    @staticmethod
    def path_for(root: Path) -> Path:
        return root / f"v{SCHEMA_VERSION}"

    def _write(self, work) -> None:
        with self._lock:
            writer = self.index_.writer(heap_size=HEAP, num_threads=1)
            work(writer)
            writer.commit()
            writer.wait_merging_threads()
        self.index_.reload()

    def index(self, documents: Iterable[dict[str, Any]]) -> None:
        def work(writer) -> None:
            for fields in documents:
                writer.delete_documents_by_term("pk", fields["pk"])
                doc = tantivy.Document()
                doc.add_integer("pk", fields["pk"])
                doc.add_integer("date", fields.get("date") or UNDATED)
                doc.add_integer("date_last", fields.get("date") or UNDATED_LAST)
                doc.add_integer("public_from", fields.get("public_from") or 0)
                doc.add_integer("added", fields.get("added") or 0)
                for name in fields_with_values(fields):
                    doc.add_text("has", name)
                doc.add_text("identifier", fields["identifier"])
                for name in (*TEXT_FIELDS, *LANGUAGE_FIELDS):
                    for value in as_list(fields.get(name)):
                        doc.add_text(name, value)
                for name in FACETS:
                    for value in as_list(fields.get(name)):
                        doc.add_text(name, str(value))
                writer.add_document(doc)

        self._write(work)

    def delete(self, pks: Iterable[int]) -> None:
        pks = list(pks)
        if pks:
            self._write(lambda writer: [writer.delete_documents_by_term("pk", pk) for pk in pks])

    def clear(self) -> None:
        self._write(lambda writer: writer.delete_all_documents())

    def _query(self, q: SearchQuery) -> tantivy.Query:
        parts = []
        text, dates = split_date_range(q.text)
        for low, high in (r for r in (dates, q.dates) if r):
            parts.append((tantivy.Occur.Must, tantivy.Query.range_query(
                self.schema, "date", tantivy.FieldType.Integer,
                low if low is not None else 1, high)))  # fmt: skip
        # AND/OR/NOT read as researchers mean them (search/boolean.py), then tantivy's
        # own syntax with the grouping explicit; `field:*` asks for a value.
        rendered = boolean.to_tantivy(with_field_wildcards(boolean.parse(text)))
        if rendered.strip():
            # Lenient: bad syntax falls back to what can be read, never an error.
            text_query, _errors = self.index_.parse_query_lenient(
                rendered,
                ["identifier", *TEXT_FIELDS, *LANGUAGE_FIELDS],
                field_boosts=BOOSTS,
                conjunction_by_default=True,  # every word must match, as researchers expect
            )
            items = known_items(text)
            if items:  # a record ID or a citation: an alternative that ranks first
                known = [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "pk", pk))
                         for pk in items.pks]  # fmt: skip
                known += [(tantivy.Occur.Should,
                           tantivy.Query.regex_query(self.schema, "identifier", pattern))
                          for pattern in items.identifier_patterns]  # fmt: skip
                text_query = tantivy.Query.boolean_query([
                    (tantivy.Occur.Should, text_query),
                    (tantivy.Occur.Should, tantivy.Query.boost_query(
                        tantivy.Query.boolean_query(known), KNOWN_ITEM_BOOST)),
                ])  # fmt: skip
            parts.append((tantivy.Occur.Must, text_query))
        if q.within:
            parts.append((tantivy.Occur.Must, tantivy.Query.term_query(self.schema, *q.within)))
        # The values of one facet are alternatives (type=letter&type=telegram: either),
        # the facets all apply.
        for name, values in q.filters.items():
            terms = [tantivy.Query.term_query(self.schema, name, str(value)) for value in values]
            if len(terms) == 1:
                parts.append((tantivy.Occur.Must, terms[0]))
            elif terms:
                parts.append((tantivy.Occur.Must, tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, term) for term in terms])))  # fmt: skip
        return tantivy.Query.boolean_query([*parts, *self._visibility(q)])

    def _visibility(self, q: SearchQuery) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """Only what is public now: hits, count and facets all come from this query."""
        public = tantivy.Query.range_query(
            self.schema, "public_from", tantivy.FieldType.Integer, 0, q.visible_at())
        clauses = [(tantivy.Occur.Must, public)]
        if q.hidden:
            clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_set_query(
                self.schema, "pk", sorted(q.hidden))))
        return clauses  # fmt: skip

    def search(self, q: SearchQuery) -> SearchResults:
        self.index_.reload()  # see what the worker process committed since
        searcher = self.index_.searcher()
        query = self._query(q)
        order = {"date": ("date_last", tantivy.Order.Asc),
                 "-date": ("date", tantivy.Order.Desc),
                 "added": ("added", tantivy.Order.Desc)}.get(q.sort)  # fmt: skip
        sort = {"order_by_field": order[0], "order": order[1]} if order else {}
        # The facet counts (most of a broad query's time) start first, on their own
        # threads, and are counted while this thread finds and highlights the hits.
        facets = self._start_facet_counts(searcher, q, query)
        found = searcher.search(query, limit=max(q.limit, 1), offset=q.offset, count=True, **sort)
        hits = []
        if q.limit:
            snippets = [WindowedSnippets(
                tantivy.SnippetGenerator.create(searcher, query, self.schema, name), name, q.text)
                for name in STORED]  # fmt: skip
            for score, address in found.hits[: q.limit]:
                doc = searcher.doc(address)
                # The edited text's snippet first; the machine-read text's when only it
                # matched.
                found_html = (s.html(doc) for s in snippets)
                snippet = next((html for html in found_html if html), "")
                hits.append(Hit(pk=doc["pk"][0], score=float(score), snippet=snippet))
        return SearchResults(total=found.count, hits=hits, facets=_finish(q, facets))

    def _start_facet_counts(self, searcher, q: SearchQuery, query) -> list[Future]:
        """Exact counts of the facets `q` asks for (`SearchQuery.facet_plan`): a terms
        aggregation sized above any facet's number of values; the query's own in two
        halves at once, and one more for each facet with a filter of its own."""
        jobs = []
        for key, names in q.facet_plan().items():
            if key is None:
                for group in FACET_GROUPS:
                    half = tuple(n for n in group if n in names)
                    if half:
                        jobs.append((key, _AGGREGATORS.submit(_aggregate, searcher, query, half)))
            else:
                other = self._query(q.without_filter(key))
                jobs.append((key, _AGGREGATORS.submit(_aggregate, searcher, other, names)))
        return jobs

    def counts(self, queries: list[SearchQuery]) -> list[int]:
        self.index_.reload()
        searcher = self.index_.searcher()
        return [searcher.search(self._query(q), limit=1, count=True).count for q in queries]

    def terms_with_prefix(self, prefix: str) -> list[str]:
        searcher = self.index_.searcher()
        terms: set[str] = set()
        for name in SUGGESTED_FROM:
            terms.update(term for term, _ in searcher.terms_with_prefix(name, prefix))
        return sorted(terms)


# The fields near spellings come from: titles, summaries, names and places (what the
# PostgreSQL backend's lexicon holds too), not the long texts, whose OCR errors would be
# suggested as words.
SUGGESTED_FROM = ("title", "summary", "person", "place")

# The facet aggregation is most of a broad query's time at 1M documents and runs on one
# core; tantivy releases the GIL, so two halves on two threads take about half as long
# (bench/search.py measured 55.7 → 27.8 ms for a query matching 557k documents).
_AGGREGATORS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="facets")
# Split so each half costs about the same: people and collection are the costliest.
_FIRST_HALF = ("people", "type", "language", "translated", "release_year", "subjects")
FACET_GROUPS = (_FIRST_HALF, tuple(name for name in FACETS if name not in _FIRST_HALF))


def _aggregate(searcher, query, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    result = searcher.aggregate(query, {
        name: {"terms": {"field": name, "size": FACET_BUCKETS, "segment_size": FACET_BUCKETS}}
        for name in names
    })  # fmt: skip
    return {name: {b["key"]: b["doc_count"] for b in result[name]["buckets"]} for name in names}


def _finish(q: SearchQuery, jobs: list[tuple[str | None, Future]]) -> dict[str, dict[str, int]]:
    counted: dict[str | None, dict[str, dict[str, int]]] = {}
    for key, job in jobs:
        counted.setdefault(key, {}).update(job.result())
    return q.facet_counts(counted)
