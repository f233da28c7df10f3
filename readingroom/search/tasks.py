"""Background tasks of the search app, run by the django-tasks database worker."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from readingroom.catalogue.outbox import mark_processed, pending_entries
from readingroom.search.indexer import sync


def process_pending(batch_size: int = 1000) -> int:
    """Send every pending outbox entry to the search backend; returns how many.

    Entries are marked processed only after the index accepted them, so a crash in
    between leaves them pending and the next run repairs the index.
    """
    done = 0
    while entries := pending_entries(batch_size):
        with transaction.atomic():
            sync({e.document_pk for e in entries})
            mark_processed(entries)
        done += len(entries)
    return done


@task()
def process_outbox() -> int:
    return process_pending()
