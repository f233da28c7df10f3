"""Provenance per value: the fields and parts a document is made of, named once, with
the natural key of each part, so that sources, editors and the loader speak of the
same thing.

A *field* is one value as sources give it (the date is one field of seven columns; a
document type is the spelling a source wrote, mapped to a term when applied). A *part*
is a row of one of the document's kinds (texts, agents, releases...), or a many-to-many
link (languages), keyed by what it is, never by its database id: a release by its day
and list, a file by its checksum, an agent link by role and name as written. A key
given twice in one document gets `#1`, `#2`... in order.

Sources assert fields and part keys (DocumentSource.asserted, written by the loader);
editors' changes are recorded by `catalogue/editing.py` (DocumentEdits). Who wins is
`catalogue/precedence.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from typing import Any
from zlib import crc32

from django.db import models

from readingroom.catalogue import models as m
from readingroom.catalogue.keys import EMPTY, base_key, iso, numbered
from readingroom.catalogue.precedence import LEGACY, Claim, chain_tops, providers, winner

# Field → the document's columns it covers (attnames). The value of a field is what
# `value_of` gives: JSON, in the terms a source writes it.
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "title_original": ("title_original", "title_original_language_id"),
    "summary": ("summary",),
    "notes": ("notes",),
    "date": ("date_precision", "date_as_written", "date_start", "date_end", "time_start",
             "time_end", "date_utc_offset"),
    "document_type": ("document_type_as_written", "document_type_id"),
    "physical_form": ("physical_form_as_written", "physical_form_id"),
    "extent_pages": ("extent_pages",),
    "classification": ("classification_level", "classification_marking"),
    "rights": ("rights_uri", "rights_text"),
    "source_record_id": ("source_record_id",),
    "source_uploaded_on": ("source_uploaded_on",),
    "citation_as_written": ("citation_as_written",),
    "state": ("state",),
}  # fmt: skip
# Fields only editors set; their changes are recorded and shown like the others.
EDITOR_FIELDS: dict[str, tuple[str, ...]] = {
    "withdrawn_reason": ("withdrawn_reason",),
    "embargo_until": ("embargo_until",),
}


def value_of(document: m.Document, name: str) -> Any:
    """Field `name` of the document as JSON, in a source's terms."""
    d = document
    if name == "date":
        return [d.date_precision, d.date_as_written, iso(d.date_start), iso(d.date_end),
                iso(d.time_start), iso(d.time_end), d.date_utc_offset]  # fmt: skip
    if name == "classification":
        return [d.classification_level, d.classification_marking]
    if name == "rights":
        return [d.rights_uri, d.rights_text]
    if name == "title_original":
        return [d.title_original, d.title_original_language_id or ""]
    if name == "source_uploaded_on":
        return iso(d.source_uploaded_on)
    if name in ("document_type", "physical_form"):
        return getattr(d, f"{name}_as_written")
    if name == "embargo_until":
        return d.embargo_until.isoformat() if d.embargo_until else None
    return getattr(d, name)


# How a spelling becomes a term: (spelling, "document type" | "physical form") → term.
TermOf = Callable[[str, str], Any]


def apply_value(document: m.Document, name: str, value: Any, term_of: TermOf) -> None:
    """Set field `name` of the document to `value` (as `value_of` gives it)."""
    d = document
    if name == "date":
        precision, written, start, end, t_start, t_end, offset = value
        d.date_precision, d.date_as_written, d.date_utc_offset = precision, written, offset
        d.date_start, d.date_end = _day(start), _day(end)
        d.time_start = time.fromisoformat(t_start) if t_start else None
        d.time_end = time.fromisoformat(t_end) if t_end else None
    elif name == "classification":
        d.classification_level, d.classification_marking = value
    elif name == "rights":
        d.rights_uri, d.rights_text = value
    elif name == "title_original":
        d.title_original, code = value
        # A language the vocabulary lacks: the loader warned of it when it first came.
        known = bool(code) and m.Language.objects.filter(pk=code).exists()
        d.title_original_language_id = code if known else None
    elif name == "source_uploaded_on":
        d.source_uploaded_on = _day(value)
    elif name == "document_type":
        d.document_type_as_written = value or ""
        kind = term_of(value, "document type") if value else None
        # A source that names no type (only a form) never clears a type accepted before.
        if kind is not None or d.document_type_id is None:
            d.document_type = kind
    elif name == "physical_form":
        d.physical_form_as_written = value or ""
        d.physical_form = term_of(value, "physical form") if value else None
    else:
        setattr(d, name, value)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# ---- parts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]  # the part's model, or the many-to-many's related model
    related_name: str  # on Document
    key_columns: tuple[str, ...]  # what its key is made of (lookups from the part's row)
    many_to_many: bool = False


