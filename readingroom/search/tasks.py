"""Background tasks of the search app, run by the django-tasks database worker."""

from __future__ import annotations

from django_tasks import task

from readingroom.catalogue.outbox import mark_processed, pending_entries
from readingroom.search.indexer import sync


def process_pending(batch_size: int = 1000) -> int:
    """Send every pending outbox entry to the search backend; returns how many.

    Entries are marked processed only after the index accepted them, so a crash in
    between leaves them pending and the next run repairs the index. No transaction is
    held while the index is written: under SQLite one holds the write lock, and
    indexing a thousand records in one kept editors and imports waiting for seconds.
    A change made meanwhile adds its own outbox row (searches leave its document out
    until a run takes it), so nothing is lost by reading outside one.
    """
    done = 0
    while entries := pending_entries(batch_size):
        sync({e.document_pk for e in entries})
        mark_processed(entries)
        done += len(entries)
    return done


@task()
def process_outbox() -> int:
    return process_pending()
