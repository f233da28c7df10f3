"""Imports merge: what a document becomes when a source speaks again, decided from
what every party asserts and never from the order the imports came in.

The document's sources each assert fields and parts (`Claim`, stored on their
DocumentSource); the records being imported are claims too, with their content at hand.
Editors' changes (DocumentEdits) stand above all of them. So:

- a field takes the value of its winning claim (`precedence.winner`); nobody asserting
  it any more empties it; an editor's field is kept, and an incoming source that would
  have won with a value of its own raises a conflict instead;
- parts of the `union` kinds (releases, files) are every source's, one per key; parts
  of the other kinds are those of each record's top source; a part nobody asserts any
  more goes; an editor's parts (added, changed, removed) are kept, a source's new
  content for one of them raising a conflict.

`fold.merge_records` folds the records of a new document into one (the first import
of a record listed in several release lists) by the same rules; `plan` compares a stored document
with what its claims now make of it (every later import). Both decide with the same
functions, so a document is the same whichever way it was built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readingroom.catalogue import models as m
from readingroom.catalogue.keys import empty_value
from readingroom.catalogue.precedence import (
    EARLIEST,
    Claim,
    chain_tops,
    field_rule,
    part_rule,
    providers,
    winner,
)
from readingroom.catalogue.provenance import FIELDS, KINDS, stored_claim, value_of
from readingroom.ingest.assertions import LINKS, part_items

MISSING = object()


# ---- why: the rules, as the report names them ------------------------------------------


def field_reason(name: str, w: Claim | None) -> str:
    if w is None:
        return "no source asserts it any more"
    if field_rule(name) == EARLIEST:
        return f"earliest value wins: {w.label}"
    return f"{w.label} asserts it ({w.tier} source of highest precedence)"


def part_reason(kind: str, c: Claim) -> str:
    if part_rule(kind) == "union":
        return f"union of every source's {kind}: {c.label}"
    return f"{c.label} asserts it (top source of its record)"


# ---- a later import: the stored document against its claims ----------------------------


@dataclass
class State:
    """A stored document as the merge needs it (loaded for a batch: `merge_writer`)."""

    document: m.Document
    sources: list[m.DocumentSource]
    edits: m.DocumentEdits | None
    # kind → key → (row id, position, *content columns: `parts.CONTENT`); for a
    # many-to-many kind, (related id,)
    parts: dict[str, dict[str, tuple]]
    conflicts: dict[tuple[str, str, int | None], m.Conflict]  # open: (name, key, source)


@dataclass
class FieldChange:
    name: str
    before: Any
    after: Any
    reason: str


@dataclass
class PartChange:
    kind: str
    key: str
    action: str  # added | removed | changed
    reason: str
    row_id: int | None = None  # the stored row it replaces or removes
    claim: Claim | None = None  # whose item is written (added, changed)
    item: Any = None
    position: int = 0
    model: Any = None  # the row built of the item (`merge_writer`): its table
    row: Any = None
    stored: tuple | None = None  # the stored row it replaces or removes (State.parts)


@dataclass
class ConflictNote:
    what: str  # field | part
    name: str
    key: str
    claim: Claim
    source_value: Any
    editor_value: Any
    item: Any = None  # a part's record item: its row is built when written
    was: str | None = None  # a part: the digest of the source's content the editor changed
    stored: tuple | None = None  # a part: its row as the editor left it (None: removed)


@dataclass
class Plan:
    document: m.Document
    claims: list[Claim]  # the incoming ones, with their stored before-states
    fields: list[FieldChange] = field(default_factory=list)
    parts: list[PartChange] = field(default_factory=list)
    conflicts: list[ConflictNote] = field(default_factory=list)
    # An editor's parts a source being imported gives too: conflicts, or not, once the
    # source's row is built (`merge_writer`).
    part_conflicts: list[ConflictNote] = field(default_factory=list)
    agreed: list[m.Conflict] = field(default_factory=list)  # open ones the source settled
    derived: list[Claim] = field(default_factory=list)  # stored sources worked out now

    @property
    def changes_document(self) -> bool:
        return bool(self.fields or self.parts)


def plan(state: State, incoming: list[Claim]) -> Plan:
    """What the document becomes now that `incoming` claims (records being imported,
    each replacing what its source asserted before) join the stored ones."""
    document, edits = state.document, state.edits
    result = Plan(document, incoming)
    claims = _claims(state, incoming, result)
    edited_fields = edits.fields if edits else {}
    for name in FIELDS:
        current = value_of(document, name)
        w = winner(name, claims)
        if name in edited_fields:
            _field_conflict(result, state, name, w, current)
            continue
        after = w.fields[name] if w else empty_value(name)
        if after != current:
            result.fields.append(FieldChange(name, current, after, field_reason(name, w)))
    tops = chain_tops(claims)
    for kind in KINDS:
        _plan_parts(result, state, kind, providers(kind, claims, tops))
    return result


def _claims(state: State, incoming: list[Claim], result: Plan) -> list[Claim]:
    by_source = {(c.importer, c.id_in_source, c.origin): c for c in incoming}
    claims = list(incoming)
    for s in state.sources:
        stored = stored_claim(s, state.document, state.parts, state.edits)
        new = by_source.get((s.importer, s.id_in_source, s.origin))
        if new is not None:
            new.before, new.source_pk = stored, s.pk
        else:
            claims.append(stored)
            if s.asserted is None or "f" not in s.asserted:
                result.derived.append(stored)  # stored in full from now on
    return claims


def _field_conflict(result: Plan, state: State, name: str, w: Claim | None,
                    current: Any) -> None:  # fmt: skip
    """An editor's field: a source being imported that would have set it to a value
    of its own, new since it last spoke, raises a conflict."""
    if w is None or w.record is None:
        return
    value = w.fields[name]
    before = w.before.fields.get(name, MISSING) if w.before else MISSING
    _raise(result, state, ConflictNote("field", name, "", w, value, current),
           changed=value != before, differs=value != current)  # fmt: skip


def _raise(result: Plan, state: State, note: ConflictNote, changed: bool,
           differs: bool) -> None:  # fmt: skip
    open_one = state.conflicts.get((note.name, note.key, note.claim.source_pk))
    if not differs:
        if open_one is not None:
            result.agreed.append(open_one)  # the source came round to the editor's value
    elif changed or open_one is not None:
        result.conflicts.append(note)


def _plan_parts(result: Plan, state: State, kind: str, given: dict[str, Claim]) -> None:
    current = state.parts[kind]
    edited = state.edits.parts.get(kind, {}) if state.edits else {}
    union = part_rule(kind) == "union"
    items = {id(c): dict(part_items(c.record, kind))
             for c in set(given.values()) if c.record is not None}  # fmt: skip
    indexes = {i: {key: n for n, key in enumerate(found)} for i, found in items.items()}
    # A stored link (a placement, a language) is never rewritten: its key is all of it.
    appended, keyed_only = 0, kind in LINKS
    for key, c in given.items():
        item = items[id(c)][key] if c.record is not None else None
        stored = current.get(key)
        if key in edited:
            if item is not None:
                result.part_conflicts.append(ConflictNote(
                    "part", kind, key, c, None, _shown(kind, stored) if stored else
                    "(removed by an editor)", item, edited[key].get("was"), stored))  # fmt: skip
            continue
        if item is None:
            continue  # a stored source's part: in the document already (or lost to a change)
        if stored is not None and keyed_only:
            continue  # its key is all there is to it
        position = (max((r[1] for r in current.values()), default=-1) + 1 + appended
                    if union else indexes[id(c)][key])  # fmt: skip
        if stored is None:
            appended += union
            result.parts.append(PartChange(kind, key, "added", part_reason(kind, c),
                                           claim=c, item=item, position=position))  # fmt: skip
        else:
            result.parts.append(PartChange(kind, key, "compare", part_reason(kind, c),
                                           row_id=stored[0], claim=c, item=item,
                                           position=stored[1] if union else position,
                                           stored=stored))  # fmt: skip
    for key, row in current.items():
        if key not in given and edited.get(key, {}).get("op") not in ("added", "changed"):
            result.parts.append(
                PartChange(
                    kind, key, "removed", "no source asserts it any more", row_id=row[0], stored=row
                )
            )


def _shown(kind: str, row: tuple) -> str:
    if kind in LINKS:
        return "(linked)"
    return " · ".join(str(v) for v in row[2:] if v not in (None, "", False))[:300]