KINDS: dict[str, Kind] = {
    "caveats": Kind(m.Caveat, "caveats", ("text",)),
    "identifiers": Kind(m.DocumentIdentifier, "identifiers", ("scheme", "value")),
    "archival_references": Kind(m.ArchivalReference, "archival_references", ("as_written",)),
    "agents": Kind(m.DocumentAgent, "agent_links",
                   ("role", "name_as_written", "office", "note", "name_withheld")),
    "places": Kind(m.DocumentPlace, "place_links", ("role", "name_as_written")),
    "texts": Kind(m.Text, "texts", ("kind", "language__code")),
    "relations": Kind(m.DocumentRelation, "relations", ("kind", "target_key")),
    "files": Kind(m.File, "files", ("sha256", "name")),
    "releases": Kind(m.Release, "releases", ("released_on", "list_name")),
    "collections": Kind(m.CollectionMember, "memberships", ("collection__identifier",)),
    "languages": Kind(m.Language, "languages", ("code",), many_to_many=True),
    "funders": Kind(m.Funder, "funders", ("name",), many_to_many=True),
    "subjects": Kind(m.Subject, "subjects", ("term",), many_to_many=True),
}  # fmt: skip
KIND_OF_MODEL = {k.model: name for name, k in KINDS.items() if not k.many_to_many}


def keyed_rows(kind: str, document_ids: Iterable[int],
               columns: Sequence[str] = ()) -> dict[int, dict[str, tuple]]:  # fmt: skip
    """Each document's parts of `kind`: key → (row id, *columns), in their order. For a
    many-to-many kind the row id is the related object's."""
    k = KINDS[kind]
    ids = list(document_ids)
    found: dict[int, dict[str, tuple]] = {pk: {} for pk in ids}
    if not ids:
        return found
    if k.many_to_many:
        through = getattr(m.Document, k.related_name).through
        target = f"{k.model._meta.model_name}"
        rows = (through.objects.filter(document_id__in=ids)
                .order_by("document_id", "id")
                .values_list("document_id", f"{target}_id",
                             *(f"{target}__{c}" for c in k.key_columns)))  # fmt: skip
    else:
        rows = (k.model.objects.filter(document_id__in=ids)
                .order_by("document_id", "position", "id")
                .values_list("document_id", "id", *k.key_columns, *columns))  # fmt: skip
    width = len(k.key_columns)
    bases: dict[int, list[tuple[str, tuple]]] = {pk: [] for pk in ids}
    for document_id, pk, *rest in rows:
        bases[document_id].append((base_key(kind, rest[:width]), (pk, *rest[width:])))
    for document_id, items in bases.items():
        keys = numbered(base for base, _ in items)
        found[document_id] = dict(zip(keys, (row for _, row in items), strict=True))
    return found


def document_keys(document_id: int) -> dict[str, dict[str, int]]:
    """Every part of one document: kind → key → row id."""
    return {kind: {key: row[0] for key, row in keyed_rows(kind, [document_id])[document_id]
                   .items()} for kind in KINDS}  # fmt: skip


# ---- what sources assert ------------------------------------------------------------

# Links resolved after the rows are written (a translation's source text, a relation's
# target once imported) follow from the content; they are not content of their own.
_NOT_CONTENT = {"id", "document_id", "position", "uploaded_at", "modified_at",
                "source_text_id", "target_id"}


@cache
def content_columns(model: type[models.Model]) -> tuple[str, ...]:
    """What makes a stored part what it is: its columns but its id, document, position
    and a file's timestamps (sorted, so any row of its values digests the same)."""
    return tuple(sorted(f.attname for f in model._meta.concrete_fields
                        if f.attname not in _NOT_CONTENT))  # fmt: skip


def content_digest(model: type[models.Model], values: Mapping[str, Any]) -> str:
    """A part's content, digested: tells whether a source's part is still the one an
    editor changed (DocumentEdits keeps the digest of what it was)."""
    if model not in KIND_OF_MODEL:
        return ""  # a many-to-many link: its key is all there is to it
    content = repr(tuple(values[c] for c in content_columns(model)))
    return "%08x" % crc32(content.encode())  # noqa: UP031


