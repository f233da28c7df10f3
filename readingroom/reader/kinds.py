"""The kinds of entity that have pages — people, organizations, places, subjects and
repositories — declared once: the URL word, the labels, the index facet that holds their
ids, the catalogue rows and how a document links to them. The entity pages, their index
pages and the links from facets and documents all read this table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from readingroom.catalogue import models as m
from readingroom.reader.paths import path


@dataclass(frozen=True)
class Kind:
    slug: str  # in URLs: /people/, /places/12/
    singular: str
    plural: str
    facet: str  # the index facet holding their ids (search/backends/base.py)
    model: Any
    name_field: str  # what it is called: name, term
    documents_by: str  # Document lookup to one of them: "agent_links__agent"
    agent_kind: str | None = None  # people and organizations are both agents
    other_names: str | None = None  # the related manager of its other names

    def rows(self) -> QuerySet:
        rows = self.model.objects.all()
        return rows.filter(kind=self.agent_kind) if self.agent_kind else rows

    def url(self, pk: int | str) -> str:
        """The entity's page (people and organizations at /agents/<id>/, their address
        since the first agent pages)."""
        if self.agent_kind:
            return path("reader:agent", pk)
        return path("reader:entity", self.slug, pk)

    def json_url(self, pk: int | str) -> str:
        if self.agent_kind:
            return path("reader:agent-json", pk)
        return path("reader:entity-json", self.slug, pk)

    def index_url(self) -> str:
        return reverse("reader:entities", args=[self.slug])


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind("people", "Person", "People", "people", m.Agent, "name", "agent_links__agent",
             agent_kind=m.AgentKind.PERSON, other_names="other_names"),
        Kind("organizations", "Organization", "Organizations", "organizations", m.Agent, "name",
             "agent_links__agent", agent_kind=m.AgentKind.ORGANIZATION,
             other_names="other_names"),
        Kind("places", "Place", "Places", "places", m.Place, "name", "place_links__place",
             other_names="other_names"),
        Kind("subjects", "Subject", "Subjects", "subjects", m.Subject, "term", "subjects"),
        Kind("repositories", "Archive", "Archives", "repository", m.Repository, "name",
             "archival_references__repository", other_names="other_names"),
    )
}  # fmt: skip
BY_FACET: dict[str, Kind] = {k.facet: k for k in KINDS.values()}
SLUGS = "|".join(KINDS)  # for the URL patterns
PAGED_SLUGS = "|".join(slug for slug, k in KINDS.items() if not k.agent_kind)


def kind_of_agent(agent: m.Agent) -> Kind:
    return KINDS["people" if agent.kind == m.AgentKind.PERSON else "organizations"]
