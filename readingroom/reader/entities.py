"""Read services for collections (a volume as its table of contents) and agents (a
person's documents across volumes). Documents always pass the public gate."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Case, QuerySet, When
from django.http import HttpRequest
from django.urls import reverse

from readingroom.catalogue import models as m
from readingroom.reader.paging import paged
from readingroom.reader.services import OLDEST_FIRST, document_queryset, document_summary
from readingroom.web import limits


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


def _preorder(root: m.Collection) -> list[m.Collection]:
    """The tree below `root`, root first, each node before its children (by position):
    the order its table of contents is read in."""
    below = _descendants(root)
    children: dict[int | None, list[m.Collection]] = defaultdict(list)
    for node in sorted(below, key=lambda c: (c.position, c.pk)):
        children[node.parent_id].append(node)
    order, stack = [], [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(children.get(node.pk, [])))
    return order


def collection_detail(root: m.Collection, request: HttpRequest) -> dict[str, Any]:
    """A collection as its table of contents: every node of the tree, and one page
    (READINGROOM_LIST_PAGE_SIZE entries) of the documents, read in tree order."""
    nodes = _preorder(root)
    window = limits.window(request.GET, settings.LIST_PAGE_SIZE)
    rank = Case(*(When(collection_id=node.pk, then=i) for i, node in enumerate(nodes)))
    memberships = (m.CollectionMember.objects
                   .filter(collection__in=nodes, document__in=document_queryset(request.user))
                   .select_related("document", "document__document_type")
                   .order_by(rank, "position", "id"))  # fmt: skip
    identifier = (root.identifier,)
    page, paging = paged(request, memberships, window, "reader:collection",
                         "reader:collection-json", identifier)  # fmt: skip
    # A published volume is cited by its own document numbers ("Document 196").
    numbers = dict(
        m.DocumentIdentifier.objects.filter(
            document_id__in=[mb.document_id for mb in page],
            scheme__iendswith="document number",
        ).values_list("document_id", "value")
    )
    members: dict[int, list[dict]] = defaultdict(list)
    for member in page:
        summary = document_summary(member.document, request)
        summary["number"] = numbers.get(member.document_id)
        members[member.collection_id].append(summary)
    children: dict[int | None, list[m.Collection]] = defaultdict(list)
    for node in nodes[1:]:
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
        "document_count": paging["count"],
        "paging": paging,
        "json_url": request.build_absolute_uri(reverse("reader:collection-json",
                                                       args=[root.identifier])),
    })  # fmt: skip
    return out


def collection_list(request: HttpRequest) -> dict[str, Any]:
    """The top collections, a page at a time, each with its first children."""
    window = limits.window(request.GET, settings.LIST_PAGE_SIZE)
    roots = m.Collection.objects.filter(parent=None).order_by("position", "title", "pk")
    page, paging = paged(request, roots, window, "reader:collections", "reader:collections-json")
    shown = settings.LIST_PAGE_SIZE
    children: dict[int, list[m.Collection]] = defaultdict(list)
    for child in m.Collection.objects.filter(parent__in=page).order_by("position", "title", "pk"):
        children[child.parent_id].append(child)
    return {**paging, "results": [
        {**_collection_ref(c, request),
         "children": [_collection_ref(child, request) for child in children[c.pk][:shown]],
         "children_count": len(children[c.pk])}
        for c in page
    ]}  # fmt: skip


def agents_with_public_documents(request: HttpRequest) -> QuerySet[m.Agent]:
    return m.Agent.objects.filter(
        document_links__document__in=document_queryset(request.user)
    ).distinct()


def agent_detail(agent: m.Agent, request: HttpRequest) -> dict[str, Any]:
    """A person or organization, and one page (READINGROOM_LIST_PAGE_SIZE) of the
    documents they appear in, oldest first, each with their roles in it."""
    window = limits.window(request.GET, settings.LIST_PAGE_SIZE)
    documents = (document_queryset(request.user).filter(agent_links__agent=agent).distinct()
                 .order_by(*OLDEST_FIRST))  # fmt: skip
    page, paging = paged(request, documents, window, "reader:agent", "reader:agent-json",
                         (agent.pk,))  # fmt: skip
    roles: dict[int, list[str]] = defaultdict(list)
    links = m.DocumentAgent.objects.filter(agent=agent, document__in=[d.pk for d in page])
    for link in links.order_by("pk"):
        if link.get_role_display() not in roles[link.document_id]:
            roles[link.document_id].append(link.get_role_display())
    by_document = {d.pk: {**document_summary(d, request), "roles": roles[d.pk]} for d in page}
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
        "paging": paging,
        "url": request.build_absolute_uri(reverse("reader:agent", args=[agent.pk])),
        "json_url": request.build_absolute_uri(reverse("reader:agent-json", args=[agent.pk])),
    }
