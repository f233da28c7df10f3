"""APA 7 reference for an archival document:

    Author. (Date). *Title* [Type]. <source>. Site. URL

the source being a volume ("In C. S. Sampson & J. M. Joyce (Eds.), *Title* (Document
196). Publisher"), a holding archive's record ("Collection (Record Number …), Archive,
Place") or the archival reference as written. Without an author the title leads.
Rendered here: citeproc-py's APA gives archival items the year alone, writes "(eds.)"
and puts a volume's editors in the author's place (README, "Citations").
"""

from __future__ import annotations

from readingroom.interop.formats import dates
from readingroom.interop.formats.citable import Citable, Name
from readingroom.interop.formats.prose import Runs, italic, join, plain, sentence


def authors(names: list[Name]) -> str:
    """ "Family, G. G.", "A, & B", "A, B, & C" (up to 20 names)"""
    written = [n.initials() for n in names[:20]]
    if len(written) <= 1:
        return "".join(written)
    return f"{', '.join(written[:-1])}, & {written[-1]}"


def _source(c: Citable) -> list[Runs]:
    if v := c.volume:
        editors = [e.initials().split(", ", 1)[::-1] for e in v.editors]
        names = [" ".join(p for p in e if p) for e in editors]
        eds = (" & ".join(names) if len(names) <= 2
               else f"{', '.join(names[:-1])}, & {names[-1]}")  # fmt: skip
        book: Runs = [plain("In ")]
        if eds:
            book.append(plain(f"{eds} ({'Ed.' if len(names) == 1 else 'Eds.'}), "))
        book.append(italic(v.title))
        if v.number:
            book.append(plain(f" ({v.number})"))
        return [book, [plain(v.publisher)] if v.publisher else []]
    if c.record_number:
        place = ", ".join(p for p in (c.archive, c.archive_place) if p)
        return [[plain(f"{c.collection} ({c.record_number}), {place}")]]
    return [[plain(c.reference)]] if c.reference else []


def entry(c: Citable) -> Runs:
    title: Runs = [italic(c.title)] if not c.volume else [plain(c.title)]
    if c.genre and c.genre.casefold() != c.title.casefold():
        title.append(plain(f" [{c.genre}]"))
    date: Runs = [plain(f"({dates.apa(c)})")]
    head = authors(c.authors)
    lead = [[plain(head)], date, title] if head else [title, date]
    groups = [*lead, *_source(c)]
    if c.locator:
        groups.append([plain(c.locator)])
    groups.append([plain(c.site)])
    runs = join([sentence(g) for g in groups if g], " ")
    return [*runs, plain(f" {c.cite_url}")] if c.cite_url else runs
