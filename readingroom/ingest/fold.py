"""Folding the records of one new document into one: what the first import of a record
that several sources list (three release lists and a scan) creates.

The same decisions as `merge.plan` makes for a stored document, taken on the records
themselves, so that a document is the same whether its sources came in one import or
one after the other. Plain Python (no Django models): the parser tests use it to see a
record number as the catalogue will.
"""

from __future__ import annotations

from copy import copy
from dataclasses import replace
from typing import Any

from readingroom.catalogue.keys import EMPTY, empty_value
from readingroom.catalogue.precedence import (
    EARLIEST,
    FULL,
    PLACEHOLDER,
    UNION,
    field_rule,
    part_rule,
    precedence,
)
from readingroom.ingest.assertions import KINDS, field_values, part_items
from readingroom.ingest.records import ClassificationRecord, DocumentRecord


def fold(records: list[DocumentRecord]) -> dict[str, DocumentRecord]:
    """Each document's records folded into one, by identifier, in their order."""
    groups: dict[str, list[DocumentRecord]] = {}
    for r in records:
        groups.setdefault(r.identifier, []).append(r)
    return {identifier: merge_records(group) for identifier, group in groups.items()}


def merge_records(records: list[DocumentRecord]) -> DocumentRecord:
    """One record of what these records (of one new document) assert together: what
    `plan` would make of them one after the other, in any order (the first import of a
    record three release lists and a scan speak of). Decided on the records themselves,
    as `precedence.winner` and `providers` decide on claims."""
    if len(records) == 1:
        return records[0]
    ranked = sorted(records, key=_precedence, reverse=True)
    top = ranked[0]
    merged = copy(top)  # shallow: lists are replaced, never changed in place
    merged.__dict__.pop("_content_hash_at_parse", None)  # its own hash is never stored
    merged.__dict__.pop("_asserted_at_parse", None)
    values = [field_values(r) for r in ranked]
    for name, value in values[0].items():
        earliest = field_rule(name) == EARLIEST
        if value not in EMPTY and not earliest:
            continue  # the top record's
        asserting = [(r, v[name]) for r, v in zip(ranked, values, strict=True)
                     if v[name] not in EMPTY]  # fmt: skip
        if not asserting:
            continue  # nobody's: the top record's empty value
        w = asserting[0][0]
        if earliest:
            tier = _precedence(w)[0]
            same_tier = [(r, str(v)) for r, v in asserting if _precedence(r)[0] == tier]
            first = min(v for _, v in same_tier)
            w = next(r for r, v in same_tier if v == first)
        if w is not top:
            _copy_field(merged, name, w)
    chains = {(r.source.importer, r.source.id_in_source) for r in records}
    tops = {chain: next(r for r in ranked if (r.source.importer, r.source.id_in_source)
                        == chain) for chain in chains}  # fmt: skip
    for kind in KINDS:
        union = part_rule(kind) == UNION
        if not union and len(chains) == 1:
            continue  # the top record's own
        chosen: dict[str, Any] = {}
        for r in ranked:
            if union or tops[(r.source.importer, r.source.id_in_source)] is r:
                for key, item in part_items(r, kind):
                    chosen.setdefault(key, item)
        _set_parts(merged, kind, list(chosen.values()))
    merged.partial = "" if any(not r.partial for r in records) else top.partial
    merged.mapped = sorted({rule for r in records for rule in r.mapped})
    return merged


def _precedence(r: DocumentRecord) -> tuple:
    s = r.source
    return precedence(s.importer, s.id_in_source, s.origin, s.rank,
                      PLACEHOLDER if r.partial else FULL)  # fmt: skip


def _copy_field(merged: DocumentRecord, name: str, source: DocumentRecord | None) -> None:
    if name == "date":
        merged.date = source.date if source else replace(merged.date, precision="undated",
            as_written="", start=None, end=None, time_start=None, time_end=None,
            utc_offset_minutes=None)  # fmt: skip
    elif name == "classification":
        c = source.classification if source else ClassificationRecord("not-recorded")
        merged.classification = ClassificationRecord(c.level, c.marking,
                                                     merged.classification.caveats)  # fmt: skip
    elif name == "rights":
        merged.rights_uri = source.rights_uri if source else ""
        merged.rights_text = source.rights_text if source else ""
    else:
        setattr(merged, name, getattr(source, name) if source else empty_value(name))


def _set_parts(merged: DocumentRecord, kind: str, items: list) -> None:
    if kind == "caveats":
        merged.classification = replace(merged.classification, caveats=items)
    elif kind == "releases":
        merged.releases = sorted(items, key=lambda x: (x.released_on, x.list_name, x.rows))
    else:  # the record's list of that name
        setattr(merged, kind, items)
