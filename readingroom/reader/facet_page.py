"""A facet's "more": every value of one facet for the current search, most frequent
first, a page at a time, each a link that adds it to the search (keeping the words,
the other filters, the dates and the sort)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest

from readingroom.reader import entity_links
from readingroom.reader.links import Links
from readingroom.reader.paging import page_link
from readingroom.reader.results import read_dates, read_within
from readingroom.search.backends.base import FACETS
from readingroom.search.labels import labels
from readingroom.search.service import Asked, facet_values, parse_filters
from readingroom.web import limits


def facet_page(request: HttpRequest, name: str) -> dict[str, Any]:
    if name not in FACETS:
        raise Http404(f"No facet {name!r}; one of {', '.join(FACETS)}.")
    g = request.GET
    window = limits.window(g, settings.LIST_PAGE_SIZE)
    filters, within = parse_filters(g), read_within(g)
    asked = Asked(limits.query_text(g), filters, read_dates(g), within)
    values = facet_values(name, asked)
    pages = max(1, -(-len(values) // window.size))
    if window.page > pages:
        raise Http404(f"page={window.page}: this facet has {pages:,} page(s).")
    page = values[window.offset : window.offset + window.size]
    chosen = filters.get(name, [])
    named = labels({name: [v for v, _ in page] + chosen, **({within[0]: [within[1]]}
                                                           if within else {})})  # fmt: skip
    search = Links(request, "reader:search", (), FACETS)
    args = (name,)
    following = limits.bounded_page_link(window, len(values))
    return {
        "facet": name,
        "label": FACETS[name].label,
        "query": asked.text,
        "within": {"label": FACETS[within[0]].label,
                   "value_label": named[within[0]].get(within[1], within[1])} if within else None,
        "chosen": [{"value": v, "label": named[name].get(v, v), "url": search.toggle(name, v)}
                   for v in chosen],
        "distinct": len(values),
        "values": [{
            "value": v, "label": named[name].get(v, v), "count": count, "selected": v in chosen,
            "url": search.toggle(name, v), "page": entity_links.page_for(name, v, request),
        } for v, count in page],
        "search_url": search.url(),
        "index_url": entity_links.index_for(name, request),
        "count": len(values), "page": window.page, "pages": pages, "page_size": window.size,
        "next": page_link(request, "reader:search-facet-json", args, following),
        "previous": page_link(request, "reader:search-facet-json", args, window.page - 1 or None),
        "next_html": page_link(request, "reader:search-facet", args, following),
        "previous_html": page_link(request, "reader:search-facet", args, window.page - 1 or None),
        "json_url": Links(request, "reader:search-facet-json", args, FACETS).url(),
    }  # fmt: skip
