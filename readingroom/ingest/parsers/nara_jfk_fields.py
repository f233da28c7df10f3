"""Catalogue fields read from one row of a NARA JFK release list: agents (Originator,
From, To), the archival reference (Record Series, File Num, the Comments locator) and
the title. Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from readingroom.catalogue.organizations import find_organization
from readingroom.catalogue.vocabularies import normalize_spelling
from readingroom.ingest.names import no_one_named
from readingroom.ingest.parsers.nara_jfk_columns import lines, text
from readingroom.ingest.records import AgentRecord, ArchivalReferenceRecord

REPOSITORY = "National Archives and Records Administration"

# From/To cells are read as persons (or the organizations organizations.json knows);
# what is not a name (a memo to the file, a withheld name, an office, a station) is the
# shared mapping table's to say (`catalogue/data/names.json`, `ingest/names.py`), which
# every importer's records pass through.
# Originator cells that are a category, not an agent: a private person or group, a
# citizen, a foreign government (withheld), several, not applicable, see the title,
# unknown. Their documents go to the root collection.
ORIGINATOR_PLACEHOLDERS = frozenset({"private", "citizen", "forgovt", "notapp", "see title"})
# In a From/To cell of a CIA record `WH` is the Western Hemisphere Division as often as
# the White House: kept as written, an organization, never expanded.
AMBIGUOUS_ADDRESSES = {"wh"}
# An originator not in organizations.json shaped `SURNAME, GIVEN` is a person
# (`RUBY, EARL`, `BARBEE, EMMETT "CHARLES"`).
PERSON_RE = re.compile(r"^[A-Z][A-Za-z'\-]+, [A-Z][A-Za-z.\"' ]*$")

CIA_LOCATOR_RE = re.compile(  # `JFK38 : F9 : 1994.04.07.16:15:07:590006 : remarks`
    r"^(?P<box>[^\s:]+)\s*:\s*(?P<folder>[^:]+?)\s*:\s*"
    r"(?P<stamp>\d{4}\.\d{2}\.\d{2}\.\d{2}:\d{2}:\d{2}:\d+|\d{8}-\d+)\s*(?::\s*(?P<remarks>.*))?$",
    re.S,
)
VOLUME_RE = re.compile(r"^V\d")  # `OSW7 : V32B`: a volume of Oswald's 201 file
NUMBER_SIGN = r"\s*(?:(?:#|number\b|no\.)\s*:?\s*)?"  # `Box #:1.`, `Box number 283`
BOX_RE = re.compile(rf"(?:\b|(?<=CC))box{NUMBER_SIGN}(?P<part>[A-Z]?\d+(?:-\d+)?)", re.I)
FOLDER_RE = re.compile(rf"(?:\b|(?<=\d))folder{NUMBER_SIGN}(?P<part>[A-Z]?\d+(?:-\d+)?)", re.I)
PART_MAX = 50  # the catalogue's box and volume fields


@lru_cache(maxsize=8192)  # a few hundred distinct originator cells, repeated
def is_placeholder(spelling: str, extra: frozenset[str] = frozenset()) -> bool:
    key = normalize_spelling(spelling)
    return not key or key in extra or no_one_named(spelling)


def originator_entry(cell: object) -> dict[str, Any] | None:
    """The organizations.json entry of a row's (first) originator, if it has one."""
    for line in lines(cell):
        if entry := find_organization(line):
            return entry
    return None


def originator_agents(cell: object) -> list[AgentRecord]:
    """Originator → organizations (canonical name), or a person when shaped like one."""
    written = text(cell) if not isinstance(cell, str) else cell.strip()
    agents = []
    for line in lines(cell):
        if is_placeholder(line, ORIGINATOR_PLACEHOLDERS):
            continue
        entry = find_organization(line)
        if entry:
            agents.append(AgentRecord(entry["name"], "originator", "organization", written))
        elif PERSON_RE.match(line):
            agents.append(AgentRecord(line, "originator", "person", written))
        else:
            agents.append(AgentRecord(line, "originator", "organization", written))
    return agents


def address_agents(cell: object, role: str) -> list[AgentRecord]:
    """From/To → a person as catalogued, or an organization that organizations.json
    knows (canonical name); the name rules read the rest later."""
    written = text(cell) if not isinstance(cell, str) else cell.strip()
    agents = []
    for line in lines(cell):
        if found := _address(line):
            agents.append(AgentRecord(found[0], role, found[1], written))
    return agents


@lru_cache(maxsize=8192)
def _address(line: str) -> tuple[str, str] | None:
    """(name, kind) of one From/To line, None for an empty one."""
    if not normalize_spelling(line):
        return None
    if normalize_spelling(line) in AMBIGUOUS_ADDRESSES:
        return line, "organization"
    if entry := find_organization(line):
        return entry["name"], "organization"
    return line, "person"


def archival_reference(series: str, file: str, comments: str) -> ArchivalReferenceRecord | None:
    """NARA's reference: the record series, the agency file, and box/folder (or volume)
    read from the Comments locator. The CIA's locator is `BOX : FOLDER : STAMP :
    remarks` (STAMP a processing time, `1994.04.07.16:15:07:590006` or
    `20031124-1016188`); other agencies write `Box 2.`, `Box #:1.`, `BOX 450-4`,
    `CCBOX 450`, `SSCI Box 290, Folder 9`, `Califano Papers, Box 3, Folder 10.  remarks`
    or `NSF:CO:Cuba, Intelligence, Vol. I:Box 51`. The remarks stay in `as_written`.
    """
    comments = " ".join(comments.split()).removesuffix(" :").removesuffix(":").rstrip()
    if not (series or file or comments):
        return None
    parts = [
        f"{label}: {value}"
        for label, value in (("Record Series", series), ("File Num", file), ("Comments", comments))
        if value
    ]
    reference = ArchivalReferenceRecord(
        as_written="; ".join(parts), repository=REPOSITORY, series=series, file=file
    )
    if match := CIA_LOCATOR_RE.match(comments):
        reference.box = _part(match["box"])
        if VOLUME_RE.match(match["folder"]):
            reference.volume = _part(match["folder"])
        else:
            reference.folder = match["folder"]
    else:
        if box := BOX_RE.search(comments):
            reference.box = box["part"]
        if folder := FOLDER_RE.search(comments):
            reference.folder = folder["part"]
    return reference


def _part(value: str) -> str:
    return value if len(value) <= PART_MAX else ""


def devised_title(record_number: str, originator: dict[str, Any] | None) -> str:
    """A title for a row NARA left untitled, in square brackets as archivists mark a
    title they supply: `[Untitled FBI record 124-10167-10375]`."""
    if originator:
        return (
            f"[Untitled {originator.get('abbreviation') or originator['name']} record"
            f" {record_number}]"
        )
    return f"[Untitled record {record_number}]"
