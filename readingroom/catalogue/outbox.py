"""Record document changes in the outbox and wake the worker after commit."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from readingroom.catalogue.models import OutboxEntry
from readingroom.flags import raised
from readingroom.ingest.fast_insert import build, insert

log = logging.getLogger(__name__)

# Bulk imports enqueue one task at the end instead of one per record.
_deferred: ContextVar[bool] = ContextVar("outbox_deferred", default=False)
# The loader writes a document's parts in bulk and records the document once itself.
_suppressed: ContextVar[bool] = ContextVar("outbox_suppressed", default=False)


def record_change(document_pk: int, identifier: str) -> None:
    """Write an outbox row inside the caller's transaction and enqueue after commit."""
    record_changes([(document_pk, identifier)])


def record_changes(changes: list[tuple[int, str]]) -> None:
    """Outbox rows for these documents in one insert, one wake-up after commit."""
    if not changes or _suppressed.get():
        return
    entries = [build(OutboxEntry, document_pk=pk, identifier=identifier)
               for pk, identifier in changes]  # fmt: skip
    with transaction.atomic():  # ids are allocated inside one (a savepoint in a caller's)
        insert(entries)
    if indexed_in_the_same_transaction():
        # The PostgreSQL backend's tables live in the catalogue's database: the index
        # changes with the catalogue and commits (or rolls back) with it.
        from readingroom.search.indexer import sync

        sync({pk for pk, _ in changes})
        mark_processed(entries)
        return
    if not _deferred.get():
        transaction.on_commit(enqueue_processing)


def indexed_in_the_same_transaction() -> bool:
    from django.conf import settings

    return settings.SEARCH_BACKEND == "postgres"


def enqueue_processing() -> None:
    from readingroom.search.tasks import process_outbox

    process_outbox.enqueue()


@contextmanager
def deferred_processing() -> Iterator[None]:
    """Within this block changes are recorded but the worker is woken once, at the end."""
    with raised(_deferred):
        yield
    if OutboxEntry.objects.filter(processed_at__isnull=True).exists():
        enqueue_processing()


def suppressed() -> AbstractContextManager[None]:
    """Signals record nothing inside: the caller records the change itself."""
    return raised(_suppressed)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def pending_entries(limit: int = 1000) -> list[OutboxEntry]:
    return list(OutboxEntry.objects.filter(processed_at__isnull=True)[:limit])


def mark_processed(entries: list[OutboxEntry]) -> None:
    OutboxEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        processed_at=timezone.now(), processed_by=worker_name()
    )
