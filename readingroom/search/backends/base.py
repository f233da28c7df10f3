"""The search interface every backend implements, and its plain result types."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

# Facets declared once: name → label. Backends count each exactly.
FACETS: dict[str, str] = {
    "type": "Document type",
    "classification": "Classification",
    "language": "Language",
    "collection": "Collection",
    "repository": "Archive",
    "people": "Person",
    "places": "Place",
    "translated": "Translation exists",
    "decade": "Decade",
    "year": "Year",
    "release_year": "Year released",
    "prior_status": "Status before release",
}


def decade_of(year: str) -> str:
    return f"{int(year) // 10 * 10}s"


# Facets whose counts follow from another's: a document has one year (of its date's
# start) and the decade of that year, so decade counts are year counts summed, exactly,
# and the engines count one facet fewer (at 1M documents each facet costs milliseconds).
DERIVED_FACETS = {"decade": ("year", decade_of)}
COUNTED_FACETS = tuple(name for name in FACETS if name not in DERIVED_FACETS)


def with_derived_counts(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """`facets` (counted by an engine) with the derived facets' counts added."""
    for name, (source, derive) in DERIVED_FACETS.items():
        counts: dict[str, int] = {}
        for value, count in facets.get(source, {}).items():
            key = derive(value)
            counts[key] = counts.get(key, 0) + count
        facets[name] = counts
    return facets


# Sort orders declared once: name → label.
SORTS: dict[str, str] = {
    "relevance": "Relevance",
    "date": "Date, oldest first",
    "-date": "Date, newest first",
    "added": "Recently added",
}


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet → values (AND)
    offset: int = 0
    limit: int = 20
    sort: str = "relevance"
    # Visibility, applied inside the engine's query so that hits, total and every facet
    # count obey it: only documents public at `public_at` (epoch seconds, None: now;
    # the index stores when each becomes public), and none of `hidden` (documents whose
    # change has not reached the index yet: what the index says of them may be stale).
    public_at: int | None = None
    hidden: frozenset[int] = frozenset()

    def visible_at(self) -> int:
        return int(time.time()) if self.public_at is None else self.public_at


@dataclass
class Hit:
    pk: int
    score: float
    snippet: str = ""  # HTML with <b> around matched words


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]  # facet → value → count


class SearchBackend(Protocol):
    def index(self, documents: Iterable[dict[str, Any]]) -> None:
        """Add or replace these documents (index dicts from `search.fields`)."""

    def delete(self, pks: Iterable[int]) -> None:
        """Remove these documents, whether or not they are indexed."""

    def clear(self) -> None:
        """Remove everything (before a full reindex)."""

    def search(self, query: SearchQuery) -> SearchResults: ...


def as_list(value) -> list:
    """An index field's values: None and "" are none, a scalar is one."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]
