"""Document types suggested from titles, written with the documents a batch writes.

A record whose source gives only a physical form (NARA's `PAPER - TEXTUAL DOCUMENT`)
gets no document type; when its title opens with a cue (`CABLE RE…`, `DISPATCH:`,
`MEMO FOR THE RECORD`, `catalogue/data/type_cues.json`), the type is stored as a
suggestion for an editor to accept (`catalogue/suggestions.py`). A document that has a
type (from its source or an editor) gets none. Part of the loader's writes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from readingroom.catalogue import models as m
from readingroom.ingest.fast_insert import delete_where, insert_rows

if TYPE_CHECKING:
    from readingroom.ingest.loader import Pending

COLUMNS = ("document_id", "document_type_id", "source", "evidence", "created_at")


class TypeSuggester:
    def __init__(self) -> None:
        self._types: dict[str, int] | None = None  # slug → id, read at first use

    def write(self, pending: list[Pending], now: datetime) -> int:
        """Replace the title suggestions of these documents; returns how many were made."""
        delete_where(m.TypeSuggestion, "document_id",
                     [p.document.pk for p in pending if not p.new])  # fmt: skip
        rows = []
        for p in pending:
            if p.document.document_type_id is not None:
                continue
            cue = p.record.type_cue()
            type_id = cue and self._type_id(cue.slug)
            if type_id:
                rows.append((p.document.pk, type_id, m.SuggestionSource.TITLE, cue.evidence, now))
        insert_rows(m.TypeSuggestion, COLUMNS, rows)
        return len(rows)

    def _type_id(self, slug: str) -> int | None:
        if self._types is None:
            self._types = dict(m.DocumentType.objects.values_list("slug", "pk"))
        return self._types.get(slug)
