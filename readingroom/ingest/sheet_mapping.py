"""How an archivist's sheet maps into the catalogue: its columns (a default that fits
common names, `data/sheet_columns.json`, and a mapping file for others) and what the
source says of its records as a whole (its name, the state new records get, their
rights, per kind of document). Pure: no Django.

A mapping file is JSON:

    {"source": "un-ussr",                       # names the set (default: the sheet's folder)
     "columns": {"Kurztitel": "title"},         # column -> field, beside the default names
     "separator": ";",                          # between values in one cell
     "state": "published",                      # what new records become (default: draft)
     "classification_when_empty": "no-marking", # an empty marking cell means no marking
     "identifier_prefix": "un-ussr-",           # identifiers minted from file names
     "rights": [{"when": {"document_type": ["memorandum"]}, "uri": "...", "text": "..."},
                {"uri": "...", "text": "..."}]} # the first rule whose `when` holds

`when` names fields (not columns) with the values that match (without case), or "*" for
any value. A record no rule matches gets "Copyright Not Evaluated".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from readingroom.ingest.records import ParseError

DATA = Path(__file__).resolve().parent / "data"
# Fields a sheet cannot do without: a column for each (the key is the file or an
# identifier; the date may be written or ISO).
REQUIRED = (("title",), ("language",), ("files", "identifier"), ("date", "date_iso"))
STATES = ("draft", "published")
RIGHTS_PREFIXES = ("http://rightsstatements.org/vocab/", "https://creativecommons.org/publicdomain/")
_KEYS = {"source", "columns", "separator", "state", "classification_when_empty",
         "identifier_prefix", "rights", "_comment"}  # fmt: skip


def normalize(name: str) -> str:
    """ "Date (ISO)" → "date iso": column names match without case or punctuation."""
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


@cache
def default_columns() -> dict[str, str]:
    """Normalized column name → field, from the default mapping."""
    data = json.loads((DATA / "sheet_columns.json").read_text(encoding="utf-8"))
    return {normalize(name): target for target, names in data.items()
            if not target.startswith("_") for name in names}  # fmt: skip


def fields() -> set[str]:
    return set(default_columns().values())


@dataclass(frozen=True)
class RightsRule:
    when: dict[str, Any]
    uri: str
    text: str = ""

    def holds(self, values: dict[str, list[str]]) -> bool:
        for name, wanted in self.when.items():
            found = [v.casefold() for v in values.get(name, []) if v]
            if wanted == "*":
                if not found:
                    return False
            elif not {str(w).casefold() for w in wanted} & set(found):
                return False
        return True


@dataclass
class SheetMapping:
    source: str
    columns: dict[str, str] = field(default_factory=dict)  # header as written → field
    unknown: list[str] = field(default_factory=list)  # headers that fit no field
    separator: str = ";"
    state: str | None = None  # None: draft (nothing is published unless the source says)
    classification_when_empty: str = "not-recorded"
    identifier_prefix: str = ""
    rights: list[RightsRule] = field(default_factory=list)

    def column_of(self, target: str) -> str | None:
        return next((c for c, f in self.columns.items() if f == target), None)


def read_mapping_file(path: Path | None) -> dict[str, Any]:
    """The mapping file's content, checked; {} without one. ParseError names the file
    and the key that is wrong."""
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(str(path), "mapping", f"cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ParseError(str(path), "mapping", f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ParseError(str(path), "mapping", "must be a JSON object")
    for key in data.keys() - _KEYS:
        raise ParseError(str(path), key, f"unknown key (one of {', '.join(sorted(_KEYS))})")
    for column, target in (data.get("columns") or {}).items():
        if target not in fields() and target != "ignore":
            raise ParseError(str(path), f"columns: {column}",
                             f"{target!r} is no field (one of {', '.join(sorted(fields()))}, "
                             "or ignore)")  # fmt: skip
    if data.get("state") is not None and data["state"] not in STATES:
        raise ParseError(str(path), "state", f"{data['state']!r}: one of {', '.join(STATES)}")
    for i, rule in enumerate(data.get("rights") or []):
        where = f"rights[{i}]"
        if not isinstance(rule, dict) or not str(rule.get("uri", "")).startswith(RIGHTS_PREFIXES):
            raise ParseError(str(path), where, "needs a RightsStatements.org or Creative Commons "
                             "public domain URI as `uri`")  # fmt: skip
        for name in rule.get("when", {}):
            if name not in fields():
                raise ParseError(str(path), f"{where}: when", f"{name!r} is no field")
    return data


def resolve(headers: list[str], data: dict[str, Any], sheet: Path) -> SheetMapping:
    """The mapping of this sheet's columns. ParseError when a column the catalogue
    needs is missing or two columns claim one field: the sheet cannot be read at all."""
    given = {normalize(c): t for c, t in (data.get("columns") or {}).items()}
    rules = data.get("rights") or []
    mapping = SheetMapping(
        source=data.get("source") or sheet.resolve().parent.name,
        separator=data.get("separator") or ";",
        state=data.get("state"),
        classification_when_empty=data.get("classification_when_empty", "not-recorded"),
        identifier_prefix=data.get("identifier_prefix", ""),
        rights=[RightsRule(r.get("when", {}), r["uri"], r.get("text", "")) for r in rules],
    )
    claimed: dict[str, str] = {}
    for header in headers:
        key = normalize(header)
        target = given.get(key) or default_columns().get(key)
        if target is None:
            mapping.unknown.append(header)
        elif target != "ignore":
            if target in claimed:
                raise ParseError(str(sheet), header, f"column {claimed[target]!r} is "
                                 f"already read as {target}: name one of them in a "
                                 "mapping file")  # fmt: skip
            claimed[target] = header
            mapping.columns[header] = target
    for alternatives in REQUIRED:
        if not any(target in claimed for target in alternatives):
            names = sorted({c for n, t in default_columns().items() if t in alternatives
                            for c in _spelled(n)})  # fmt: skip
            raise ParseError(str(sheet), " or ".join(alternatives),
                             f"no column for it (the sheet needs one: {', '.join(names)}; "
                             "or name yours in a mapping file)")  # fmt: skip
    return mapping


def _spelled(normalized: str) -> list[str]:
    """The default mapping's own spellings of a normalized name, for messages."""
    data = json.loads((DATA / "sheet_columns.json").read_text(encoding="utf-8"))
    return [name for target, names in data.items() if not target.startswith("_")
            for name in names if normalize(name) == normalized]  # fmt: skip
