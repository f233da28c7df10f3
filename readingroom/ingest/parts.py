"""A document's parts built from its record: caveats, identifiers, archival references,
agent and place links, texts, relations to other records, releases, files and
collection placements.

Part of the loader (`Loader` inherits `PartWriter`); kept apart because it is the half
that knows the record's shape, while `loader.py` knows the order of writes. Parts are
built as plain rows (tuples in `COLUMNS` order, no model instances: nothing needs them,
and building a hundred thousand costs more than inserting them) and written with one
executemany per table, the database giving their ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models

from readingroom.catalogue import models as m
from readingroom.catalogue.fast_insert import insert_rows
from readingroom.files.scans import SCAN_MEDIA_TYPES
from readingroom.files.storage import sha256_of, store
from readingroom.ingest.records import (
    AgentRecord,
    ArchivalReferenceRecord,
    DocumentRecord,
    FileRecord,
    PlaceRecord,
    RelationRecord,
    ReleaseRecord,
    TextRecord,
)
from readingroom.ingest.validation import check_rows

if TYPE_CHECKING:
    from readingroom.ingest.loader import Pending
    from readingroom.ingest.lookups import Lookups

REFERENCE_PARTS = m.ArchivalReference.PART_FIELDS
# Each part's columns, in the order `_parts` builds its rows; the document's id first.
COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    m.Caveat: ("document_id", "text", "position"),
    m.DocumentIdentifier: ("document_id", "scheme", "value", "position"),
    m.ArchivalReference: ("document_id", "repository_id", "as_written", "position",
                          *REFERENCE_PARTS),
    m.DocumentAgent: ("document_id", "agent_id", "role", "position", "name_as_written",
                      "office", "note", "name_withheld"),
    m.DocumentPlace: ("document_id", "place_id", "role", "position", "name_as_written"),
    m.Text: ("document_id", "kind", "format", "html", "position", "language_id",
             "translator_id", "direction", "title"),
    m.DocumentRelation: ("document_id", "kind", "target_id", "target_key", "target_as_written",
                         "position"),
    m.File: ("document_id", "role", "name", "media_type", "sha256", "size", "note", "position",
             "uploaded_at", "modified_at"),
    m.Release: ("document_id", "released_on", "list_name", "file_name", "prior_status",
                "review_date", "pages_released", "rows", "differences", "position"),
    m.CollectionMember: ("document_id", "collection_id", "position"),
}  # fmt: skip
Row = tuple[Any, ...]


class PartWriter:
    # Set by Loader.__init__ (see there), which also provides _warn and _language.
    lookups: Lookups
    entities: dict[str, m.Agent]
    collections: dict[str, m.Collection]
    member_positions: dict[int, int]
    stored_pdfs: dict[str, Path]
    terms: dict[str, m.Subject]
    dry_run: bool

    def _write_parts(self, pending: list[Pending], now: datetime) -> None:
        """Build and insert every part of the new documents."""
        self._create_agents(pending)
        rows: dict[type, list[Row]] = {model: [] for model in COLUMNS}
        for p in pending:
            for model, row in self._parts(p.document.pk, p.record, set(), now):
                rows[model].append(row)
        records = {p.document.pk: p.record for p in pending}
        for model, built in rows.items():
            check_rows(model, COLUMNS[model], built, records)
            insert_rows(model, COLUMNS[model], built)
        link_source_texts(records)

    def _create_agents(self, pending: list[Pending]) -> None:
        """Create the batch's new agents with one insert, before parts name them."""
        wanted = []
        for p in pending:
            wanted += [a for a in p.record.agents
                       if a.name and not (a.ref and a.ref in self.entities)]  # fmt: skip
            wanted += [_translator(t) for t in p.record.texts if t.translator]
        self.lookups.add_agents(wanted)

    def _agent(self, a: AgentRecord) -> m.Agent:
        if a.ref and a.ref in self.entities:
            return self.entities[a.ref]
        return self.lookups.agent(a)

    def _parts(self, pk: int, r: DocumentRecord, placed: set[str],
               now: datetime) -> Iterator[tuple[type[models.Model], Row]]:  # fmt: skip
        """Each part's model and row (in `COLUMNS` order) for document `pk`."""
        for i, text in enumerate(r.classification.caveats):
            yield m.Caveat, (pk, text, i)
        for i, x in enumerate(r.identifiers):
            yield m.DocumentIdentifier, (pk, x.scheme, x.value, i)
        for i, ref in enumerate(r.archival_references):
            yield m.ArchivalReference, self._reference(pk, r, ref, i)
        for i, a in enumerate(r.agents):
            yield m.DocumentAgent, self._agent_row(pk, a, i)
        for i, p in enumerate(r.places):
            yield m.DocumentPlace, self._place_row(pk, p, i)
        for i, t in enumerate(r.texts):
            yield m.Text, self._text_row(pk, r, t, i)
        targets = _relation_targets(r) if r.relations else {}
        for i, x in enumerate(r.relations):
            yield m.DocumentRelation, self._relation_row(pk, r, x, i, targets)
        for i, x in enumerate(r.releases):
            yield m.Release, _release_row(pk, x, i)
        for i, f in enumerate(r.files):
            yield m.File, self._file_row(pk, f, i, now)
        for collection, position in self._memberships(r, placed):
            yield m.CollectionMember, (pk, collection, position)

    def _agent_row(self, pk: int, a: AgentRecord, position: int) -> Row:
        agent = self._agent(a).pk if a.name else None  # no one named: the link says why
        return (pk, agent, a.role, position, a.name_as_written or a.name, a.office, a.note,
                a.withheld)  # fmt: skip

    def _place_row(self, pk: int, p: PlaceRecord, position: int) -> Row:
        place = self.lookups.place(p.name)
        return (pk, place.pk, p.role, position, p.name_as_written or p.name)

    def _text_row(self, pk: int, r: DocumentRecord, t: TextRecord, position: int) -> Row:
        translator = self._agent(_translator(t)) if t.translator else None
        language = self._language(r, t.language) if t.language else None
        return (pk, t.kind, t.format, t.sanitized_html(), position,
                language and language.pk, translator and translator.pk,
                t.direction, t.title)  # fmt: skip

    def _relation_row(self, pk: int, r: DocumentRecord, x: RelationRecord, position: int,
                      targets: dict[str, int] | None = None) -> Row:  # fmt: skip
        if targets is None:
            targets = _relation_targets(r)
        key = f"{r.source.importer}:{x.target}"
        return (pk, x.kind, targets.get(x.target), key, x.target_as_written, position)

    def part_row(self, kind: str, pk: int, r: DocumentRecord, item: Any, position: int,
                 now: datetime) -> tuple[type[models.Model], Row] | None:  # fmt: skip
        """One part of a record (`assertions.part_items`) as a row of its table: a part
        model's COLUMNS, or a many-to-many link (document id, related id). None: it
        cannot be linked (an unknown language, a collection that does not exist)."""
        if kind == "caveats":
            return m.Caveat, (pk, item, position)
        if kind == "identifiers":
            return m.DocumentIdentifier, (pk, item.scheme, item.value, position)
        if kind == "archival_references":
            return m.ArchivalReference, self._reference(pk, r, item, position)
        if kind == "agents":
            return m.DocumentAgent, self._agent_row(pk, item, position)
        if kind == "places":
            return m.DocumentPlace, self._place_row(pk, item, position)
        if kind == "texts":
            return m.Text, self._text_row(pk, r, item, position)
        if kind == "relations":
            return m.DocumentRelation, self._relation_row(pk, r, item, position)
        if kind == "releases":
            return m.Release, _release_row(pk, item, position)
        if kind == "files":
            return m.File, self._file_row(pk, item, position, now)
        if kind == "collections":
            placed = next(self._memberships(replace(r, collections=[item]), set()), None)
            return placed and (m.CollectionMember, (pk, *placed))
        related = {
            "languages": lambda: self._language(r, item),
            "funders": lambda: self.lookups.funder(item),
            "subjects": lambda: self.terms.get(item) or self.lookups.subject(item),
        }
        target = related[kind]()
        return target and (getattr(m.Document, kind).through, (pk, target.pk))

    def _file_row(self, pk: int, f: FileRecord, position: int, now: datetime) -> Row:
        """The file stored (by content; a dry run only reads it) and its row."""
        if f.path and self.dry_run:
            sha256, size = sha256_of(Path(f.path)), Path(f.path).stat().st_size
        else:
            sha256, size = store(Path(f.path)) if f.path else ("", None)
        if f.sha256 and sha256 != f.sha256:
            raise ValueError(f"file {f.path}: changed since it was parsed (checksum differs)")
        if sha256 and f.media_type in SCAN_MEDIA_TYPES and not self.dry_run:  # pages
            self.stored_pdfs[sha256] = Path(f.path)
        return (pk, f.role, f.name, f.media_type, sha256, size, f.note, position, now, now)

    def _reference(self, pk: int, record: DocumentRecord, ref: ArchivalReferenceRecord,
                   position: int) -> Row:  # fmt: skip
        repository = None
        if ref.repository:
            repository, created = self.lookups.repository(ref.repository)
            if created:
                self._warn(record, f"new repository record {ref.repository!r}")
        return (pk, repository and repository.pk, ref.as_written, position,
                *(getattr(ref, name) for name in REFERENCE_PARTS))  # fmt: skip

    def _memberships(self, record: DocumentRecord, placed: set[str]) -> Iterator[tuple[int, int]]:
        """(collection id, position) of each placement in the record's collections the
        document does not have yet (in `placed`): memberships are added, never removed,
        so an editor's placements stay."""
        for identifier in record.collections:
            if identifier in placed:
                continue
            collection = (
                self.collections.get(identifier)
                or m.Collection.objects.filter(identifier=identifier).first()
            )
            if collection is None:
                self._warn(record, f"collection {identifier!r} does not exist")
                continue
            self.collections[identifier] = collection
            position = self.member_positions.get(collection.pk)
            if position is None:
                position = collection.members.count()
            self.member_positions[collection.pk] = position + 1
            yield collection.pk, position


