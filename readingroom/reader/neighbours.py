"""The documents before and after one in its collection, in the order its table of
contents reads (a FRUS volume: chapter by chapter, so by document number), among the
documents the reader may see. A few small queries for each collection a document is in."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import visible_to
from readingroom.reader.entities import collection_ref, preorder

MOST = 3  # collections a document is shown in this way (they are one or two)


def _volume(c: m.Collection) -> m.Collection:
    """Where a document's order is read: the volume a chapter belongs to (its parents
    come from the prefetch), else the collection itself."""
    for node in [c, *reversed(c.ancestors())]:
        if node.kind == "volume" or node.published:
            return node
    return c


def neighbours(d: m.Document, request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for membership in list(d.memberships.all())[:MOST]:
        root = _volume(membership.collection)
        nodes = preorder(root)
        rank = Case(*(When(collection_id=n.pk, then=Value(i)) for i, n in enumerate(nodes)),
                    output_field=IntegerField())  # fmt: skip
        here = next(i for i, n in enumerate(nodes) if n.pk == membership.collection_id)
        members = m.CollectionMember.objects.filter(collection__in=nodes).annotate(rank=rank)
        position, pk = membership.position, membership.pk
        before = Q(rank__lt=here) | Q(rank=here, position__lt=position) | Q(
            rank=here, position=position, pk__lt=pk)  # fmt: skip
        after = Q(rank__gt=here) | Q(rank=here, position__gt=position) | Q(
            rank=here, position=position, pk__gt=pk)  # fmt: skip
        out.append({
            "collection": collection_ref(root, request),
            "previous": _link(_first_visible(
                members.filter(before).order_by("-rank", "-position", "-pk"), request), request),
            "next": _link(_first_visible(
                members.filter(after).order_by("rank", "position", "pk"), request), request),
        })  # fmt: skip
    return out


BATCH, BATCHES = 20, 5  # members looked at for a visible one: a few queries at most


def _first_visible(ordered, request: HttpRequest) -> m.Document | None:
    """The first member whose document the reader may see. The gate is applied to a
    batch of candidates at a time (asking the database to join every member with the
    public documents first cost 40 ms a page at 100,000 documents)."""
    for start in range(0, BATCH * BATCHES, BATCH):
        batch = list(ordered.values_list("document_id", flat=True)[start : start + BATCH])
        if not batch:
            return None
        rows = m.Document.objects.in_bulk(batch)
        for document_id in batch:
            if document_id in rows and visible_to(request.user, rows[document_id]):
                return rows[document_id]
    return None


def _link(d: m.Document | None, request: HttpRequest) -> dict[str, Any] | None:
    if d is None:
        return None
    number = (m.DocumentIdentifier.objects.filter(document=d, scheme__iendswith="document number")
              .values_list("value", flat=True).first())  # fmt: skip
    return {"identifier": d.identifier, "title": d.title, "number": number,
            "url": request.build_absolute_uri(d.get_absolute_url())}  # fmt: skip
