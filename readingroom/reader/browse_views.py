"""The pages a researcher finds documents with: the home page, search and a facet's
values, the index page of each kind of entity and each entity's page. Each is one
function that builds a dict, rendered as HTML or as its JSON twin like every public
page (`twins`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404

from readingroom.catalogue import models as m
from readingroom.reader.entity_pages import entity_detail, entity_index, entity_or_404
from readingroom.reader.facet_page import facet_page
from readingroom.reader.home import home
from readingroom.reader.kinds import KINDS, Kind, kind_of_agent
from readingroom.reader.results import Scope, results
from readingroom.reader.views import _html, _json
from readingroom.web.caching import public_page

Build = Callable[..., dict[str, Any]]


def twins(build: Build, template: str) -> tuple[Callable, Callable]:
    """The HTML page and the JSON twin of one dict (which carries its `json_url`)."""

    @public_page
    def page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        data = build(request, **kwargs)
        return _html(request, template, data, data["json_url"])

    @public_page
    def as_json(request: HttpRequest, **kwargs: Any) -> JsonResponse:
        return _json(build(request, **kwargs))

    return page, as_json


def _kind(slug: str) -> Kind:
    if slug not in KINDS:  # the URL pattern lets only these through
        raise Http404(f"No kind {slug!r}.")
    return KINDS[slug]


def _entity(request: HttpRequest, kind: str, pk: str) -> dict[str, Any]:
    found = _kind(kind)
    return entity_detail(found, entity_or_404(found, int(pk), request.user), request)


def _agent(request: HttpRequest, pk: int) -> dict[str, Any]:
    # People and organizations keep the address agents have always had (/agents/<id>/).
    kind = kind_of_agent(get_object_or_404(m.Agent, pk=pk))
    return entity_detail(kind, entity_or_404(kind, pk, request.user), request)


SEARCH = Scope("reader:search", "reader:search-json")

home_page, home_json = twins(home, "reader/home.html")
search_page, search_json = twins(lambda request: results(request, SEARCH), "reader/search.html")
facet_values_page, facet_values_json = twins(facet_page, "reader/facet.html")
entity_index_page, entity_index_json = twins(
    lambda request, kind: entity_index(_kind(kind), request), "reader/entity_index.html")
entity_page, entity_json = twins(_entity, "reader/entity.html")
agent_page, agent_json = twins(_agent, "reader/entity.html")
