"""Read services for collections (a volume as its table of contents) and agents (a
person's documents across volumes). Documents always pass the public gate."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from readingroom.catalogue import models as m
from readingroom.reader.services import document_queryset, document_summary


def _collection_ref(c: m.Collection, request: HttpRequest) -> dict[str, Any]:
    return {
        "identifier": c.identifier,
        "title": c.title,
        "kind": c.kind,
        "url": request.build_absolute_uri(reverse("reader:collection", args=[c.identifier])),
    }


def _descendants(root: m.Collection) -> list[m.Collection]:
    """All nodes below `root`, one query per level (trees here are a few levels deep)."""
    found, level = [], [root.pk]
    while level:
        children = list(m.Collection.objects.filter(parent_id__in=level))
        found += children
        level = [c.pk for c in children]
    return found


def collection_detail(root: m.Collection, request: HttpRequest) -> dict[str, Any]:
    nodes = [root, *_descendants(root)]
    visible = document_queryset(request.user)
    members: dict[int, list[dict]] = defaultdict(list)
    memberships = (m.CollectionMember.objects
                   .filter(collection__in=nodes, document__in=visible)
                   .select_related("document", "document__document_type")
                   .order_by("position", "id"))  # fmt: skip
    memberships = list(memberships)
    # A published volume is cited by its own document numbers ("Document 196").
    numbers = dict(
        m.DocumentIdentifier.objects.filter(
            document_id__in=[mb.document_id for mb in memberships],
            scheme__iendswith="document number",
        ).values_list("document_id", "value")
    )
    for member in memberships:
        summary = document_summary(member.document, request)
        summary["number"] = numbers.get(member.document_id)
        members[member.collection_id].append(summary)
    children: dict[int | None, list[m.Collection]] = defaultdict(list)
    for node in sorted(nodes[1:], key=lambda c: (c.position, c.pk)):
        children[node.parent_id].append(node)

    def tree(node: m.Collection) -> dict[str, Any]:
        return {
            **_collection_ref(node, request),
            "documents": members.get(node.pk, []),
            "children": [tree(child) for child in children.get(node.pk, [])],
        }

    out = tree(root)
    out.update({
        "description": root.description or None,
        "series": root.series or None, "subseries": root.subseries or None,
        "volume_number": root.volume_number or None,
        "editors": [e for e in root.editors.splitlines() if e.strip()],
        "general_editors": [e for e in root.general_editors.splitlines() if e.strip()],
        "published": root.published or None, "isbn": root.isbn or None,
        "publisher": root.publisher or None, "publication_place": root.publication_place or None,
        "ancestors": [_collection_ref(a, request) for a in root.ancestors()],
        "document_count": sum(len(v) for v in members.values()),
        "json_url": request.build_absolute_uri(reverse("reader:collection-json",
                                                       args=[root.identifier])),
    })  # fmt: skip
    return out


def collection_list(request: HttpRequest) -> dict[str, Any]:
    roots = m.Collection.objects.filter(parent=None).order_by("position", "title")
    return {"results": [
        {**_collection_ref(c, request),
         "children": [_collection_ref(child, request) for child in c.children.all()]}
        for c in roots.prefetch_related("children")
    ]}  # fmt: skip


def agents_with_public_documents(request: HttpRequest) -> QuerySet[m.Agent]:
    return m.Agent.objects.filter(
        document_links__document__in=document_queryset(request.user)
    ).distinct()


def agent_detail(agent: m.Agent, request: HttpRequest) -> dict[str, Any]:
    links = (m.DocumentAgent.objects
             .filter(agent=agent, document__in=document_queryset(request.user))
             .select_related("document", "document__document_type")
             .order_by("document__date_start", "document__identifier"))  # fmt: skip
    by_document: dict[int, dict[str, Any]] = {}
    for link in links:
        entry = by_document.setdefault(
            link.document_id, {**document_summary(link.document, request), "roles": []}
        )
        if link.get_role_display() not in entry["roles"]:
            entry["roles"].append(link.get_role_display())
    identifications = (agent.identifications.select_related("collection")
                       .order_by("collection__identifier"))  # fmt: skip
    return {
        "id": agent.pk,
        "name": agent.name,
        "sort_name": agent.sort_name or None,
        "kind": agent.kind,
        "identification": agent.identification or None,
        "other_names": [n.name for n in agent.other_names.all()],
        "identifications": [
            {
                "collection": _collection_ref(i.collection, request),
                "name_as_listed": i.name_as_listed,
                "identification": i.identification or None,
            }
            for i in identifications
        ],
        "documents": list(by_document.values()),
        "url": request.build_absolute_uri(reverse("reader:agent", args=[agent.pk])),
        "json_url": request.build_absolute_uri(reverse("reader:agent-json", args=[agent.pk])),
    }
