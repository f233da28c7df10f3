"""Read services for collections: a volume as its table of contents, and the list of
collections. Documents always pass the public gate. (People, organizations, places,
subjects and repositories: `entity_pages.py`.)"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Case, When
from django.http import HttpRequest
from django.urls import reverse

from readingroom.catalogue import models as m
from readingroom.reader.paging import paged
from readingroom.reader.services import document_queryset, document_summary
from readingroom.web import limits


def collection_ref(c: m.Collection, request: HttpRequest) -> dict[str, Any]:
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


def preorder(root: m.Collection) -> list[m.Collection]:
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
    nodes = preorder(root)
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
            **collection_ref(node, request),
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
        "ancestors": [collection_ref(a, request) for a in root.ancestors()],
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
        {**collection_ref(c, request),
         "children": [collection_ref(child, request) for child in children[c.pk][:shown]],
         "children_count": len(children[c.pk])}
        for c in page
    ]}  # fmt: skip
