"""The columns of NARA's JFK release lists and how a row's cells are read.

NARA renamed most columns between the 2021 list and the later ones (`Record Number` →
`Record Num`, `File Title` → `File Name`...); the 2023 list adds `Agency`. A header is
matched by its normalized spelling, so both years (and case or punctuation slips) map to
one field name. Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readingroom.catalogue.vocabularies import normalize_spelling
from readingroom.ingest.parsers.nara_dates import as_written

# field → the header spellings NARA has used for it (2021 first, then 2022-2023).
COLUMNS: dict[str, tuple[str, ...]] = {
    "record_number": ("Record Number", "Record Num"),
    "file_name": ("File Title", "File Name"),
    "release_date": ("NARA Release Date",),
    "prior_status": ("Formerly Withheld",),
    "agency": ("Agency",),  # 2023 only and empty there: read, compared, not catalogued
    "document_date": ("Document Date", "Doc Date"),
    "document_type": ("Document Type", "Doc Type"),
    "file_number": ("File Number", "File Num"),
    "to": ("To", "To Name"),
    "from": ("From", "From Name"),
    "title": ("Title",),
    "pages": ("Original Document Pages", "Num Pages"),
    "originator": ("Originator",),
    "series": ("Record Series",),
    "review_date": ("Review Date",),
    "comments": ("Comments",),
    "pages_released": ("Document Pages in PDF", "Pages Released"),
}
# Every column the corpus README names, which all of NARA's lists have: a list without
# one of them is refused, never read as if the column were empty (without `Doc Date`
# every record would become undated, and a re-import would wipe the dates it had).
# `Agency` is the exception: the 2023 list alone has it, nearly empty.
NEEDED = tuple(name for name in COLUMNS if name != "agency")
SPELLINGS = {normalize_spelling(s): name for name, names in COLUMNS.items() for s in names}

RECORD_NUMBER_RE = re.compile(r"^\d{3}-\d{5}-\d{5}$")  # agency, then sequence


def label(name: str) -> str:
    """How messages name a field: every header NARA used for it."""
    return " / ".join(COLUMNS[name])


@dataclass
class Header:
    """Where each known field is in one list, and what the header row got wrong."""

    columns: dict[str, int] = field(default_factory=dict)  # field → 0-based column
    written: dict[str, str] = field(default_factory=dict)  # field → header as written
    unknown: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)  # a field's second column

    @property
    def missing(self) -> list[str]:
        return [name for name in NEEDED if name not in self.columns]


def read_header(cells: list[object]) -> Header:
    header = Header()
    for index, cell in enumerate(cells):
        written = as_written(cell)
        if not written:
            continue  # an empty header cell over an empty column is not a column
        name = SPELLINGS.get(normalize_spelling(written))
        if name is None:
            header.unknown.append(written)
        elif name in header.columns:
            header.repeated.append(written)
        else:
            header.columns[name] = index
            header.written[name] = written
    return header


# A cell as one trimmed line: numbers typed as text come back as `23500`, not `23500.0`;
# Excel dates in the lists' own MM/DD/YYYY. (An alias: it runs 300,000 times a set.)
text = as_written


def lines(value: object) -> list[str]:
    """The distinct lines of a cell, in order: `NSA\\nNSA\\nNSA` is one `NSA`."""
    if not isinstance(value, str) or "\n" not in value:
        one = text(value)
        return [one] if one else []
    seen: dict[str, None] = {}
    for line in value.splitlines():
        line = " ".join(line.split())
        if line:
            seen.setdefault(line, None)
    return list(seen)


def integer(value: object) -> int | None:
    """A page count: Excel numbers are floats; text digits are accepted; anything else
    (empty, `n/a`, a fraction) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    written = text(value)
    return int(written) if written.isdigit() else None
