"""Writing merges: the stored documents a batch speaks of again, read in a few queries,
each compared with what its claims now make of it (`merge.plan`), and only what
changes written: fields, parts added, rewritten or removed, the sources' new
assertions, conflicts for editors to decide.

Part of the loader (`Loader` inherits `MergeWriter`, which uses its part builders and
lookups).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from readingroom.catalogue import models as m
from readingroom.catalogue.editing import source_known
from readingroom.catalogue.fast_insert import JSONText, delete_where, insert, insert_rows, update
from readingroom.catalogue.provenance import (
    KINDS,
    apply_value,
    content_columns,
    content_digest,
    keyed_rows,
)
from readingroom.catalogue.versions import keep_state_before_change
from readingroom.ingest.assertions import asserted_json, claim
from readingroom.ingest.merge import Plan, State, plan
from readingroom.ingest.parts import COLUMNS, link_source_texts
from readingroom.ingest.records import DocumentRecord
from readingroom.ingest.report import plan_changes
from readingroom.ingest.validation import check_rows

if TYPE_CHECKING:
    from readingroom.ingest.parts import Row

CONFLICT_RULE = ("an editor changed it: the editor's value stays, the source's waits in "
                 "the conflict queue")  # fmt: skip


@dataclass
class Merging:
    """A stored document and the records that speak of it again."""

    document_id: int
    records: list[DocumentRecord]


class MergeWriter:
    # Provided by Loader.
    detail: bool

    def _merge(self, mergings: list[Merging], now: datetime) -> dict[int, bool]:
        """Merge each document with its records; returns whether each changed."""
        if not mergings:
            return {}
        states = _states([g.document_id for g in mergings])
        plans: list[tuple[State, Plan]] = []
        for g in mergings:
            state = states[g.document_id]
            plans.append((state, plan(state, [claim(r) for r in g.records])))
        for state, p in plans:
            self._build_parts(state, p, now)
        changed = [p for _, p in plans if p.changes_document]
        keep_state_before_change(p.document.pk for p in changed)
        for p in changed:
            for change in p.fields:
                apply_value(p.document, change.name, change.after, self._term)
            self._check(p.document, [c.record for c in p.claims])
        update([p.document for p in changed], now=now)  # every field, as save() writes them
        self._write_part_changes(changed)
        self._write_merge_sources([p for _, p in plans], now)
        self._write_conflicts([p for _, p in plans], now)
        self.merged = {**getattr(self, "merged", {}),
                       **{p.document.pk: p.document.identifier for p in changed}}  # fmt: skip
        for _, p in plans:
            self.report.merged.update(_what_changed(p))
            if self.detail:
                self.report.changes += plan_changes(p, CONFLICT_RULE)
        return {p.document.pk: p.changes_document for _, p in plans}

    def merged_identifiers(self, ids: list[int]) -> list[tuple[int, str]]:
        merged = getattr(self, "merged", {})
        return [(pk, merged[pk]) for pk in ids]

    # -- parts --------------------------------------------------------------------------

    def _build_parts(self, state: State, p: Plan, now: datetime) -> None:
        """The rows of what is added or may have changed; a part whose row is as stored
        is no change. An editor's part that a source gives is a conflict when the
        source's row is new since the editor changed it and differs from the editor's."""
        pk = p.document.pk
        kept = []
        for change in p.parts:
            if change.action == "removed":
                kept.append(change)
                continue
            built = self.part_row(change.kind, pk, change.claim.record, change.item,
                                  change.position, now)  # fmt: skip
            if built is None:
                continue  # cannot be linked: warned
            change.model, change.row = built
            if change.action == "compare":
                stored = state.parts[change.kind][change.key]
                if _content(change.model, change.row) == stored[2:] and (
                        change.position == stored[1]):  # fmt: skip
                    continue
                change.action = "changed"
            kept.append(change)
        p.parts = kept
        for note in p.part_conflicts:
            built = self.part_row(note.name, pk, note.claim.record, note.item, 0, now)
            if built is None:
                continue
            model, row = built
            digest = _digest(model, row)
            if digest == note.was:
                continue  # the source gives what it gave when the editor changed it
            open_one = state.conflicts.get((note.name, note.key, note.claim.source_pk))
            if note.stored is not None and _content(model, row) == note.stored[2:]:
                if open_one is not None:
                    p.agreed.append(open_one)  # the source came round to the editor's
                continue
            note.source_value = {"shown": note.key, "row": _row_dict(model, row, note.name)}
            note.was = digest  # known from now on: the same again raises no conflict
            p.conflicts.append(note)

    def _write_part_changes(self, plans: list[Plan]) -> None:
        gone: dict[type, list[int]] = {}
        links_gone: dict[str, list[tuple[int, int]]] = {}
        rows: dict[tuple[type, str], list[Row]] = {}
        for p in plans:
            for change in p.parts:
                k = KINDS[change.kind]
                if change.action in ("removed", "changed") and change.row_id is not None:
                    if k.many_to_many:
                        links_gone.setdefault(change.kind, []).append((p.document.pk,
                                                                       change.row_id))  # fmt: skip
                    else:
                        gone.setdefault(k.model, []).append(change.row_id)
                if change.action in ("added", "changed"):
                    rows.setdefault((change.model, change.kind), []).append(change.row)
        for model, ids in gone.items():
            delete_where(model, "id", ids)
        for kind, pairs in links_gone.items():
            through = getattr(m.Document, KINDS[kind].related_name).through
            column = _link_column(kind)
            for document_id, related in pairs:
                through.objects.filter(document_id=document_id, **{column: related}).delete()
        records = {p.document.pk: p.claims[0].record for p in plans}
        for (model, kind), built in rows.items():
            columns = COLUMNS.get(model) or ("document_id", _link_column(kind))
            if model in COLUMNS:
                check_rows(model, columns, built, records)
            insert_rows(model, columns, built)
        # Translations point at their source texts once the texts have ids.
        link_source_texts({p.document.pk: c.claim.record for p in plans for c in p.parts
                           if c.kind == "texts" and c.claim is not None
                           and c.claim.record is not None})  # fmt: skip

    # -- sources and conflicts -------------------------------------------------------

    def _write_merge_sources(self, plans: list[Plan], now: datetime) -> None:
        """Each incoming record's source with what it asserts now (a new one inserted),
        and a source of before provenance with what it was worked out to assert."""
        changed, new = [], []
        for p in plans:
            sources = {s.pk: s for s in p.document._merge_sources}
            for c in p.claims:
                r = c.record
                if c.source_pk is None:
                    c.source = self._source(p.document, r)
                    new.append(c.source)
                    continue
                s = c.source = sources[c.source_pk]
                s.file, s.content_hash, s.rank = r.source.file, r.content_hash(), r.source.rank
                s.asserted = JSONText(asserted_json(r))
                changed.append(s)
            for c in p.derived:
                s = sources[c.source_pk]
                s.asserted = c.asserted()
                changed.append(s)
        insert(new, now)
        update(changed, ["file", "content_hash", "rank", "asserted", "imported_at"], now)

    def _write_conflicts(self, plans: list[Plan], now: datetime) -> None:
        new, touched = [], []
        for p in plans:
            open_ones = p.document._merge_conflicts
            for note in p.conflicts:
                source = getattr(note.claim, "source", None)
                found = open_ones.get((note.name, note.key, note.claim.source_pk))
                if found is not None:
                    found.source_value, found.editor_value = note.source_value, note.editor_value
                    found.source = source or found.source
                    touched.append(found)
                    continue
                new.append(m.Conflict(document=p.document, source=source,
                                      source_label=note.claim.label, what=note.what,
                                      name=note.name, key=note.key[:500],
                                      source_value=_json(note.source_value),
                                      editor_value=_json(note.editor_value)))  # fmt: skip
            for conflict in p.agreed:
                conflict.status, conflict.decided_at = m.ConflictStatus.AGREED, now
                touched.append(conflict)
            for note in p.conflicts:
                if note.what == "part":
                    source_known(p.document.pk, note.name, note.key, note.was)
        m.Conflict.objects.bulk_create(new)
        for conflict in touched:
            conflict.save()


def _states(ids: list[int]) -> dict[int, State]:
    """The documents with their sources, editors' changes, parts (keyed) and open
    conflicts: a query per table for the whole batch."""
    documents = {d.pk: d for d in m.Document.objects.filter(pk__in=ids)}
    sources: dict[int, list[m.DocumentSource]] = {pk: [] for pk in ids}
    for s in m.DocumentSource.objects.filter(document_id__in=ids).order_by("pk"):
        sources[s.document_id].append(s)
    edits = {e.document_id: e for e in m.DocumentEdits.objects.filter(document_id__in=ids)}
    conflicts: dict[int, dict] = {pk: {} for pk in ids}
    for c in m.Conflict.objects.filter(document_id__in=ids, status=m.ConflictStatus.OPEN):
        conflicts[c.document_id][(c.name, c.key, c.source_id)] = c
    parts = {kind: keyed_rows(kind, ids, () if k.many_to_many
                              else ("position", *content_columns(k.model)))
             for kind, k in KINDS.items()}  # fmt: skip
    states = {}
    for pk, document in documents.items():
        document._merge_sources, document._merge_conflicts = sources[pk], conflicts[pk]
        own_parts = {kind: found[pk] for kind, found in parts.items()}
        states[pk] = State(document, sources[pk], edits.get(pk), own_parts, conflicts[pk])
    return states


def _what_changed(p: Plan) -> set[str]:
    """What a merge did to its document, for the import's summary."""
    done = {f"{f.name} changed" for f in p.fields}
    done |= {f"{c.kind} {c.action}" for c in p.parts}
    if p.conflicts:
        done.add("conflicts raised for editors to decide (admin: Conflicts)")
    return done


def _content(model: type, row: tuple) -> tuple:
    """A built row's content, as `_states` reads a stored one (`content_columns`)."""
    if model not in COLUMNS:
        return ()
    values = dict(zip(COLUMNS[model], row, strict=True))
    return tuple(values[c] for c in content_columns(model))


def _digest(model: type, row: tuple) -> str:
    if model not in COLUMNS:
        return ""
    return content_digest(model, dict(zip(COLUMNS[model], row, strict=True)))


def _link_column(kind: str) -> str:
    """A many-to-many link's column for its related object: language_id..."""
    return f"{KINDS[kind].model._meta.model_name}_id"


def _row_dict(model: type, row: tuple, kind: str = "") -> dict[str, Any]:
    columns = COLUMNS.get(model) or ("document_id", _link_column(kind))
    return {c: _json(v) for c, v in zip(columns, row, strict=True) if c != "document_id"}


def _json(value: Any) -> Any:
    """A value as JSON keeps it (dates as ISO text)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return json.loads(json.dumps(value, default=str)) if not isinstance(
        value, (str, int, float, bool, type(None))) else value  # fmt: skip
