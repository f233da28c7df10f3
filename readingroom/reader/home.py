"""The home page: the search box, the collections with their counts, what was added
most recently (by *public since*), and the corpus at a glance — documents per decade and
per year, by type and by classification — each a link into search.

One search (all public documents, newest public first, five facets counted) gives all
of it but the collections' titles: the counts obey the gate as every search does."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from readingroom.catalogue import models as m
from readingroom.reader import charts
from readingroom.reader.entities import collection_ref
from readingroom.reader.kinds import KINDS
from readingroom.reader.links import Links
from readingroom.reader.services import document_summary
from readingroom.search.labels import labels
from readingroom.search.service import search

RECENT = 8  # documents under "Recently added"
CHILDREN = 6  # parts of a collection shown under it (the largest), then "all parts"
FACETS = ("collection", "year", "type", "classification")


def home(request: HttpRequest) -> dict[str, Any]:
    found = search("", sort="added", size=RECENT, facets=FACETS)
    counts = {name: found["facets"][name]["counts"] for name in FACETS}
    to_search = Links(request, "reader:search")
    named = labels({"type": counts["type"], "classification": counts["classification"]})
    return {
        "total": found["total"],
        "collections": _collections(counts["collection"], request),
        "recent": [document_summary(h["document"], request) for h in found["hits"]],
        "decades": charts.decade_chart(counts["year"], to_search.with_dates),
        "years": charts.bar_chart(
            _every_year(counts["year"], to_search), "Documents per year"),
        "by_type": _ranked("type", counts["type"], named, to_search),
        "by_classification": _ranked("classification", counts["classification"], named,
                                     to_search),
        "kinds": [{"slug": k.slug, "label": k.plural,
                   "url": request.build_absolute_uri(k.index_url())} for k in KINDS.values()],
        "search_url": request.build_absolute_uri(reverse("reader:search")),
        "json_url": request.build_absolute_uri(reverse("reader:home-json")),
    }  # fmt: skip


def _every_year(years: dict[str, int], to_search: Links) -> list[tuple[str, int, str | None]]:
    found = {int(y): n for y, n in years.items() if y.isdigit()}
    if not found:
        return []
    return [(str(y), found.get(y, 0), to_search.with_dates(str(y), str(y)))
            for y in range(min(found), max(found) + 1)]  # fmt: skip


def _ranked(facet: str, counts: dict[str, int], named, to_search: Links) -> list[dict[str, Any]]:
    return [{"value": v, "label": named[facet].get(v, v), "count": n,
             "url": to_search.only(facet, v)}
            for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]  # fmt: skip


def _collections(counts: dict[str, int], request: HttpRequest) -> list[dict[str, Any]]:
    """The top collections that hold public documents, each with its largest parts."""
    roots = [c for c in m.Collection.objects.filter(parent=None).order_by("position", "title",
                                                                           "pk")
             if counts.get(c.identifier)]  # fmt: skip
    children: dict[int, list[m.Collection]] = defaultdict(list)
    for child in m.Collection.objects.filter(parent__in=roots).only(
            "identifier", "title", "kind", "parent_id"):  # fmt: skip
        if counts.get(child.identifier):
            children[child.parent_id].append(child)
    out = []
    for root in roots:
        parts = sorted(children[root.pk], key=lambda c: (-counts[c.identifier], c.title))
        out.append({
            **collection_ref(root, request), "documents": counts[root.identifier],
            "parts": [{**collection_ref(c, request), "documents": counts[c.identifier]}
                      for c in parts[:CHILDREN]],
            "parts_count": len(parts),
        })  # fmt: skip
    return out
