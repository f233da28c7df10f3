"""Background tasks of the search app, run by the django-tasks database worker."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from readingroom.catalogue.gate import public_documents
from readingroom.catalogue.outbox import mark_processed, pending_entries
from readingroom.search.indexer import get_indexer


def process_pending(batch_size: int = 1000) -> int:
    """Send every pending outbox entry to the indexer; returns how many were processed.

    Public documents are (re)indexed; anything else, deleted, unpublished or
    embargoed, is removed, so the index never holds what the gate would hide.
    """
    indexer = get_indexer()
    done = 0
    while entries := pending_entries(batch_size):
        with transaction.atomic():
            pks = {e.document_pk for e in entries}
            public = list(public_documents().filter(pk__in=pks))
            indexer.index(public)
            indexer.delete(pks - {d.pk for d in public})
            mark_processed(entries)
        done += len(entries)
    return done


@task()
def process_outbox() -> int:
    return process_pending()
