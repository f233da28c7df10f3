"""Where a facet value or a facet leads besides the search: an entity's own page, a
collection's table of contents, the index page of a kind."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from readingroom.reader.kinds import BY_FACET
from readingroom.reader.paths import absolute, path


def page_for(facet: str, value: str, request: HttpRequest) -> str | None:
    """The page of the thing a facet value names, if it has one."""
    if facet == "collection":
        try:
            return absolute(request, path("reader:collection", value))
        except NoReverseMatch:  # not an identifier at all (a value typed in a URL)
            return None
    kind = BY_FACET.get(facet)
    if kind is None or not value.isdigit() or len(value) > 18:
        return None
    return absolute(request, kind.url(value))


def index_for(facet: str, request: HttpRequest) -> str | None:
    """The page listing every value of a facet's kind (People A–Z, the collections)."""
    if facet == "collection":
        return request.build_absolute_uri(reverse("reader:collections"))
    kind = BY_FACET.get(facet)
    return request.build_absolute_uri(kind.index_url()) if kind else None


def index_label(facet: str) -> str | None:
    if facet == "collection":
        return "Collections"
    kind = BY_FACET.get(facet)
    return kind.plural if kind else None
