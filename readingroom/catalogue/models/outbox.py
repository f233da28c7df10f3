"""The outbox: one row per document change, written in the change's own transaction.

Because the row commits (or rolls back) with the change, no change is ever lost on
its way to the index; the worker processes pending rows after commit, and anything a
crash left pending is picked up at the next run.
"""

from __future__ import annotations

from django.db import models


class OutboxEntry(models.Model):
    # Not a foreign key: the entry must outlive a deleted document to remove it.
    document_pk = models.BigIntegerField(db_index=True)
    identifier = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    processed_by = models.CharField(
        max_length=100, blank=True, help_text="host:pid of the worker that processed it"
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "outbox entries"

    def __str__(self) -> str:
        state = "processed" if self.processed_at else "pending"
        return f"{self.identifier} ({state})"


class PublicityChanges(models.Model):
    """One row: how many times something may have stopped being public (a record
    withdrawn, returned to draft, put under embargo or deleted; a page's text hidden).
    Whatever keeps public answers (the production server's page cache) keys them on it,
    so nothing kept is served after such a change (`catalogue/publicity.py`)."""

    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "publicity changes"

    def __str__(self) -> str:
        return f"{self.count} publicity changes"
