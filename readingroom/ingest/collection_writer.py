"""Collection nodes from CollectionRecords: created or updated in place, in order."""

from __future__ import annotations

from readingroom.catalogue import models as m
from readingroom.ingest.records import CollectionRecord


class CollectionWriter:
    def __init__(self) -> None:
        self.positions: dict[str, int] = {}  # next position under each parent
        # Nodes written by this writer, by identifier: a chapter's parent was usually
        # written just before it (a volume has hundreds of chapters).
        self.written: dict[str, m.Collection] = {}

    def forget(self) -> None:
        """Drop what was learned: after a rollback it may name rows that are gone."""
        self.positions, self.written = {}, {}

    def write(self, c: CollectionRecord) -> m.Collection:
        parent = None
        if c.parent:
            parent = self.written.get(c.parent) or m.Collection.objects.get(identifier=c.parent)
        existing = m.Collection.objects.filter(identifier=c.identifier).first()
        # A re-import keeps a node where it is unless the record says where it goes.
        position = c.position or (existing.position if existing else self._next_position(c.parent))
        node, _ = m.Collection.objects.update_or_create(
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
        return node

    def _next_position(self, parent: str) -> int:
        if parent not in self.positions:
            self.positions[parent] = m.Collection.objects.filter(
                parent__identifier=parent or None
            ).count()
        self.positions[parent] += 1
        return self.positions[parent]
