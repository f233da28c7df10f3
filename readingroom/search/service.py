"""Search as the pages, the JSON twin and the command line use it: one call, one dict."""

from __future__ import annotations

from typing import Any

import nh3
from django.conf import settings
from django.utils import timezone

from readingroom.catalogue.gate import public_documents
from readingroom.catalogue.outbox import pending_document_pks
from readingroom.search.backends.base import FACETS, SORTS, SearchQuery
from readingroom.search.explain import where_matched
from readingroom.search.indexer import get_backend
from readingroom.web import limits


def parse_filters(params) -> dict[str, list[str]]:
    """The facet filters of a query string, within the limits (400 past them)."""
    return limits.filters(params, FACETS)


def search(text: str, filters: dict[str, list[str]] | None = None, page: int = 1,
           size: int | None = None, sort: str = "relevance") -> dict[str, Any]:  # fmt: skip
    size = size or settings.PAGE_SIZE
    sort = sort if sort in SORTS else "relevance"
    now = timezone.now()
    # Read before the index is: a document changed after this moment is shown as it
    # was public then, never as a later state the index has not caught up with.
    hidden = frozenset(pending_document_pks())
    query = SearchQuery(text=text, filters=filters or {}, offset=(page - 1) * size,
                        limit=size, sort=sort, public_at=int(now.timestamp()),
                        hidden=hidden)  # fmt: skip
    results = get_backend().search(query)
    # The engine applied the gate already (hits, total, facets); the hits pass it once
    # more here, against the catalogue itself, as the last word. With the terms every
    # hit shows: one query for the page, not one per hit.
    found = public_documents(now).select_related("document_type", "physical_form").in_bulk(
        [h.pk for h in results.hits]
    )
    matched = where_matched(list(found.values()), text)
    return {
        "query": text,
        "filters": query.filters,
        "total": results.total,
        "sort": sort,
        "page": page,
        "hits": [
            {"document": found[h.pk], "score": h.score, "snippet": _clean_snippet(h.snippet),
             "matched_texts": matched[h.pk]["texts"], "pages": matched[h.pk]["pages"]}
            for h in results.hits if h.pk in found
        ],
        "facets": {name: _facet(name, results.facets.get(name, {})) for name in FACETS},
    }  # fmt: skip


def _facet(name: str, counts: dict[str, int]) -> dict[str, Any]:
    """A facet with thousands of values (people) shows its most frequent ones
    (READINGROOM_FACET_VALUES); the counts stay exact, and "distinct" says how many
    values there are in all."""
    values = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"label": FACETS[name], "values": values[: settings.FACET_VALUES],
            "distinct": len(values)}  # fmt: skip


def _clean_snippet(html: str) -> str:
    # Only the highlight survives, whatever the engine emits.
    return nh3.clean(html, tags={"b"}, attributes={})
