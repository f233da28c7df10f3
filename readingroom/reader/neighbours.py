"""The documents before and after one in its collection, in the order its table of
contents reads (a FRUS volume: chapter by chapter, so by document number), among the
documents the reader may see. A few small queries per page, whatever the collection.

Every document page shows these, so they are built cheaply: a tree of up to SMALL
members (any volume) is read whole as plain tuples and ordered here; a bigger one (a
release group of 11,000 records) is ordered by the database, a window each way. The
candidates of every direction then pass the gate together, a batch at a time."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import visible_to
from readingroom.reader.entities import collection_ref, preorder

MOST = 3  # collections a document is shown in this way (they are one or two)
SMALL = 2000  # members of a tree read whole (a FRUS volume has up to about 700)
BATCH, LOOK = 20, 100  # candidates gated at a time; looked at each way, at most
# What the gate (`visible_to`) and a neighbour's link read of a document.
_FIELDS = ("identifier", "title", "state", "embargo_until")


def _volume(c: m.Collection) -> m.Collection:
    """Where a document's order is read: the volume a chapter belongs to (its parents
    come from the prefetch), else the collection itself."""
    for node in [c, *reversed(c.ancestors())]:
        if node.kind == "volume" or node.published:
            return node
    return c


def neighbours(d: m.Document, request: HttpRequest) -> list[dict[str, Any]]:
    roots, candidates = [], []
    for membership in list(d.memberships.all())[:MOST]:
        root = _volume(membership.collection)
        before, after = _around(preorder(root), membership)
        roots.append(root)
        candidates += [before, after]
    found = _first_visible(candidates, request)
    numbers = _numbers([f for f in found if f is not None])
    return [{"collection": collection_ref(root, request),
             "previous": _link(found[2 * i], numbers, request),
             "next": _link(found[2 * i + 1], numbers, request)}
            for i, root in enumerate(roots)]  # fmt: skip


def _around(nodes: list[m.Collection], membership: m.CollectionMember
            ) -> tuple[list[int], list[int]]:  # fmt: skip
    """The ids of up to LOOK documents before (nearest first) and after `membership`
    in the tree of `nodes` (preorder): by node, then position in it, then row."""
    rank = {n.pk: i for i, n in enumerate(nodes)}
    members = m.CollectionMember.objects.filter(collection__in=nodes)
    if len(nodes) > 1:
        rows = list(members.order_by().values_list("collection_id", "position", "pk",
                                                   "document_id")[: SMALL + 1])  # fmt: skip
        if len(rows) <= SMALL:
            rows.sort(key=lambda r: (rank[r[0]], r[1], r[2]))
            here = next(i for i, r in enumerate(rows) if r[2] == membership.pk)
            return ([r[3] for r in reversed(rows[max(0, here - LOOK) : here])],
                    [r[3] for r in rows[here + 1 : here + 1 + LOOK]])  # fmt: skip
    # A big tree, or one collection: the database orders, a window each way (one
    # collection walks its index, catalogue.CollectionMember's reading order).
    if len(nodes) == 1:
        fields, here = ("position", "pk"), (membership.position, membership.pk)
    else:
        members = members.annotate(rank=Case(*(When(collection_id=pk, then=Value(i))
                                               for pk, i in rank.items()),
                                             output_field=IntegerField()))  # fmt: skip
        fields = ("rank", "position", "pk")
        here = (rank[membership.collection_id], membership.position, membership.pk)
    window = members.values_list("document_id", flat=True)
    return ([*window.filter(_beyond(fields, here, "lt"))
             .order_by(*(f"-{f}" for f in fields))[:LOOK]],
            [*window.filter(_beyond(fields, here, "gt")).order_by(*fields)[:LOOK]])


def _beyond(fields: tuple[str, ...], values: tuple, op: str) -> Q:
    """Rows before (`lt`) or after (`gt`) `values` in the order of `fields`."""
    q = Q()
    for i, name in enumerate(fields):
        q |= Q(**dict(zip(fields[:i], values[:i], strict=True)), **{f"{name}__{op}": values[i]})
    return q


def _first_visible(candidates: list[list[int]], request: HttpRequest) -> list[m.Document | None]:
    """For each list of ids, the first document the reader may see. The gate is applied
    to the rows read by id, a batch of each list at a time, all lists in one query
    (asking the database to join every member with the public documents first cost
    40 ms a page at 100,000 documents)."""
    found: list[m.Document | None] = [None] * len(candidates)
    pending = set(range(len(candidates)))
    for start in range(0, LOOK, BATCH):
        ids = {i for k in pending for i in candidates[k][start : start + BATCH]}
        if not ids:
            break
        rows = m.Document.objects.only(*_FIELDS).in_bulk(ids)
        for k in sorted(pending):
            for document_id in candidates[k][start : start + BATCH]:
                row = rows.get(document_id)
                if row is not None and visible_to(request.user, row):
                    found[k] = row
                    pending.discard(k)
                    break
        pending = {k for k in pending if len(candidates[k]) > start + BATCH}
        if not pending:
            break
    return found


def _numbers(documents: list[m.Document]) -> dict[int, str]:
    """Each document's number in its volume ("Document 196"), one query for all."""
    rows = (m.DocumentIdentifier.objects
            .filter(document__in=documents, scheme__iendswith="document number")
            .order_by("-position", "-pk").values_list("document_id", "value"))  # fmt: skip
    return dict(rows) if documents else {}  # the first of each, as it comes last


def _link(d: m.Document | None, numbers: dict[int, str], request: HttpRequest
          ) -> dict[str, Any] | None:  # fmt: skip
    if d is None:
        return None
    return {"identifier": d.identifier, "title": d.title, "number": numbers.get(d.pk),
            "url": request.build_absolute_uri(d.get_absolute_url())}  # fmt: skip
