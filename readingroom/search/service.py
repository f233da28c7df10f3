"""Search as the pages, the JSON twin and the command line use it: one call, one dict."""

from __future__ import annotations

from typing import Any

import nh3
from django.conf import settings

from readingroom.catalogue.gate import public_documents
from readingroom.search.backends.base import FACETS, SORTS, SearchQuery
from readingroom.search.explain import where_matched
from readingroom.search.indexer import get_backend


def parse_filters(params) -> dict[str, list[str]]:
    return {name: params.getlist(name) for name in FACETS if params.getlist(name)}


def search(text: str, filters: dict[str, list[str]] | None = None, page: int = 1,
           size: int | None = None, sort: str = "relevance") -> dict[str, Any]:  # fmt: skip
    size = size or settings.PAGE_SIZE
    sort = sort if sort in SORTS else "relevance"
    query = SearchQuery(text=text, filters=filters or {}, offset=(page - 1) * size,
                        limit=size, sort=sort)  # fmt: skip
    results = get_backend().search(query)
    # The index only ever holds public documents; the gate is applied again here so
    # a document unpublished a moment ago never shows while its outbox entry waits.
    # With the terms every hit shows: one query for the page, not one per hit.
    found = public_documents().select_related("document_type", "physical_form").in_bulk(
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


# A facet with thousands of values (people) shows its most frequent ones; the counts
# stay exact, and "distinct" says how many values there are in all.
FACET_VALUES_SHOWN = 100


def _facet(name: str, counts: dict[str, int]) -> dict[str, Any]:
    values = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"label": FACETS[name], "values": values[:FACET_VALUES_SHOWN],
            "distinct": len(values)}  # fmt: skip


def _clean_snippet(html: str) -> str:
    # Only the highlight survives, whatever the engine emits.
    return nh3.clean(html, tags={"b"}, attributes={})