def _release_row(pk: int, x: ReleaseRecord, position: int) -> Row:
    return (pk, x.released_on, x.list_name, x.file_name, x.prior_status, x.review_date,
            x.pages_released, ", ".join(map(str, x.rows)), "\n".join(x.differences),
            position)  # fmt: skip


def _translator(text: TextRecord) -> AgentRecord:
    return AgentRecord(name=text.translator, role="translated-by", kind=text.translator_kind)


def _relation_targets(record: DocumentRecord) -> dict[str, int]:
    """The catalogued documents the record's relations name (same importer), by their
    id in source; one not imported yet is resolved later (`ingest/relations.py`)."""
    sources = m.DocumentSource.objects.filter(
        importer=record.source.importer, id_in_source__in=[x.target for x in record.relations]
    )
    return dict(sources.values_list("id_in_source", "document_id"))


def link_source_texts(records: dict[int, DocumentRecord]) -> None:
    """Point each translation or language version at the text it comes from, once the
    database has numbered the texts (by their position in the record)."""
    links = [(pk, i, t.source_text) for pk, r in records.items()
             for i, t in enumerate(r.texts) if t.source_text is not None]  # fmt: skip
    if not links:
        return
    texts = m.Text.objects.filter(document_id__in={pk for pk, _, _ in links})
    ids = {(d, p): t for t, d, p in texts.values_list("id", "document_id", "position")}
    for pk, i, source in links:
        if (pk, i) in ids:  # a merge may have kept an editor's text in its place
            m.Text.objects.filter(pk=ids[(pk, i)]).update(source_text_id=ids.get((pk, source)))
