"""Showing a catalogue date as a reader expects, at its own precision."""

from __future__ import annotations

from datetime import date, time

from readingroom.catalogue.models import DatePrecision


def _day(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _time(t: time) -> str:
    return t.strftime("%H:%M")


def display_date(
    precision: str,
    start: date | None,
    end: date | None,
    time_start: time | None = None,
) -> str:
    """ "April 5, 1963", "April 1963", "1960s", "circa 1963"; never more precise than known.
    An undated document says "Undated", whatever its source wrote for no date (NARA's
    `01/01/0000`): the text as written is shown beside it in the information block."""
    if precision == DatePrecision.UNDATED or start is None:
        return "Undated"
    if precision == DatePrecision.TIME and time_start is not None:
        return f"{_day(start)}, {_time(time_start)}"
    if precision == DatePrecision.MONTH:
        return f"{start:%B} {start.year}"
    if precision == DatePrecision.YEAR:
        return str(start.year)
    if precision == DatePrecision.DECADE:
        return f"{start.year // 10 * 10}s"
    if precision == DatePrecision.CIRCA:
        return f"circa {start.year}"
    if precision == DatePrecision.RANGE and end is not None and end != start:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%B} {start.day}–{end.day}, {start.year}"
        if start.year == end.year:
            return f"{start:%B} {start.day} – {end:%B} {end.day}, {start.year}"
        return f"{_day(start)} – {_day(end)}"
    return _day(start)
