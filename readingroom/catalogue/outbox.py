"""Record document changes in the outbox and wake the worker after commit.

The catalogue knows nothing of the search index above it: the search app connects
itself at start-up (`connect_index`) with how to wake its worker and, for an index
kept in the catalogue's own database, how to update it inside the change's transaction.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from readingroom.catalogue.fast_insert import build, insert
from readingroom.catalogue.models import OutboxEntry
from readingroom.flags import raised

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexConnection:
    wake: Callable[[], None]  # enqueue the worker's processing of pending rows
    same_transaction: Callable[[], bool]  # is the index in this database, this moment?
    sync: Callable[[Iterable[int]], None]  # update the index for these documents now


_index: IndexConnection | None = None


def connect_index(connection: IndexConnection) -> None:
    global _index
    _index = connection


# Other work that follows every committed change (the sitemaps of the interop app),
# woken with the index's worker; each wake must be cheap and only enqueue work.
_listeners: list[Callable[[], None]] = []


def connect_listener(wake: Callable[[], None]) -> None:
    if wake not in _listeners:
        _listeners.append(wake)

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
    if _index is not None and _index.same_transaction():
        # The PostgreSQL backend's tables live in the catalogue's database: the index
        # changes with the catalogue and commits (or rolls back) with it.
        _index.sync({pk for pk, _ in changes})
        mark_processed(entries)
        if not _deferred.get():
            transaction.on_commit(_wake_listeners)
        return
    if not _deferred.get():
        transaction.on_commit(enqueue_processing)


def enqueue_processing() -> None:
    if _index is not None:
        _index.wake()
    _wake_listeners()


def _wake_listeners() -> None:
    for wake in _listeners:
        wake()


@contextmanager
def deferred_processing() -> Iterator[None]:
    """Within this block changes are recorded but the worker is woken once, at the end."""
    with raised(_deferred):
        yield
    if OutboxEntry.objects.filter(processed_at__isnull=True).exists():
        enqueue_processing()
    else:  # an index in the database took the changes already; the others follow
        _wake_listeners()


def suppressed() -> AbstractContextManager[None]:
    """Signals record nothing inside: the caller records the change itself."""
    return raised(_suppressed)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def pending_entries(limit: int = 1000) -> list[OutboxEntry]:
    return list(OutboxEntry.objects.filter(processed_at__isnull=True)[:limit])


def pending_document_pks() -> set[int]:
    """Documents with a change the index has not taken yet. Searches leave them out:
    what the index holds of them may be a state that is no longer public."""
    return set(
        OutboxEntry.objects.filter(processed_at__isnull=True).values_list("document_pk", flat=True)
    )


def pending_up_to() -> int:
    """The id of the newest pending row (0: none), to mark processed what a full
    rebuild of the index covered."""
    newest = OutboxEntry.objects.filter(processed_at__isnull=True).order_by("-pk").first()
    return newest.pk if newest else 0


def mark_processed_up_to(last_id: int) -> None:
    OutboxEntry.objects.filter(processed_at__isnull=True, pk__lte=last_id).update(
        processed_at=timezone.now(), processed_by=worker_name()
    )


def mark_processed(entries: list[OutboxEntry]) -> None:
    OutboxEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        processed_at=timezone.now(), processed_by=worker_name()
    )
