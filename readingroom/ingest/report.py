"""The import report (`readingroom import ... --report FILE.json|FILE.csv`): per record,
each field and part that changed (or, in a dry run, would change), from what to what,
and why: which source's claim and which rule of `catalogue/data/precedence.json`.

Machine-readable for review: JSON groups the changes by record, CSV is one row per
change (values that are not text written as JSON). A dry run and the import after it
write the same report, since a dry run writes and rolls back (`loader.py`).
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readingroom.catalogue.keys import EMPTY
from readingroom.catalogue.precedence import chain_tops, providers, winner
from readingroom.catalogue.provenance import KINDS, content_columns
from readingroom.ingest.assertions import claim, field_values, part_items
from readingroom.ingest.records import DocumentRecord

if TYPE_CHECKING:
    from readingroom.ingest.merge import Plan

COLUMNS = ("identifier", "outcome", "sources", "what", "name", "key", "from", "to", "rule")
LONGEST = 500  # characters of a text shown (a text's HTML is cut there)


@dataclass
class Change:
    identifier: str
    outcome: str  # created | updated | unchanged (a conflict alone changes nothing)
    sources: str  # the sources that spoke, as they are named
    what: str  # field | part | conflict
    name: str  # the field, or the kind of part
    key: str  # which part
    before: Any
    after: Any
    rule: str  # why

    def row(self) -> dict[str, Any]:
        return dict(zip(COLUMNS, (self.identifier, self.outcome, self.sources, self.what,
                                  self.name, self.key, self.before, self.after, self.rule),
                        strict=True))  # fmt: skip


def shown(value: Any) -> Any:
    """A value as the report shows it: JSON, long texts cut, a file without its path."""
    if is_dataclass(value):
        value = asdict(value)
        value.pop("path", None)
    if isinstance(value, dict):
        return {k: shown(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [shown(v) for v in value]
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, str) and len(value) > LONGEST:
        return value[:LONGEST] + "…"
    return value


def created_changes(records: list[DocumentRecord], effective: DocumentRecord) -> list[Change]:
    """A new document: each field and part it was given, with the record it came from."""
    claims = [claim(r) for r in records]
    tops = chain_tops(claims)
    names = ", ".join(c.label for c in claims)

    def change(what: str, name: str, key: str, value: Any, source: str) -> Change:
        return Change(effective.identifier, "created", names, what, name, key, None,
                      shown(value), f"new record: {source} asserts it")  # fmt: skip

    out = [change("field", name, "", value, w.label)
           for name, value in field_values(effective).items()
           if value not in EMPTY and (w := winner(name, claims)) is not None]  # fmt: skip
    for kind in KINDS:
        given = providers(kind, claims, tops)
        out += [change("part", kind, key, item, given[key].label if key in given else names)
                for key, item in part_items(effective, kind)]  # fmt: skip
    return out


def plan_changes(plan: Plan, conflict_rule: str) -> list[Change]:
    """What a merge changed (fields, parts) and the conflicts it raised."""
    identifier = plan.document.identifier
    outcome = "updated" if plan.changes_document else "unchanged"
    names = ", ".join(c.label for c in plan.claims)
    out = [Change(identifier, outcome, names, "field", f.name, "", shown(f.before),
                  shown(f.after), f.reason) for f in plan.fields]  # fmt: skip
    for p in plan.parts:
        before = _stored(p.kind, p.stored) if p.action != "added" else None
        after = shown(p.item) if p.action != "removed" else None
        out.append(Change(identifier, outcome, names, "part", p.kind, p.key, before, after,
                          f"{p.action}: {p.reason}"))  # fmt: skip
    out += [Change(identifier, outcome, c.claim.label, "conflict", c.name, c.key,
                   shown(c.editor_value), shown(c.source_value), conflict_rule)
            for c in plan.conflicts]  # fmt: skip
    return out


def _stored(kind: str, row: tuple | None) -> Any:
    """A stored part as the report shows it: its content columns (State.parts reads
    them after its id and position), or a link's related id."""
    k = KINDS[kind]
    if row is None or k.many_to_many:
        return None if row is None else {"linked": row[0]}
    return shown(dict(zip(content_columns(k.model), row[2:], strict=True)))


def write_report(path: Path, changes: list[Change], summary: dict[str, Any]) -> None:
    """JSON ({"summary", "records": [{identifier, outcome, sources, changes}]}) or CSV
    (one row a change), by the file's suffix."""
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=COLUMNS)
            writer.writeheader()
            for c in changes:
                writer.writerow({k: v if isinstance(v, str) or v is None
                                 else json.dumps(v, ensure_ascii=False)
                                 for k, v in c.row().items()})  # fmt: skip
        return
    records: dict[str, dict[str, Any]] = {}
    for c in changes:
        entry = records.setdefault(c.identifier, {"identifier": c.identifier,
                                                  "outcome": c.outcome, "sources": c.sources,
                                                  "changes": []})  # fmt: skip
        entry["changes"].append({k: v for k, v in c.row().items()
                                 if k not in ("identifier", "outcome", "sources")})  # fmt: skip
    path.write_text(json.dumps({"summary": summary, "records": list(records.values())},
                               ensure_ascii=False, indent=1), encoding="utf-8")  # fmt: skip


def report_suffix_ok(path: Path) -> bool:
    return path.suffix.lower() in (".json", ".csv")
