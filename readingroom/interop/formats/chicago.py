"""Chicago notes and bibliography, in the form the archive's own pages print:

    “Title,” Date, <source>, <site>. URL

where the source is a published volume ("Foreign Relations of the United States, …,
ed. … (Washington: …, 1998), Document 196", then the site), a holding archive's record
("Central Intelligence Agency, Record Number …, JFK Assassination Records Collection,
U.S. National Archives and Records Administration", then the site) or, for a record
cited as its source prints it, the site then the archival reference as written.
Rendered here rather than by a CSL processor: see README, "Citations".
"""

from __future__ import annotations

from readingroom.interop.formats import dates
from readingroom.interop.formats.citable import Citable, Volume
from readingroom.interop.formats.prose import (
    Runs,
    and_list,
    italic,
    join,
    plain,
    quoted,
    sentence,
)


def _imprint(v: Volume) -> str:
    place = f"{v.place}: " if v.place and v.publisher else ""
    return ", ".join(p for p in (place + v.publisher, v.year) if p)


def _source_note(c: Citable) -> list[Runs]:
    """The parts after the date, each a comma-separated group of the note."""
    if v := c.volume:
        volume: Runs = [italic(v.title)]
        if v.editors:
            volume.append(plain(f", ed. {and_list([e.direct() for e in v.editors])}"))
        if imprint := _imprint(v):
            volume.append(plain(f" ({imprint})"))
        return [volume, [plain(v.number)], [plain(c.site)]]
    if c.record_number:
        return [*([plain(a)] for a in c.agencies), [plain(c.record_number)],
                [plain(c.collection)], [plain(c.archive)], [plain(c.site)]]  # fmt: skip
    return [[plain(c.site)], [plain(c.reference)]]


def note(c: Citable) -> Runs:
    groups = [[plain(dates.chicago(c))], *_source_note(c)]
    if c.locator:
        groups.append([plain(c.locator)])
    runs = [plain(quoted(c.title, ",") + " "), *join((g for g in groups if g[0][0]), ", ")]
    runs = sentence(runs)
    return [*runs, plain(f" {c.cite_url}")] if c.cite_url else runs


def bibliography(c: Citable) -> Runs:
    """The same parts as sentences: “Title.” Date. In *Volume*, edited by … Place:
    Publisher, Year. Document 196. Site. URL"""
    groups: list[Runs] = [[plain(dates.chicago(c))]]
    if v := c.volume:
        volume: Runs = [plain("In "), italic(v.title)]
        if v.editors:
            volume.append(plain(f", edited by {and_list([e.direct() for e in v.editors])}"))
        groups += [volume, [plain(_imprint(v))], [plain(v.number)], [plain(c.site)]]
    elif c.record_number:
        groups += [[plain(a)] for a in c.agencies]
        groups += [[plain(c.record_number)], [plain(c.collection)], [plain(c.archive)],
                   [plain(c.site)]]  # fmt: skip
    else:
        groups += [[plain(c.site)], [plain(c.reference)]]
    if c.locator:
        groups.append([plain(c.locator)])
    sentences = [sentence(g) for g in groups if g[-1][0]]
    runs = [plain(quoted(c.title, ".") + " "), *join(sentences, " ")]
    return [*runs, plain(f" {c.cite_url}")] if c.cite_url else runs
