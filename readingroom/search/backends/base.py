"""The search interface every backend implements, and its plain result types."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol


@dataclass(frozen=True)
class Facet:
    """A facet as the pages show it: its label, and what its values are, so that
    `search/labels.py` can name a value ("letter" → "Letter", "412" → "Dean Rusk") and
    the reader can link an entity's value to its page."""

    label: str
    values: str  # plain | document-type | classification | language | collection | agent |
    #              place | subject | repository | translated
    entity: str | None = None  # the reader's entity kind whose ids these are


# Facets declared once: name → Facet. Backends count each exactly; values of one facet
# are OR-ed, facets AND-ed. Entity facets hold ids (names change, ids do not).
FACETS: dict[str, Facet] = {
    "type": Facet("Document type", "document-type"),
    "classification": Facet("Classification", "classification"),
    "language": Facet("Language", "language"),
    "collection": Facet("Collection", "collection"),
    "repository": Facet("Archive", "repository", entity="repositories"),
    "people": Facet("Person", "agent", entity="people"),
    "organizations": Facet("Organization", "agent", entity="organizations"),
    "places": Facet("Place", "place", entity="places"),
    "subjects": Facet("Subject", "subject", entity="subjects"),
    "translated": Facet("Translation exists", "translated"),
    "decade": Facet("Decade", "plain"),
    "year": Facet("Year", "plain"),
    "release_year": Facet("Year released", "plain"),
    "prior_status": Facet("Status before release", "plain"),
}


def decade_of(year: str) -> str:
    return f"{int(year) // 10 * 10}s"


# Facets whose counts follow from another's: a document has one year (of its date's
# start) and the decade of that year, so decade counts are year counts summed, exactly,
# and the engines count one facet fewer (at 1M documents each facet costs milliseconds).
DERIVED_FACETS = {"decade": ("year", decade_of)}
COUNTED_FACETS = tuple(name for name in FACETS if name not in DERIVED_FACETS)


def source_of(name: str) -> str:
    """The facet an engine counts to give `name`'s counts."""
    return DERIVED_FACETS[name][0] if name in DERIVED_FACETS else name


def derived(name: str, counts: dict[str, int]) -> dict[str, int]:
    """`name`'s counts from its source's counts (the same for a counted facet)."""
    if name not in DERIVED_FACETS:
        return counts
    derive, out = DERIVED_FACETS[name][1], {}
    for value, count in counts.items():
        key = derive(value)
        out[key] = out.get(key, 0) + count
    return out


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
    # facet → values: the values of one facet are OR-ed, the facets AND-ed.
    filters: dict[str, list[str]] = field(default_factory=dict)
    offset: int = 0
    limit: int = 20  # 0: the total and facet counts only
    sort: str = "relevance"
    # A facet value every hit has, whatever the filters say (an entity page's own:
    # filters on the same facet then narrow within it, AND, where they would be OR-ed).
    within: tuple[str, str] | None = None
    # A date range (yyyymmdd, either side open) besides any `date:` in the text: both
    # apply. Undated documents fall in no range.
    dates: tuple[int | None, int | None] | None = None
    # The facets to count (None: every facet). A facet with a filter of its own is
    # counted without that filter (the others apply): its counts say what choosing
    # one more of its values would add, as OR within a facet means.
    facets: tuple[str, ...] | None = None
    # Visibility, applied inside the engine's query so that hits, total and every facet
    # count obey it: only documents public at `public_at` (epoch seconds, None: now;
    # the index stores when each becomes public), and none of `hidden` (documents whose
    # change has not reached the index yet: what the index says of them may be stale).
    public_at: int | None = None
    hidden: frozenset[int] = frozenset()

    def visible_at(self) -> int:
        return int(time.time()) if self.public_at is None else self.public_at

    def without_filter(self, name: str) -> SearchQuery:
        """This query without the filter on facet `name` (for that facet's counts)."""
        return replace(self, filters={k: v for k, v in self.filters.items() if k != name})

    def facet_plan(self) -> dict[str | None, tuple[str, ...]]:
        """What an engine counts for this query's facets: under the query itself (key
        None), the counted facets of every facet without a filter of its own; under the
        query without facet F's filter (key F), F's counted facet. Few aggregations: one,
        plus one per facet the researcher filtered by."""
        wanted = FACETS if self.facets is None else self.facets
        plan: dict[str | None, set[str]] = {}
        for name in wanted:
            key = name if name in self.filters else None
            plan.setdefault(key, set()).add(source_of(name))
        return {key: tuple(n for n in COUNTED_FACETS if n in names)
                for key, names in plan.items()}  # fmt: skip

    def facet_counts(self, counted: dict[str | None, dict[str, dict[str, int]]]
                     ) -> dict[str, dict[str, int]]:  # fmt: skip
        """Every wanted facet's counts from what the engine counted by `facet_plan`."""
        wanted = FACETS if self.facets is None else self.facets
        out = {}
        for name in wanted:
            key = name if name in self.filters else None
            out[name] = derived(name, counted.get(key, {}).get(source_of(name), {}))
        return out


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

    def counts(self, queries: list[SearchQuery]) -> list[int]:
        """The total of each query (no hits, no facets), as cheaply as the engine can:
        what "no results" pages offer to relax, and spelling suggestions check."""

    def terms_with_prefix(self, prefix: str) -> list[str]:
        """Words of the index's title, summary, name and place fields (as its English
        analyzer keeps them: folded, stemmed) that begin with `prefix`: the candidates
        of a near spelling. They may be words of documents not public now; a suggestion
        is checked with `counts` before anyone sees it."""


def as_list(value) -> list:
    """An index field's values: None and "" are none, a scalar is one."""
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, (list, tuple, set)) else [value]
