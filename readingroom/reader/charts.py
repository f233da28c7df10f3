"""Bar charts drawn on the server as SVG: documents per year or decade, each bar a link
that narrows the date range. Geometry only (numbers for `_chart.html`); no script, no
style attribute, so they render under a strict Content-Security-Policy and without
JavaScript.

The drawing is 600 × 100 units stretched to the width of the page; the labels under it
are HTML (text inside a stretched drawing would be stretched too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

WIDTH, HEIGHT = 600, 100
MIN_HEIGHT = 2.0  # a bar of one document among thousands stays visible (and clickable)
MAX_YEARS = 60  # a wider span is drawn by decade


def bar_chart(bars: list[tuple[str, int, str | None]], title: str, unit: str = "document"
              ) -> dict[str, Any] | None:  # fmt: skip
    """`bars`: (label, count, url) in order; None when there is nothing to draw."""
    if not bars or not any(count for _, count, _ in bars):
        return None
    most = max(count for _, count, _ in bars)
    step = WIDTH / len(bars)
    drawn = []
    for i, (label, count, url) in enumerate(bars):
        height = max(MIN_HEIGHT, HEIGHT * count / most) if count else 0.0
        drawn.append({
            "label": label, "count": count, "url": url if count else None,
            "description": f"{label}: {count:,} {unit}{'' if count == 1 else 's'}",
            # As text: a template would localize each number (slow, and "1,5" elsewhere).
            "x": _n(i * step + step * 0.1), "width": _n(max(step * 0.8, 0.5)),
            "y": _n(HEIGHT - height), "height": _n(height),
        })  # fmt: skip
    return {"title": title, "width": WIDTH, "height": HEIGHT, "bars": drawn,
            "first": bars[0][0], "last": bars[-1][0], "most": most}  # fmt: skip


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _years(counts: dict[str, int]) -> dict[int, int]:
    return {int(y): n for y, n in counts.items() if y.isdigit() and n}


def time_chart(years: dict[str, int], url_for: Callable[[str, str], str],
               title: str = "Documents per year") -> dict[str, Any] | None:  # fmt: skip
    """The documents of a result by year, every year of its span drawn (a year with
    none is a gap), or by decade when the span is wider than MAX_YEARS; a bar links to
    `url_for(first, last)`, the range it stands for."""
    found = _years(years)
    if not found:
        return None
    low, high = min(found), max(found)
    if high - low + 1 <= MAX_YEARS:
        bars = [(str(y), found.get(y, 0), url_for(str(y), str(y))) for y in range(low, high + 1)]
        return bar_chart(bars, title)
    return decade_chart(years, url_for, title.replace("year", "decade"))


def decade_chart(years: dict[str, int], url_for: Callable[[str, str], str],
                 title: str = "Documents per decade") -> dict[str, Any] | None:  # fmt: skip
    found = _years(years)
    if not found:
        return None
    decades: dict[int, int] = {}
    for year, count in found.items():
        decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + count
    low, high = min(decades), max(decades)
    bars = [(f"{d}s", decades.get(d, 0), url_for(str(d), str(d + 9)))
            for d in range(low, high + 10, 10)]  # fmt: skip
    return bar_chart(bars, title)
