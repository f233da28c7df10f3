"""What a record asserts, in the catalogue's provenance terms (`catalogue/provenance.py`):
the value of each field it gives, and the key of each part.

Worked out from the record alone, so in the parsing process when parsing runs alongside
the import (`parse_ahead.py`, like the content hash) for a record that shares its
document with others; the loader stores it on the record's DocumentSource and merges
with it (`ingest/merge.py`). A document's only source stores its tier alone
(`lazy_json`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from readingroom.catalogue.keys import EMPTY, agent_key, iso, numbered
from readingroom.catalogue.precedence import FULL, PLACEHOLDER, Claim
from readingroom.ingest.records import DocumentRecord


def field_values(r: DocumentRecord) -> dict[str, Any]:
    """Every field's value as `provenance.value_of` gives it for the document made of
    this record alone."""
    d = r.date
    return {
        "title": r.title,
        "title_original": [r.title_original, r.title_original_language],
        "summary": r.summary,
        "notes": r.notes,
        "date": [d.precision, d.as_written, iso(d.start), iso(d.end), iso(d.time_start),
                 iso(d.time_end), d.utc_offset_minutes],
        "document_type": r.document_type,
        "physical_form": r.physical_form,
        "extent_pages": r.extent_pages,
        "classification": [r.classification.level, r.classification.marking],
        "rights": [r.rights_uri, r.rights_text],
        "source_record_id": r.source_record_id,
        "source_uploaded_on": iso(r.source_uploaded_on),
        "citation_as_written": r.citation_as_written,
        "state": r.state,
    }  # fmt: skip


# Each part kind: the record's items, and the key of each (what `keys.base_key` makes
# of the same part stored).
_PARTS: dict[str, tuple[Callable[[DocumentRecord], Iterable[Any]], Callable[[Any], str]]] = {
    "caveats": (lambda r: r.classification.caveats, str),
    "identifiers": (lambda r: r.identifiers, lambda x: f"{x.scheme}|{x.value}"),
    "archival_references": (lambda r: r.archival_references, lambda x: x.as_written),
    "agents": (lambda r: r.agents, lambda a: agent_key(a.role, a.name_as_written or a.name,
                                                       a.office, a.note, a.withheld)),
    "places": (lambda r: r.places, lambda p: f"{p.role}|{p.name_as_written or p.name}"),
    "texts": (lambda r: r.texts, lambda t: f"{t.kind}|{t.language}"),
    "relations": (lambda r: r.relations, lambda x: f"{x.kind}|{x.target}"),
    "files": (lambda r: r.files, lambda f: f.sha256 or f"name:{f.name}"),
    "releases": (lambda r: r.releases, lambda x: f"{x.released_on.isoformat()}|{x.list_name}"),
    "collections": (lambda r: r.collections, str),
    "languages": (lambda r: r.languages, str),
    "funders": (lambda r: r.funders, str),
    "subjects": (lambda r: r.subjects, str),
}  # fmt: skip
KINDS = tuple(_PARTS)
# Kinds whose key is the whole part (a link to a language, a collection...): one link a
# key, a spelling given twice linked once, as the document stores it.
LINKS = frozenset({"collections", "languages", "funders", "subjects"})


def _listed(r: DocumentRecord, kind: str) -> list[Any]:
    items = _PARTS[kind][0](r)
    return list(dict.fromkeys(items)) if kind in LINKS else list(items)


def part_items(r: DocumentRecord, kind: str) -> list[tuple[str, Any]]:
    """The record's parts of `kind` with their keys, in order."""
    listed = _listed(r, kind)
    return list(zip(numbered(map(_PARTS[kind][1], listed)), listed, strict=True))


def asserted(r: DocumentRecord) -> dict[str, Any]:
    """What DocumentSource.asserted stores for this record, in full: {"t": tier, "f":
    the fields it gives, "p": {kind: [keys]}}."""
    fields = {name: value for name, value in field_values(r).items() if value not in EMPTY}
    parts = {kind: numbered([key_of(x) for x in listed])
             for kind, (_, key_of) in _PARTS.items() if (listed := _listed(r, kind))}  # fmt: skip
    return {"t": tier(r), "f": fields, "p": parts}


def tier(r: DocumentRecord) -> str:
    return PLACEHOLDER if r.partial else FULL


def asserted_json(r: DocumentRecord) -> str:
    """`asserted` as stored (JSON text), worked out once: in the parsing process when
    parsing runs alongside and the record is one of several of its document
    (`assert_ahead`)."""
    known = r.__dict__.get("_asserted_at_parse")
    if known is None:
        known = r.__dict__["_asserted_at_parse"] = json.dumps(
            asserted(r), ensure_ascii=False, separators=(",", ":"))  # fmt: skip
    return known


def assert_ahead(r: DocumentRecord) -> None:
    asserted_json(r)


def lazy_json(r: DocumentRecord) -> str:
    """What a document's only source stores: its tier alone. It asserts what the
    document holds but for editors' changes, worked out when another source joins or it
    speaks again (`provenance.derived_claim`); a release list import stores nothing
    more for the 12,000 records only one list names."""
    return '{"t":"placeholder"}' if r.partial else '{"t":"full"}'


def claim(r: DocumentRecord) -> Claim:
    """The record as a claim, with its content at hand."""
    data = json.loads(asserted_json(r))
    s = r.source
    return Claim(s.importer, s.id_in_source, s.origin, s.rank, data["t"], data["f"],
                 data["p"], record=r)  # fmt: skip
