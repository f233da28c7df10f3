"""The search interface the outbox feeds. Backends plug in by name (setting
READINGROOM_SEARCH_BACKEND); until the search app adds real engines, `noop` accepts
every change and keeps nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from django.conf import settings

from readingroom.catalogue.models import Document


class Indexer(Protocol):
    def index(self, documents: Iterable[Document]) -> None:
        """Add or replace these documents (already filtered through the public gate)."""

    def delete(self, document_pks: Iterable[int]) -> None:
        """Remove these documents, whether or not they were indexed."""


class NoopIndexer:
    def index(self, documents: Iterable[Document]) -> None:
        for _ in documents:
            pass

    def delete(self, document_pks: Iterable[int]) -> None:
        pass


BACKENDS: dict[str, type] = {"noop": NoopIndexer}


def get_indexer() -> Indexer:
    try:
        return BACKENDS[settings.SEARCH_BACKEND]()
    except KeyError:
        raise ValueError(
            f"READINGROOM_SEARCH_BACKEND={settings.SEARCH_BACKEND!r} is not one of "
            f"{', '.join(sorted(BACKENDS))}"
        ) from None
