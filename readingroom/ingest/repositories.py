"""Repository spellings read by the mapping table `catalogue/data/repository_spellings.json`
(with the names, abbreviations and other names of `repositories.json`): a typo, an
abbreviation, a repository's files written as its name, a series written into the name,
a printed work cited where an archive belongs, and a source note's classification
sentence left before the repository ("Only. CIA") all become the one repository.

Applied with the name rules to every importer's records (`importers.py`), so the
content hash covers the result; each kind of spelling is counted in the import summary.
Pure: no Django (the loader then finds the repository by its canonical name).
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache

from readingroom.catalogue.vocabularies import DATA, normalize_spelling
from readingroom.ingest.records import ArchivalReferenceRecord, DocumentRecord

SPELLINGS = json.loads((DATA / "repository_spellings.json").read_text(encoding="utf-8"))
REPOSITORIES = json.loads((DATA / "repositories.json").read_text(encoding="utf-8"))

# What each kind of spelling does, as the import's summary names it.
TYPO = "repository spelled with a typo → the repository"
ABBREVIATION = "repository abbreviated → the repository"
FILES = "a repository's files written as its name → the repository"
SERIES = "series written into the repository's name → repository and series"
OTHER_NAME = "another name of a repository → the repository"
PUBLICATION = "a printed work where a repository belongs → no repository"
MIS_SPLIT = "words of a classification note before the repository → the repository"
RULES = (TYPO, ABBREVIATION, FILES, SERIES, OTHER_NAME, PUBLICATION, MIS_SPLIT)


def _key(spelling: str) -> str:
    return normalize_spelling(spelling)


def _table() -> dict[str, tuple[str, str, str]]:
    """Normalized spelling → (repository, series, rule); "" rule for the repository's own
    names (no change worth counting: the loader matches them anyway)."""
    table: dict[str, tuple[str, str, str]] = {}
    for entry in REPOSITORIES:
        for spelling in (entry["name"], entry.get("abbreviation", ""), *entry["other_names"]):
            if spelling:
                table[_key(spelling)] = (entry["name"], "", "")
    kinds = (("typos", TYPO), ("abbreviations", ABBREVIATION), ("files", FILES),
             ("other_names", OTHER_NAME))  # fmt: skip
    for section, rule in kinds:
        for spelling, name in SPELLINGS[section].items():
            table[_key(spelling)] = (name, "", rule)
    for spelling, (name, series) in SPELLINGS["series_in_the_name"].items():
        table[_key(spelling)] = (name, series, SERIES)
    for spelling in SPELLINGS["publications"]:
        table[_key(spelling)] = ("", "", PUBLICATION)
    known = {entry["name"] for entry in REPOSITORIES}
    for name, _, _ in table.values():
        if name and name not in known:
            raise ValueError(f"repository_spellings.json: {name!r} is not in repositories.json")
    return table


TABLE = _table()


@lru_cache(maxsize=1024)
def read_repository(spelling: str) -> tuple[str, str, str] | None:
    """(repository, series, rule) for a spelling the tables know, else None."""
    found = TABLE.get(_key(spelling))
    if found is not None:
        return found
    if ". " in spelling:  # "Only. CIA": the end of "Secret; Eyes Only." before it
        tail = spelling.rsplit(". ", 1)[1]
        known = TABLE.get(_key(tail))
        if known is not None and known[0]:
            return known[0], known[1], MIS_SPLIT
    return None


def apply_repository_rules(record: DocumentRecord) -> DocumentRecord:
    """Rewrite the record's repositories by the tables, in place; the rules that changed
    something are added to `record.mapped`."""
    rules: set[str] = set()
    references: list[ArchivalReferenceRecord] = []
    for ref in record.archival_references:
        found = read_repository(ref.repository) if ref.repository else None
        if found is None or not found[2]:  # unknown (the loader reports it), or its own name
            references.append(ref)
            continue
        name, series, rule = found
        rules.add(rule)
        references.append(replace(ref, repository=name, series=ref.series or series))
    if rules:  # most records (all of a release list's) keep their references as they are
        record.archival_references = references
        record.mapped = sorted({*record.mapped, *rules})
    return record