def stored_claim(source: m.DocumentSource, document: m.Document,
                 parts: dict[str, dict[str, tuple]],
                 edits: m.DocumentEdits | None) -> Claim:  # fmt: skip
    """What a stored source asserts. Stored in full, as it is; a document's only source
    (stored as its tier alone) or one imported before provenance was kept (nothing
    stored) asserts what the document holds, editors' changes aside: their values
    before the editors changed them, the parts they did not add."""
    asserted = source.asserted
    if asserted is not None and "f" in asserted:
        return Claim(source.importer, source.id_in_source, source.origin, source.rank,
                     asserted["t"], asserted["f"], asserted["p"], source_pk=source.pk)  # fmt: skip
    edited_fields = edits.fields if edits else {}
    edited_parts = edits.parts if edits else {}
    fields = {}
    for name in FIELDS:
        edit = edited_fields.get(name)
        value = value_of(document, name) if edit is None else edit.get("was", EMPTY[0])
        if value not in EMPTY:
            fields[name] = value
    keys: dict[str, list[str]] = {}
    for kind, rows in parts.items():
        edited = edited_parts.get(kind, {})
        found = [key for key in rows if edited.get(key, {}).get("op") != "added"]
        found += [key for key, e in edited.items() if e["op"] == "removed" and key not in rows]
        if found:
            keys[kind] = found
    tier = asserted["t"] if asserted else LEGACY
    return Claim(source.importer, source.id_in_source, source.origin, source.rank, tier,
                 fields, keys, source_pk=source.pk)  # fmt: skip


# ---- who says what: for the admin and the staff's JSON ---------------------------------


def summary(document: m.Document) -> dict[str, Any]:
    """Each field and part of the document with the parties that assert it: the
    sources (by label, the one whose value it holds first) and an editor's change
    (who, when, what). Fields: {name: {"sources": [...], "editor": {...}}}; parts: {kind:
    {key: {...}}}; "open_conflicts": how many wait for a decision."""
    edits = m.DocumentEdits.objects.filter(document=document).first()
    parts = {kind: keyed_rows(kind, [document.pk])[document.pk] for kind in KINDS}
    claims = [stored_claim(s, document, parts, edits) for s in document.sources.order_by("pk")]
    edited_fields = edits.fields if edits else {}
    edited_parts = edits.parts if edits else {}
    fields: dict[str, Any] = {}
    for name in (*FIELDS, *EDITOR_FIELDS):
        w = winner(name, claims)
        asserting = sorted((c for c in claims if name in c.fields),
                           key=lambda c: c is not w)  # fmt: skip
        entry: dict[str, Any] = {"sources": [c.label for c in asserting]}
        if name in edited_fields:
            entry["editor"] = {k: edited_fields[name][k] for k in ("at", "by")}
        if entry["sources"] or "editor" in entry:
            fields[name] = entry
    tops = chain_tops(claims)
    found: dict[str, Any] = {}
    for kind in KINDS:
        given = providers(kind, claims, tops)
        keys = {**dict.fromkeys(parts[kind]), **dict.fromkeys(edited_parts.get(kind, {}))}
        for key in keys:
            entry = {"sources": [c.label for c in claims if key in c.parts.get(kind, ())]}
            if key in given and given[key].label in entry["sources"]:
                entry["sources"].remove(given[key].label)
                entry["sources"].insert(0, given[key].label)
            edit = edited_parts.get(kind, {}).get(key)
            if edit:
                entry["editor"] = {k: edit[k] for k in ("at", "by", "op")}
            found.setdefault(kind, {})[key] = entry
    open_conflicts = m.Conflict.objects.filter(document=document, status="open").count()
    return {"fields": fields, "parts": found, "open_conflicts": open_conflicts}


def field_note(entry: dict[str, Any] | None) -> str:
    """One field's provenance in a line, for the admin beside the field."""
    if not entry:
        return "Provenance: no source asserts it."
    said = []
    if "editor" in entry:
        e = entry["editor"]
        said.append(f"changed by {e['by']} at {e['at']} (the editor's value wins)")
    if entry["sources"]:
        first, *others = entry["sources"]
        said.append(f"from {first}" + (f"; also asserted by {', '.join(others)}" if others else ""))
    return "Provenance: " + "; ".join(said) + "."
