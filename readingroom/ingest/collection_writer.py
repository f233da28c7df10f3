"""Collection nodes from CollectionRecords: created or updated in place, in order.

A chapter goes where its volume puts it. Other nodes (series, volumes, a release
list's groups) have siblings from other sources, imported in any order: they are kept
in a stated order whatever came first (groups by title, the others by identifier),
siblings renumbered when a new one joins them, so the tree does not depend on the
order of imports.
"""

from __future__ import annotations

from readingroom.catalogue import models as m
from readingroom.ingest.records import CollectionRecord
from readingroom.ingest.validation import check_values


class CollectionWriter:
    def __init__(self, file: str = "") -> None:
        self.file = file  # what errors name: the source the collections come from
        self.positions: dict[str, int] = {}  # next position under each parent
        # Nodes written by this writer, by identifier: a chapter's parent was usually
        # written just before it (a volume has hundreds of chapters).
        self.written: dict[str, m.Collection] = {}
        self.created: list[str] = []  # identifiers of the nodes it created, in order

    def forget(self) -> None:
        """Drop what was learned: after a rollback it may name rows that are gone."""
        self.positions, self.written, self.created = {}, {}, []

    def write(self, c: CollectionRecord) -> m.Collection:
        values = {"identifier": c.identifier, "title": c.title, "kind": c.kind}
        check_values(m.Collection, values, file=self.file, record=c.identifier)
        parent = None
        if c.parent:
            parent = self.written.get(c.parent) or m.Collection.objects.get(identifier=c.parent)
        existing = m.Collection.objects.filter(identifier=c.identifier).first()
        # A re-import keeps a node where it is unless the record says where it goes.
        ordered = c.kind != "chapter"
        if ordered:
            position = existing.position if existing else 0  # placed below
        else:
            position = c.position or (
                existing.position if existing else self._next_position(c.parent)
            )
        node, created = m.Collection.objects.update_or_create(
            identifier=c.identifier,
            defaults={
                "title": c.title,
                "kind": c.kind,
                "parent": parent,
                "position": position,
                "description": c.description,
            },
        )
        self.written[node.identifier] = node
        if created:
            self.created.append(node.identifier)
            if ordered:
                _order_siblings(parent)
                node.refresh_from_db(fields=["position"])
        return node

    def remove_empty_created(self) -> list[str]:
        """Delete the nodes this writer created that hold nothing (no document, no
        node below), children first: an import that imported nothing leaves nothing
        behind. Returns their identifiers."""
        removed = []
        for identifier in reversed(self.created):
            node = m.Collection.objects.filter(identifier=identifier).first()
            if node and not node.members.exists() and not node.children.exists():
                parent = node.parent
                node.delete()
                removed.append(identifier)
                if node.kind != "chapter":
                    _order_siblings(parent)  # no gap where it was
        self.created = [i for i in self.created if i not in removed]
        return removed

    def _next_position(self, parent: str) -> int:
        if parent not in self.positions:
            self.positions[parent] = m.Collection.objects.filter(
                parent__identifier=parent or None
            ).count()
        self.positions[parent] += 1
        return self.positions[parent]


def _order_siblings(parent: m.Collection | None) -> None:
    """Number the children of `parent` (chapters aside) in their stated order."""
    siblings = m.Collection.objects.filter(parent=parent).exclude(kind="chapter")
    ranked = sorted(siblings, key=lambda n: ((n.title.casefold() if n.kind == "group" else ""),
                                             n.identifier))  # fmt: skip
    moved = []
    for position, node in enumerate(ranked, 1):
        if node.position != position:
            node.position = position
            moved.append(node)
    m.Collection.objects.bulk_update(moved, ["position"])
