"""Dates of NARA's JFK release lists, as cells: `MM/DD/YYYY` text (2022, 2023), Excel
dates (2021: calamine gives `datetime.date`/`datetime.datetime`), and the partial forms
NARA writes with zeros: `08/00/1963` (a month), `00/00/1963` (a year), `12/00/63` (a
two-digit year). A zero year (`01/01/0000`, `00/00/0000`, `11/29/0000`, `00/00/00`) or
an empty cell means no date: undated, never 1 January.

Pure: no Django, no I/O.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import lru_cache

from readingroom.ingest.records import DateRecord

SLASHED_RE = re.compile(r"^(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2})$")
ISO_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
# Two-digit years in these lists are 19xx: the records span 1940s-1990s.
CENTURY = 1900
EARLIEST_YEAR = 1800  # older than any record of the collection: a typing slip

# `01/01/0000` typed into Excel becomes 1 January 2000; the 2021 list has 74 of them
# as document dates, all on records the ARRB had processed by 1999. So an Excel date
# cell of 2000-01-01 in a document date column is that placeholder (see `document_date`).
EXCEL_ZERO_YEAR = date(2000, 1, 1)


class ImpossibleDate(ValueError):
    """A cell that claims to be a date but is not one (`02/30/1963`, `13/00/1963`)."""


def undated(as_written: str = "") -> DateRecord:
    return DateRecord(precision="undated", as_written=as_written)


def as_written(value: object) -> str:
    """The cell as a reader of the list sees it; Excel dates in the lists' own form."""
    if type(value) is str:  # nearly every cell: the fast path first
        if "  " in value or not value.isprintable():
            return " ".join(value.split())
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.strftime("%m/%d/%Y")
        return value.strftime("%m/%d/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def parse_nara_date(value: object) -> DateRecord:
    """One date cell → DateRecord with start/end the first and last day of its span.

    Raises ImpossibleDate for a cell that is not a date at all; the caller turns that
    into undated plus a warning naming file, row and column.
    """
    written = as_written(value)
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            day = value.date()
            return DateRecord("time", written, day, day, time_start=value.time())
        return DateRecord("day", written, value.date(), value.date())
    if isinstance(value, date):
        return DateRecord("day", written, value, value)
    if not written:
        return undated()
    match = SLASHED_RE.match(written) or ISO_RE.match(written)
    if not match:
        raise ImpossibleDate(f"not a date: {written!r}")
    year, month, day = (int(match[k]) for k in ("year", "month", "day"))
    if year == 0:  # NARA's "no date", whatever month and day are written with it
        return undated(written)
    if len(match["year"]) == 2:
        year += CENTURY
    return _span(year, month, day, written)


def _span(year: int, month: int, day: int, written: str) -> DateRecord:
    if year < EARLIEST_YEAR:
        raise ImpossibleDate(f"year {year} in {written!r}")
    if month == 0:
        if day != 0:
            raise ImpossibleDate(f"a day without a month in {written!r}")
        return DateRecord("year", written, date(year, 1, 1), date(year, 12, 31))
    if month > 12:
        raise ImpossibleDate(f"month {month} in {written!r}")
    if day == 0:
        last = calendar.monthrange(year, month)[1]
        return DateRecord("month", written, date(year, month, 1), date(year, month, last))
    try:
        exact = date(year, month, day)
    except ValueError as exc:
        raise ImpossibleDate(f"{written!r}: {exc}") from exc
    return DateRecord("day", written, exact, exact)


def document_date(value: object) -> DateRecord:
    """A Document Date / Doc Date cell: `parse_nara_date`, except Excel's 2000-01-01,
    which is the zero-year placeholder (see EXCEL_ZERO_YEAR)."""
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(value, date) and day == EXCEL_ZERO_YEAR:
        return undated(as_written(value))
    return parse_nara_date(value)


@lru_cache(maxsize=4096)  # a list has a few hundred release and review dates
def day_of(value: object) -> date | None:
    """A release or review date cell → the day, or None when empty or undated.

    Raises ImpossibleDate like `parse_nara_date`, and for a partial date (a release is
    on a day)."""
    record = parse_nara_date(value)
    if record.precision == "undated":
        return None
    if record.precision not in ("day", "time"):
        raise ImpossibleDate(f"not a day: {record.as_written!r}")
    return record.start
