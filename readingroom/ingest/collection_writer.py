"""Collection nodes from CollectionRecords: created or updated in place, in order."""

from __future__ import annotations

from readingroom.catalogue import models as m
from readingroom.ingest.records import CollectionRecord


class CollectionWriter:
    def __init__(self) -> None:
        self.positions: dict[str, int] = {}  # next position under each parent

    def write(self, c: CollectionRecord) -> m.Collection:
        parent = m.Collection.objects.get(identifier=c.parent) if c.parent else None
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
        return node

    def _next_position(self, parent: str) -> int:
        if parent not in self.positions:
            self.positions[parent] = m.Collection.objects.filter(
                parent__identifier=parent or None
            ).count()
        self.positions[parent] += 1
        return self.positions[parent]
