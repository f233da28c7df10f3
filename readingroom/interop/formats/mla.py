"""MLA 9 works-cited entry for an archival document:

    Author. “Title.” Date. <source>. *Site*, URL.

the source being a volume ("*Title*, edited by …, Publisher, Year, Document 196"), a
holding archive's record ("Collection, Record Number …, Archive") or the archival
reference as written. Rendered here: citeproc-py's MLA puts the full stop outside the
quotes and shortens given names to initials (README, "Citations").
"""

from __future__ import annotations

from readingroom.interop.formats import dates
from readingroom.interop.formats.citable import Citable, Name
from readingroom.interop.formats.prose import Runs, and_list, italic, join, plain, quoted, sentence


def authors(names: list[Name]) -> str:
    """ "Family, Given", "Family, Given, and Given Family", "Family, Given, et al." """
    if not names:
        return ""
    if len(names) == 1:
        return names[0].inverted()
    if len(names) == 2:
        return f"{names[0].inverted()}, and {names[1].direct()}"
    return f"{names[0].inverted()}, et al."


def _source(c: Citable) -> Runs:
    if v := c.volume:
        parts: list[Runs] = [[italic(v.title)]]
        if v.editors:
            parts.append([plain(f"edited by {and_list([e.direct() for e in v.editors])}")])
        parts += [[plain(p)] for p in (v.publisher, v.year, v.number) if p]
    elif c.record_number:
        parts = [[plain(p)] for p in (c.collection, c.record_number, c.archive)]
    else:
        parts = [[plain(c.reference)]] if c.reference else []
    if c.locator:
        parts.append([plain(c.locator)])
    return join(parts, ", ")


def entry(c: Citable) -> Runs:
    head = authors(c.authors)
    runs: Runs = [plain(head + (" " if head.endswith(".") else ". "))] if head else []
    runs.append(plain(quoted(c.title, ".") + " "))
    runs += sentence([plain(dates.mla(c))])
    if source := _source(c):
        runs += [plain(" "), *sentence(source)]
    site: Runs = [italic(c.site)]
    if c.cite_url:
        site += [plain(f", {c.cite_url}")]
    return [*runs, plain(" "), *sentence(site)]
