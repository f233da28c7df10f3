"""The configured search backend (setting READINGROOM_SEARCH_BACKEND) and the two ways
documents reach it: the outbox task after each change, and a full reindex."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.conf import settings

from readingroom.catalogue.gate import published_documents
from readingroom.catalogue.outbox import mark_processed_up_to, pending_up_to
from readingroom.search.backends.base import SearchBackend
from readingroom.search.fields import documents_for_index, iter_index_fields


def _tantivy_root() -> Path:
    return settings.HOME / "index" / "tantivy"


def _tantivy() -> SearchBackend:
    from readingroom.search.backends.tantivy_backend import TantivyBackend

    return TantivyBackend(_tantivy_root())


def _noop() -> SearchBackend:
    from readingroom.search.backends.noop import NoopBackend

    return NoopBackend()


def _postgres() -> SearchBackend:
    from readingroom.search.backends.postgres_backend import PostgresBackend

    return PostgresBackend()


BACKENDS = {"tantivy": _tantivy, "postgres": _postgres, "noop": _noop}


@cache
def _backend(name: str, home: str) -> SearchBackend:
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ValueError(
            f"READINGROOM_SEARCH_BACKEND={name!r} is not one of {', '.join(sorted(BACKENDS))}"
        ) from None


def get_backend() -> SearchBackend:
    return _backend(settings.SEARCH_BACKEND, str(settings.HOME))


def indexed_in_the_database() -> bool:
    """The PostgreSQL backend's tables are the catalogue's database's: the index can
    change inside the catalogue's own transactions."""
    return settings.SEARCH_BACKEND == "postgres"


def sync(pks: Iterable[int], batch: int = 500) -> None:
    """Make the index agree with the catalogue for these documents: published ones
    (re)indexed with the moment they become public, everything else (draft, withdrawn,
    deleted) removed. Searches apply the embargo and skip documents whose change is
    still on its way here (search/service.py), so a lagging index under-shows only."""
    backend, pks = get_backend(), list(pks)
    for start in range(0, len(pks), batch):
        chunk = set(pks[start : start + batch])
        published = list(documents_for_index(published_documents().filter(pk__in=chunk)))
        backend.delete(chunk - {d.pk for d in published})
        backend.index(iter_index_fields(published))


def reindex(batch: int = 500) -> int:
    """Rebuild the whole index from the catalogue; returns the number indexed.

    Changes recorded before the rebuild began are in it: their outbox rows are marked
    processed after, so searches stop leaving those documents out. Later ones stay
    pending for the worker."""
    covered = pending_up_to()
    get_backend().clear()
    pks = list(published_documents().order_by("pk").values_list("pk", flat=True))
    sync(pks, batch)
    mark_processed_up_to(covered)
    return len(pks)


def build_missing_index(**_: object) -> None:
    """After migrate: a search index of the current schema that does not exist yet (a
    new site, or an upgrade that changed the schema) is built from the catalogue."""
    import sys

    from readingroom.search.backends.tantivy_backend import TantivyBackend

    if settings.SEARCH_BACKEND == "postgres":
        from readingroom.search.models import SearchEntry

        if not SearchEntry.objects.exists() and published_documents().exists():
            print(f"building the search index: {reindex()} documents", file=sys.stderr)
        return
    if settings.SEARCH_BACKEND != "tantivy" or TantivyBackend.path_for(_tantivy_root()).exists():
        return
    if published_documents().exists():
        print(f"building the search index: {reindex()} documents", file=sys.stderr)
    else:
        get_backend()  # creates the empty index
