from __future__ import annotations

from datetime import date, time

import pytest

from readingroom.catalogue.dates import display_date


@pytest.mark.parametrize(
    ("precision", "start", "end", "t", "expected"),
    [
        ("day", date(1963, 4, 5), date(1963, 4, 5), None, "April 5, 1963"),
        ("time", date(1962, 5, 18), date(1962, 5, 18), time(12, 0), "May 18, 1962, 12:00"),
        ("month", date(1963, 8, 1), date(1963, 8, 31), None, "August 1963"),
        ("year", date(1963, 1, 1), date(1963, 12, 31), None, "1963"),
        ("decade", date(1960, 1, 1), date(1969, 12, 31), None, "1960s"),
        ("circa", date(1962, 1, 1), date(1962, 12, 31), None, "circa 1962"),
        ("range", date(1962, 10, 16), date(1962, 10, 28), None, "October 16–28, 1962"),
        ("undated", None, None, None, "Undated"),
    ],
)
def test_dates_show_at_their_own_precision(precision, start, end, t, expected) -> None:
    assert display_date(precision, start, end, t) == expected
