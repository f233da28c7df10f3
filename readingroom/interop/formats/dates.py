"""A document's date as each format writes it, never more precise than it is known.

A citation gives the day, not the hour (a telegram sent at noon cites as its day); a
partial or uncertain date cites as the catalogue shows it ("March 1962", "circa 1962"),
an undated one as "n.d.".
"""

from __future__ import annotations

from datetime import date

from readingroom.catalogue.dates import display_date
from readingroom.interop.formats.citable import Citable

MLA_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
              "Nov.", "Dec."]  # fmt: skip


def undated(c: Citable) -> bool:
    return c.start is None or c.precision == "undated"


def chicago(c: Citable) -> str:
    """ "April 14, 1962", "March 1962", "circa 1962", "n.d." """
    if undated(c):
        return "n.d."
    precision = "day" if c.precision == "time" else c.precision
    return display_date(precision, c.start, c.end)


def _mla_day(d: date) -> str:
    return f"{d.day} {MLA_MONTHS[d.month - 1]} {d.year}"


def mla(c: Citable) -> str:
    """ "14 Apr. 1962" """
    if undated(c):
        return "n.d."
    assert c.start is not None
    if c.precision in ("day", "time"):
        return _mla_day(c.start)
    if c.precision == "month":
        return f"{MLA_MONTHS[c.start.month - 1]} {c.start.year}"
    if c.precision == "range" and c.end and c.end != c.start:
        return f"{_mla_day(c.start)}–{_mla_day(c.end)}"
    return chicago(c)


def apa(c: Citable) -> str:
    """ "1962, April 14", "1962, March", "ca. 1962", "n.d." """
    if undated(c):
        return "n.d."
    assert c.start is not None
    if c.precision in ("day", "time"):
        return f"{c.start.year}, {c.start:%B} {c.start.day}"
    if c.precision == "month":
        return f"{c.start.year}, {c.start:%B}"
    if c.precision == "circa":
        return f"ca. {c.start.year}"
    if c.precision == "range" and c.end and c.end != c.start:
        if c.start.year == c.end.year:
            return f"{c.start.year}, {c.start:%B} {c.start.day}–{c.end:%B} {c.end.day}"
        return f"{c.start.year}–{c.end.year}"
    return str(c.start.year) if c.precision != "decade" else f"{c.start.year // 10 * 10}s"


def parts(c: Citable) -> list[list[int]]:
    """CSL date-parts: the known parts of the start, and of the end for a range."""
    if undated(c):
        return []
    assert c.start is not None

    def cut(d: date) -> list[int]:
        if c.precision in ("day", "time", "range"):
            return [d.year, d.month, d.day]
        if c.precision == "month":
            return [d.year, d.month]
        return [d.year]

    if c.precision == "decade" and c.end:
        return [[c.start.year], [c.end.year]]
    if c.precision == "range" and c.end and c.end != c.start:
        return [cut(c.start), cut(c.end)]
    return [cut(c.start)]


def edtf(c: Citable) -> str:
    """ISO 8601-2 / EDTF, as BibLaTeX's `date` reads it: "1962-04-14", "1962-03",
    "1962~" (circa), "1962-05-01/1962-05-03"."""
    found = parts(c)
    if not found:
        return ""
    text = "/".join("-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(d))
                    for d in found)  # fmt: skip
    return text + "~" if c.precision == "circa" else text


def ris(c: Citable) -> str:
    """RIS `DA`: "1962/04/14/", "1962/03//", "1962///circa"."""
    found = parts(c)
    if not found:
        return ""
    d = found[0] + [None] * (3 - len(found[0]))
    y, m, day = (f"{p:02d}" if p else "" for p in d)
    return f"{int(y):04d}/{m}/{day}/" + ("circa" if c.precision == "circa" else "")


def highwire(c: Citable) -> str:
    """`citation_date`: "1962/04/14", "1962/03", "1962" (Zotero keeps it as written)."""
    found = parts(c)
    if not found:
        return ""
    return "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(found[0]))
