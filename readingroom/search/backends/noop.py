from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from readingroom.search.backends.base import SearchQuery, SearchResults


class NoopBackend:
    """Accepts every change and finds nothing: for sites that want no search index."""

    def index(self, documents: Iterable[dict[str, Any]]) -> None:
        for _ in documents:
            pass

    def delete(self, pks: Iterable[int]) -> None:
        pass

    def clear(self) -> None:
        pass

    def search(self, query: SearchQuery) -> SearchResults:
        return SearchResults(total=0, hits=[], facets={})
