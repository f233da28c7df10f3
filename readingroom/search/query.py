"""The part of the query language both backends share, parsed without any engine:
`date:` ranges, which neither tantivy's parser nor websearch_to_tsquery reads.

    date:1962               the whole year
    date:1962-05            a month
    date:1962-05-18         a day
    date:1962-05..1962-10   a range (either side may be left open: date:..1961)

Dates are compared as yyyymmdd integers; an undated document (0) matches no range.
"""

from __future__ import annotations

import calendar
import re

DATE_RE = re.compile(
    r"\bdate:(?P<start>\d{4}(?:-\d{2}){0,2})?(?:\.\.(?P<end>\d{4}(?:-\d{2}){0,2})?)?"
)


def _bound(text: str, upper: bool) -> int:
    parts = [int(p) for p in text.split("-")]
    year, month, day = [*parts, 0, 0][:3]
    if upper:
        month = month or 12
        day = day or calendar.monthrange(year, month)[1]
    else:
        month, day = month or 1, day or 1
    return year * 10000 + month * 100 + day


def split_date_range(text: str) -> tuple[str, tuple[int | None, int | None] | None]:
    """Take a `date:` clause out of the text; returns (rest, (low, high)) or (text, None)."""
    m = DATE_RE.search(text)
    if m is None or not (m["start"] or m["end"]):
        return text, None
    start, end = m["start"], m["end"]
    is_range = ".." in m.group()
    low = _bound(start, upper=False) if start else None
    high = _bound(end if is_range else start, upper=True) if (end or not is_range) else None
    return (text[: m.start()] + " " + text[m.end() :]), (low, high)


DATE_INPUT = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def date_bound(text: str, upper: bool) -> int:
    """A date as researchers type it in a form (1962, 1962-05 or 1962-05-18) as the
    first (or, `upper`, the last) yyyymmdd it covers; ValueError when it is none."""
    text = text.strip()
    if not DATE_INPUT.fullmatch(text):
        raise ValueError(f"{text[:20]!r} is not a year (1962), a month (1962-05) or a day "
                         "(1962-05-18)")  # fmt: skip
    parts = [int(p) for p in text.split("-")]
    if parts[0] < 1:
        raise ValueError(f"{text!r}: no year 0")
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise ValueError(f"{text!r}: no month {parts[1]}")
    if len(parts) > 2 and not 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
        raise ValueError(f"{text!r}: no such day")
    return _bound(text, upper)


def date_input(key: int | None, upper: bool) -> str:
    """A yyyymmdd bound as the form shows it: the year alone when the bound is its
    year's first day (last, for an `upper` bound), the month for its month's, else the
    day."""
    if key is None:
        return ""
    year, month, day = key // 10000, key // 100 % 100, key % 100
    last = calendar.monthrange(max(year, 1), month)[1] if 1 <= month <= 12 else 31
    if (month, day) == ((12, 31) if upper else (1, 1)):
        return f"{year:04d}"
    if day == (last if upper else 1):
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
