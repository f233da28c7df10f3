"""Search as the pages, the JSON twin and the command line use it: one call, one dict."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import nh3
from django.conf import settings
from django.utils import timezone

from readingroom.catalogue.gate import is_public
from readingroom.catalogue.models import Document
from readingroom.catalogue.outbox import pending_document_pks
from readingroom.search.backends.base import FACETS, SORTS, SearchQuery
from readingroom.search.explain import where_matched
from readingroom.search.indexer import get_backend
from readingroom.web import limits

DateRange = tuple[int | None, int | None]


def parse_filters(params) -> dict[str, list[str]]:
    """The facet filters of a query string, within the limits (400 past them)."""
    return limits.filters(params, FACETS)


@dataclass(frozen=True)
class Asked:
    """What a researcher asked, without the paging: the words, the facet filters (OR
    within a facet, AND across) and a date range (yyyymmdd bounds, either open)."""

    text: str = ""
    filters: dict[str, list[str]] | None = None
    dates: DateRange | None = None
    within: tuple[str, str] | None = None  # an entity page's own facet value

    def query(self, at: Visibility, **fields: Any) -> SearchQuery:
        return SearchQuery(text=self.text, filters=dict(self.filters or {}), dates=self.dates,
                           within=self.within, public_at=at.public_at, hidden=at.hidden,
                           **fields)  # fmt: skip

    def without(self, part: str) -> Asked:
        """This request without its words ("q"), its dates ("dates") or a facet's filter."""
        if part == "q":
            return replace(self, text="")
        if part == "dates":
            return replace(self, dates=None)
        return replace(self, filters={k: v for k, v in (self.filters or {}).items() if k != part})


@dataclass(frozen=True)
class Visibility:
    """The moment a search sees the catalogue at, read once for all its engine calls:
    public at `now`, and none of the documents whose change the index has not taken."""

    now: datetime
    hidden: frozenset[int]

    @property
    def public_at(self) -> int:
        return int(self.now.timestamp())

    @classmethod
    def read(cls) -> Visibility:
        # Read before the index is: a document changed after this moment is shown as it
        # was public then, never as a later state the index has not caught up with.
        return cls(timezone.now(), frozenset(pending_document_pks()))


def search(text: str, filters: dict[str, list[str]] | None = None, page: int = 1,
           size: int | None = None, sort: str = "relevance", dates: DateRange | None = None,
           facets: tuple[str, ...] | None = None, at: Visibility | None = None,
           within: tuple[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """One page of hits, the exact total and the counts of `facets` (None: all)."""
    size = settings.PAGE_SIZE if size is None else size
    sort = sort if sort in SORTS else "relevance"
    at = at or Visibility.read()
    asked = Asked(text, filters, dates, within)
    query = asked.query(at, offset=(page - 1) * size, limit=size, sort=sort, facets=facets)
    results = get_backend().search(query)
    # The engine applied the gate already (hits, total, facets); the hits pass it once
    # more here, against the catalogue itself, as the last word. With the terms every
    # hit shows: one query for the page, not one per hit.
    # By id, then the gate's own test on each row (one indexed lookup; see gate.visible_to).
    rows = Document.objects.select_related("document_type", "physical_form").in_bulk(
        [h.pk for h in results.hits]) if results.hits else {}  # fmt: skip
    found = {pk: d for pk, d in rows.items() if is_public(d, at.now)}
    matched = where_matched(list(found.values()), text)
    return {
        "query": text,
        "filters": query.filters,
        "dates": dates,
        "total": results.total,
        "sort": sort,
        "page": page,
        "hits": [
            {"document": found[h.pk], "score": h.score, "snippet": _clean_snippet(h.snippet),
             "matched_texts": matched[h.pk]["texts"], "pages": matched[h.pk]["pages"]}
            for h in results.hits if h.pk in found
        ],
        "facets": {name: _facet(name, counts) for name, counts in results.facets.items()},
        "visibility": at,
    }  # fmt: skip


def facet_counts(name: str, asked: Asked, at: Visibility | None = None) -> dict[str, int]:
    """Every value of one facet with its count for this request: one aggregation, no
    hits (an index page's counts of public documents)."""
    at = at or Visibility.read()
    return get_backend().search(asked.query(at, limit=0, facets=(name,))).facets.get(name, {})


def facet_values(name: str, asked: Asked, at: Visibility | None = None) -> list[tuple[str, int]]:
    """`facet_counts`, most frequent first (a facet page pages through them)."""
    return _sorted(facet_counts(name, asked, at))


def counts(requests: list[Asked], at: Visibility) -> list[int]:
    """The total of each request, in one engine call (one statement on PostgreSQL)."""
    return get_backend().counts([r.query(at, limit=0, facets=()) for r in requests])


def _sorted(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _facet(name: str, counts: dict[str, int]) -> dict[str, Any]:
    """A facet with thousands of values (people) shows its most frequent ones
    (READINGROOM_FACET_VALUES); the counts stay exact, and "distinct" says how many
    values there are in all. "counts" keeps every value's, for the callers that need a
    value beyond the first (a chosen one, every year of a chart)."""
    values = _sorted(counts)
    return {"label": FACETS[name].label, "values": values[: settings.FACET_VALUES],
            "distinct": len(values), "counts": counts}  # fmt: skip


def _clean_snippet(html: str) -> str:
    # Only the highlight survives, whatever the engine emits.
    return nh3.clean(html, tags={"b"}, attributes={})
