"""Collection nodes from CollectionRecords: created or updated in place, in order."""

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
        position = c.position or (existing.position if existing else self._next_position(c.parent))
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
        return node

    def remove_empty_created(self) -> list[str]:
        """Delete the nodes this writer created that hold nothing (no document, no
        node below), children first: an import that imported nothing leaves nothing
        behind. Returns their identifiers."""
        removed = []
        for identifier in reversed(self.created):
            node = m.Collection.objects.filter(identifier=identifier).first()
            if node and not node.members.exists() and not node.children.exists():
                node.delete()
                removed.append(identifier)
        self.created = [i for i in self.created if i not in removed]
        return removed

    def _next_position(self, parent: str) -> int:
        if parent not in self.positions:
            self.positions[parent] = m.Collection.objects.filter(
                parent__identifier=parent or None
            ).count()
        self.positions[parent] += 1
        return self.positions[parent]
