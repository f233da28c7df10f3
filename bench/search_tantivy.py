"""The tantivy side of the search benchmark: our backend against the raw engine on the
same index, for indexing and for queries (used by `bench/search.py`; Django set up)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy
from search_corpus import Doc, batches
from search_queries import PAGE, Case

from readingroom.search.analysis import analyzer
from readingroom.search.backends.base import FACETS, SearchQuery, as_list
from readingroom.search.backends.tantivy_backend import FACET_BUCKETS as BUCKETS
from readingroom.search.backends.tantivy_backend import (
    HEAP,
    LANGUAGE_FIELDS,
    TEXT_FIELDS,
    TantivyBackend,
    _schema,
)
from readingroom.search.fields import STEMMED_LANGUAGES

# The raw engine searches the same fields as ours (without boosts or known items).
RAW_FIELDS = ["identifier", *TEXT_FIELDS, *LANGUAGE_FIELDS]
# The same terms aggregation our backend asks for: every facet, counts exact.
AGGREGATION = {
    name: {"terms": {"field": name, "size": BUCKETS, "segment_size": BUCKETS}} for name in FACETS
}


def disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def index_ours(
    root: Path, docs: Iterable[Doc], batch: int, progress: Callable[[int], None]
) -> dict[str, Any]:
    """Index through `TantivyBackend.index`, `batch` documents a call as the reindex
    does (one commit each); returns seconds, documents, bytes on disk."""
    shutil.rmtree(root, ignore_errors=True)
    backend, n = TantivyBackend(root), 0
    started = time.perf_counter()
    for chunk in batches(docs, batch):
        backend.index(chunk)
        n += len(chunk)
        progress(n)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "docs": n, "bytes": disk_bytes(root)}


def index_raw(path: Path, docs: Iterable[Doc], progress: Callable[[int], None]) -> dict[str, Any]:
    """The engine alone: same schema and analyzers, same writer settings (one thread,
    same heap), every document added, one commit: no per-document delete (ours replaces
    a document if present) and no commit per batch."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    schema = _schema()
    index = tantivy.Index(schema, path=str(path))
    _register(index)
    writer = index.writer(heap_size=HEAP, num_threads=1)
    started, n = time.perf_counter(), 0
    for fields in docs:
        writer.add_document(_raw_document(fields))
        n += 1
        if n % 10_000 == 0:
            progress(n)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "docs": n, "bytes": disk_bytes(path)}


def _register(index: tantivy.Index) -> None:
    """The analyzers our backend registers (readingroom/search/analysis.py)."""
    index.register_tokenizer("folded_en", analyzer("english"))
    for code, stemmer in STEMMED_LANGUAGES.items():
        index.register_tokenizer(f"folded_{code}", analyzer(stemmer))


def _raw_document(fields: Doc) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_integer("pk", fields["pk"])
    doc.add_integer("date", fields.get("date") or 0)
    doc.add_text("identifier", fields["identifier"])
    for name in (*TEXT_FIELDS, *LANGUAGE_FIELDS, *FACETS):
        for value in as_list(fields.get(name)):
            doc.add_text(name, str(value))
    return doc


class TantivySystems:
    """Our backend and the raw engine, on one index, as timed callables per query."""

    def __init__(self, root: Path) -> None:
        self.backend = TantivyBackend(root)
        self.index = self.backend.index_  # the same index, tokenizers registered

    def ours(self, case: Case) -> Callable[[], int]:
        query = SearchQuery(text=case.ours, limit=PAGE)
        return lambda: self.backend.search(query).total

    def raw(self, case: Case, facets: bool) -> Callable[[], int]:
        """parse_query + top 20 by score with the count, the 20 stored pks read, and
        (facets=True) the same terms aggregation: the engine's own time for our work."""

        def run() -> int:
            searcher = self.index.searcher()
            query = self.index.parse_query(case.tantivy, RAW_FIELDS, conjunction_by_default=True)
            found = searcher.search(query, limit=PAGE, count=True)
            _pks = [searcher.doc(address)["pk"][0] for _, address in found.hits]
            if facets:
                searcher.aggregate(query, AGGREGATION)
            return found.count

        return run

    def systems(self, case: Case) -> dict[str, Callable[[], int]]:
        return {
            "tantivy": self.ours(case),
            "tantivy_raw": self.raw(case, facets=True),
            "tantivy_raw_nofacets": self.raw(case, facets=False),
        }


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    run()
    seconds = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - t)
    return sorted(seconds)[len(seconds) // 2] * 1000


def breakdown(root: Path, case: Case, repeat: int = 15) -> dict[str, Any]:
    """Where our search's time goes for one query: each step `TantivyBackend.search`
    takes, timed alone (median ms), each facet's aggregation alone, and the aggregation
    as one request (one thread, as the raw engine runs it) and as two halves on two
    threads (tantivy releases the GIL while it aggregates): the backend's own halves when
    it splits them (FACET_GROUPS), else two of about equal cost."""
    from readingroom.search.backends import tantivy_backend
    from readingroom.search.backends.tantivy_backend import STORED
    from readingroom.search.snippets import WindowedSnippets

    backend = TantivyBackend(root)
    q = SearchQuery(text=case.ours, limit=PAGE)
    searcher = backend.index_.searcher()
    query = backend._query(q)
    found = searcher.search(query, limit=PAGE, count=True)
    docs = [searcher.doc(address) for _, address in found.hits]
    generators = [
        tantivy.SnippetGenerator.create(searcher, query, backend.schema, name) for name in STORED
    ]
    windowed = [
        WindowedSnippets(g, name, q.text) for g, name in zip(generators, STORED, strict=True)
    ]
    steps = {
        "whole search": lambda: backend.search(q),
        "reload": backend.index_.reload,
        "build query": lambda: backend._query(q),
        "top 20 and count": lambda: searcher.search(query, limit=PAGE, count=True),
        "read 20 stored documents": lambda: [searcher.doc(a) for _, a in found.hits],
        "snippets": lambda: [w.html(d) for d in docs for w in windowed],
        "snippets over whole texts": lambda: [
            g.snippet_from_doc(d).to_html() for d in docs for g in generators
        ],
        "facets, one request": lambda: searcher.aggregate(query, AGGREGATION),
    }
    result = {name: _median_ms(run, repeat) for name, run in steps.items()}
    facets = {
        name: _median_ms(lambda one={name: AGGREGATION[name]}: searcher.aggregate(query, one), 5)
        for name in FACETS
    }
    groups = getattr(tantivy_backend, "FACET_GROUPS", None)
    halves = [{n: AGGREGATION[n] for n in g} for g in groups] if groups else _halves(facets)
    with ThreadPoolExecutor(2) as pool:

        def two_threads() -> None:
            for future in [pool.submit(searcher.aggregate, query, h) for h in halves]:
                future.result()

        result["facets, two halves on two threads"] = _median_ms(two_threads, repeat)
    return {
        "steps": result,
        "facets": facets,
        "segments": searcher.num_segments,
        "split_in_backend": bool(groups),
    }


def _halves(facets: dict[str, float]) -> list[dict[str, Any]]:
    """Two aggregation requests of about equal cost (greedy on each facet's time)."""
    halves: list[dict[str, Any]] = [{}, {}]
    cost = [0.0, 0.0]
    for name in sorted(facets, key=facets.get, reverse=True):
        i = cost.index(min(cost))
        halves[i][name] = AGGREGATION[name]
        cost[i] += facets[name]
    return halves
