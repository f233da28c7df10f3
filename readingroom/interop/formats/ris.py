"""RIS, as Zotero, EndNote and Mendeley import it: `TY  - MANSCPT`, the archive in `DB`,
where in it in `AN` (Zotero's archive and archive location), the record number in `CN`,
the PDF in `L1` (Zotero attaches it), the site in `DP`. Lines end with CRLF, as the
format's definition asks.
"""

from __future__ import annotations

from readingroom.interop.formats import dates
from readingroom.interop.formats.citable import Citable


def render(c: Citable) -> str:
    tags: list[tuple[str, str]] = [("TY", "MANSCPT")]
    tags += [("AU", n.inverted()) for n in c.authors]
    tags += [("TI", c.title), ("DA", dates.ris(c))]
    tags.append(("PY", str(c.start.year) if c.start and not dates.undated(c) else ""))
    tags += [("M3", c.genre), ("DB", c.archive), ("AN", c.archive_location),
             ("CY", c.archive_place), ("CN", c.call_number)]  # fmt: skip
    if v := c.volume:
        tags += [("T2", v.title), *[("A2", e.inverted()) for e in v.editors],
                 ("PB", v.publisher), ("SE", v.number), ("SN", v.isbn)]  # fmt: skip
    tags += [("LA", "; ".join(c.languages))]
    tags += [("AB", c.abstract), ("UR", c.url), ("L1", c.pdf_url)]
    if c.locator.startswith("p. "):
        tags.append(("SP", c.locator.removeprefix("p. ")))
    tags += [("KW", s) for s in c.subjects]
    # The site as the database provider (Zotero's "Library Catalog"); a note (N1) would
    # become a separate child note in Zotero.
    tags += [("DP", c.site)]
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in tags if value]
    return "\r\n".join([*lines, "ER  - ", ""])
