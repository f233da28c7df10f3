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
