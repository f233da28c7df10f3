"""Which records a harvester is told about, in datestamp order, a page at a time.

The list holds the public records and the ones that were public and are no longer
(reported deleted; `catalogue/gate.py`), ordered by (effective modification time,
record ID) and read after the last key a page sent: a keyset, not an offset, so a page
costs the same at the first token and the last, and changes during a harvest shift
nothing (`tokens.py`).

The effective modification time depends on the clock only while an embargo runs, so the
list is read in two parts that each walk an order the database keeps:
- records with no embargo or an ended one: their time is the stored column
  `effective_modified_at`, walked through the index on (effective_modified_at, id);
- records under an embargo now (public before it, so reported deleted): their time is
  their last change, `modified_at`; a handful, read beside the first.
A page takes the first `size` of the two merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import is_public, public_filter, was_public_filter


@dataclass(frozen=True)
class Row:
    pk: int
    identifier: str
    key: datetime  # the effective modification time: datestamp and keyset
    deleted: bool


@dataclass(frozen=True)
class Selection:
    """A list's arguments, read: [start, end) on the datestamp, and a set's filter."""

    start: datetime | None
    end: datetime | None
    members: Q | None


def _settled(now: datetime) -> Q:
    """No embargo, or an ended one: the stored time is the effective one."""
    return Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)


def _parts(now: datetime, selection: Selection) -> list[tuple[QuerySet, str]]:
    listed = public_filter(now) | was_public_filter(now)
    parts = [
        (m.Document.objects.filter(_settled(now), listed), "effective_modified_at"),
        (m.Document.objects.filter(embargo_until__gt=now).filter(was_public_filter(now)),
         "modified_at"),
    ]  # fmt: skip
    out = []
    for qs, column in parts:
        if selection.start is not None:
            qs = qs.filter(**{f"{column}__gte": selection.start})
        if selection.end is not None:
            qs = qs.filter(**{f"{column}__lt": selection.end})
        if selection.members is not None:
            qs = qs.filter(selection.members)
        out.append((qs, column))
    return out


def _after(column: str, key: tuple[datetime, int]) -> RawSQL:
    """(column, id) > key as one row-value comparison, which both databases answer
    from the (column, id) index; Django's OR of two comparisons is answered by
    scanning everything after the column's value."""
    value = connection.ops.adapt_datetimefield_value(key[0])
    quote = connection.ops.quote_name
    return RawSQL(f"({quote(column)}, {quote('id')}) > (%s, %s)", (value, key[1]),
                  output_field=BooleanField())  # fmt: skip


def count(now: datetime, selection: Selection) -> int:
    return sum(qs.count() for qs, _ in _parts(now, selection))


def page(now: datetime, selection: Selection, after: tuple[datetime, int] | None,
         size: int) -> tuple[list[Row], bool]:  # fmt: skip
    """Up to `size` rows after the key `after`, and whether more follow."""
    rows: list[Row] = []
    for qs, column in _parts(now, selection):
        if after is not None:
            qs = qs.filter(_after(column, after))
        found = qs.order_by(column, "id").only(
            "id", "identifier", "state", "embargo_until", column)[: size + 1]  # fmt: skip
        rows += [Row(d.pk, d.identifier, getattr(d, column), not is_public(d, now))
                 for d in found]  # fmt: skip
    rows.sort(key=lambda r: (r.key, r.pk))
    return rows[:size], len(rows) > size


def earliest(now: datetime) -> datetime | None:
    """The lowest datestamp of the list (Identify's earliestDatestamp)."""
    keys = [qs.order_by(column).values_list(column, flat=True).first()
            for qs, column in _parts(now, Selection(None, None, None))]  # fmt: skip
    return min((k for k in keys if k is not None), default=None)


def one(now: datetime, identifier: str) -> Row | None:
    """The record a harvester names, public or deleted; None if it never was public."""
    d = (m.Document.objects.filter(public_filter(now) | was_public_filter(now))
         .filter(identifier=identifier)
         .only("id", "identifier", "state", "embargo_until", "modified_at",
               "effective_modified_at").first())  # fmt: skip
    if d is None:
        return None
    settled = d.embargo_until is None or d.embargo_until <= now
    key = d.effective_modified_at if settled else d.modified_at
    return Row(d.pk, d.identifier, key, not is_public(d, now))
