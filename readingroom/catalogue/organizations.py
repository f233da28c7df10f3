"""Organizations as data (`data/organizations.json`): one entry per organization with its
preferred name, abbreviation and the other spellings sources use for it, so `CIA` and
`CENTRAL INTELLIGENCE AGENCY` become one agent.

Pure: the JSON is read once at import, no database. `vocabularies.sync_organizations`
writes the same entries into Agent/AgentName rows on migrate.

What the list holds (from NARA's JFK release lists of 2021-2023):
- every originator code or spelling that clearly names an organization, expanded and
  merged only where the expansion is certain (`ROCK` = `ROCKEFELLER COMMISSION`,
  `SSCSGO` = `SSCIA`, `USA` = `ARMY` = U.S. Army, as the lists use them);
- codes whose expansion is not certain (`AISC`, `CIT`, `DA`, `FLA`, `ICCCA`, `NIJFK`,
  `OSI`, `SCIA`, `STAT`, `USM-701`, `Select Committee…`) as their own organization
  named by the code, never merged with another;
- not: placeholders (`PRIVATE`, `CITIZEN`, `FORGOVT`, `MULTIPLE`, `NOTAPP`, `SEE TITLE`,
  `UNKNOWN`) and persons (`RUBY, EARL`), which the parser handles.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from readingroom.catalogue.vocabularies import normalize_spelling

DATA_FILE = Path(__file__).resolve().parent / "data" / "organizations.json"


def spellings(entry: dict[str, Any]) -> list[str]:
    """Every spelling an entry answers to: name, abbreviation, other names."""
    return [
        s
        for s in (entry["name"], entry.get("abbreviation", ""), *entry.get("other_names", []))
        if s
    ]


def key_of(spelling: str) -> str:
    """Case, punctuation and spacing ignored: `C.I.A.` = `CIA`, `U.S. Army` = `US ARMY`."""
    return normalize_spelling(spelling).replace(" ", "")


def load_organizations(path: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The entries and an index by normalized spelling; a spelling claimed by two
    organizations is a mistake in the data, so it stops the import of this module."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    index: dict[str, dict[str, Any]] = {}
    for entry in entries:
        for spelling in spellings(entry):
            key = key_of(spelling)
            other = index.setdefault(key, entry)
            if other is not entry:
                raise ValueError(
                    f"{path}: {spelling!r} names both {other['name']!r} and {entry['name']!r}"
                )
    return entries, index


ORGANIZATIONS, _INDEX = load_organizations(DATA_FILE)


@lru_cache(maxsize=4096)  # a release list repeats a few hundred spellings 17,000 times
def find_organization(spelling: str) -> dict[str, Any] | None:
    """The entry whose name, abbreviation or other name is `spelling`, ignoring case,
    punctuation and spaces; None when no entry has it."""
    return _INDEX.get(key_of(spelling))


def canonical_organization(spelling: str) -> str | None:
    """The preferred name of the organization spelled `spelling`, or None."""
    entry = find_organization(spelling)
    return entry["name"] if entry else None
