"""A plain-text record: the fields a reader copies into notes, one labelled line each,
with the Chicago note on top."""

from __future__ import annotations

from readingroom.interop.formats import chicago, dates
from readingroom.interop.formats.citable import Citable
from readingroom.interop.formats.prose import as_text


def render(c: Citable) -> str:
    v = c.volume
    lines = [
        ("Citation", as_text(chicago.note(c))),
        ("Title", c.title),
        ("Date", dates.chicago(c)),
        ("Author", "; ".join(n.direct() for n in c.authors)),
        ("Type", c.genre),
        ("Volume", f"{v.title}, {v.number}".strip(", ") if v else ""),
        ("Archive", c.archive),
        ("Archival reference", c.archive_location),
        ("Record number", c.call_number),
        ("Language", ", ".join(c.languages)),
        ("Summary", c.abstract),
        ("Rights", c.rights_uri or c.rights_text),
        ("Published by", c.site),
        ("URL", c.url),
    ]
    return "".join(f"{label}: {' '.join(value.split())}\n" for label, value in lines if value)
