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

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models

from readingroom.catalogue import models as m
from readingroom.catalogue.fast_insert import insert_rows
from readingroom.files.scans import SCAN_MEDIA_TYPES
from readingroom.files.storage import store
from readingroom.ingest.records import (
    AgentRecord,
    ArchivalReferenceRecord,
    DocumentRecord,
    FileRecord,
    ReleaseRecord,
    TextRecord,
)
from readingroom.ingest.validation import check_rows

if TYPE_CHECKING:
    from readingroom.ingest.loader import Pending
    from readingroom.ingest.lookups import Lookups

# Parts an update replaces whole (placements in collections are only ever added).
REPLACED_PARTS = (m.Caveat, m.DocumentIdentifier, m.ArchivalReference, m.DocumentAgent,
                  m.DocumentPlace, m.Text, m.DocumentRelation, m.File, m.Release)  # fmt: skip
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

    def _write_parts(self, pending: list[Pending], now: datetime) -> None:
        """Build and insert every part of the pending documents."""
        self._create_agents(pending)
        placed = _placements([p.document.pk for p in pending if not p.new])
        rows: dict[type, list[Row]] = {model: [] for model in COLUMNS}
        for p in pending:
            pk = p.document.pk
            for model, row in self._parts(pk, p.record, placed.get(pk, set()), now):
                rows[model].append(row)
        records = {p.document.pk: p.record for p in pending}
        for model, built in rows.items():
            check_rows(model, COLUMNS[model], built, records)
            insert_rows(model, COLUMNS[model], built)
        _link_source_texts(records)

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
            agent = self._agent(a).pk if a.name else None  # no one named: the link says why
            yield m.DocumentAgent, (pk, agent, a.role, i, a.name_as_written or a.name,
                                    a.office, a.note, a.withheld)  # fmt: skip
        for i, p in enumerate(r.places):
            place = self.lookups.place(p.name)
            yield m.DocumentPlace, (pk, place.pk, p.role, i, p.name_as_written or p.name)
        for i, t in enumerate(r.texts):
            translator = self._agent(_translator(t)) if t.translator else None
            language = self._language(r, t.language) if t.language else None
            yield m.Text, (pk, t.kind, t.format, t.sanitized_html(), i,
                           language and language.pk, translator and translator.pk,
                           t.direction, t.title)  # fmt: skip
        targets = _relation_targets(r) if r.relations else {}
        for i, x in enumerate(r.relations):
            key = f"{r.source.importer}:{x.target}"
            yield m.DocumentRelation, (pk, x.kind, targets.get(x.target), key,
                                       x.target_as_written, i)  # fmt: skip
        for i, x in enumerate(r.releases):
            yield m.Release, _release_row(pk, x, i)
        for i, f in enumerate(r.files):
            yield m.File, self._file_row(pk, f, i, now)
        for collection, position in self._memberships(r, placed):
            yield m.CollectionMember, (pk, collection, position)

    def _file_row(self, pk: int, f: FileRecord, position: int, now: datetime) -> Row:
        """The file stored (by content) and its row."""
        sha256, size = store(Path(f.path)) if f.path else ("", None)
        if f.sha256 and sha256 != f.sha256:
            raise ValueError(f"file {f.path}: changed since it was parsed (checksum differs)")
        if sha256 and f.media_type in SCAN_MEDIA_TYPES:  # a PDF or a page image: pages
            self.stored_pdfs[sha256] = Path(f.path)
        return (pk, f.role, f.name, f.media_type, sha256, size, f.note, position, now, now)

    def _attach(self, pending: list[Pending], now: datetime) -> None:
        """Add partial records' files and releases to their catalogued documents (a
        file of the same name but other content is replaced); nothing else of the
        document changes."""
        if not pending:
            return
        ids = [p.source.document_id for p in pending]
        held = attached_parts(ids)
        rows: dict[type, list[Row]] = {m.File: [], m.Release: []}
        for p in pending:
            p.document = p.source.document
            pk, have = p.document.pk, held.get(p.source.document_id, Held())
            files, releases = to_attach(p.record, have)
            m.File.objects.filter(document_id=pk, name__in=[f.name for f in files]).delete()
            rows[m.File] += [self._file_row(pk, f, have.positions[m.File] + i, now)
                             for i, f in enumerate(files)]  # fmt: skip
            rows[m.Release] += [_release_row(pk, x, have.positions[m.Release] + i)
                                for i, x in enumerate(releases)]  # fmt: skip
        for model, built in rows.items():
            check_rows(model, COLUMNS[model], built, {p.document.pk: p.record for p in pending})
            insert_rows(model, COLUMNS[model], built)
        m.Document.objects.filter(pk__in=ids).update(modified_at=now)

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


@dataclass
class Held:
    """A document's files (name → sha256) and release days, and the next positions."""

    files: dict[str, str] = field(default_factory=dict)
    days: set[date] = field(default_factory=set)
    positions: Counter = field(default_factory=Counter)  # model → next position


def attached_parts(document_ids: list[int]) -> dict[int, Held]:
    """What these documents hold of the parts a partial record adds, in two queries."""
    held: dict[int, Held] = {}
    if not document_ids:
        return held
    files = m.File.objects.filter(document_id__in=document_ids)
    for pk, name, sha256 in files.values_list("document_id", "name", "sha256"):
        h = held.setdefault(pk, Held())
        h.files[name] = sha256
        h.positions[m.File] += 1
    releases = m.Release.objects.filter(document_id__in=document_ids)
    for pk, day in releases.values_list("document_id", "released_on"):
        h = held.setdefault(pk, Held())
        h.days.add(day)
        h.positions[m.Release] += 1
    return held


def to_attach(record: DocumentRecord, held: Held) -> tuple[list[FileRecord], list[ReleaseRecord]]:
    """The files and releases of a partial record its document lacks: a file it does not
    hold with that content, a release of a day it has none of."""
    files = [f for f in record.files if not f.sha256 or held.files.get(f.name) != f.sha256]
    releases = [x for x in record.releases if x.released_on not in held.days]
    return files, releases


def _placements(document_ids: list[int]) -> dict[int, set[str]]:
    """The collections each of these (existing) documents is placed in, in one query."""
    placed: dict[int, set[str]] = {}
    members = m.CollectionMember.objects.filter(document_id__in=document_ids)
    for document_id, identifier in members.values_list("document_id", "collection__identifier"):
        placed.setdefault(document_id, set()).add(identifier)
    return placed


def _translator(text: TextRecord) -> AgentRecord:
    return AgentRecord(name=text.translator, role="translated-by", kind=text.translator_kind)


def _relation_targets(record: DocumentRecord) -> dict[str, int]:
    """The catalogued documents the record's relations name (same importer), by their
    id in source; one not imported yet is resolved later (`ingest/relations.py`)."""
    sources = m.DocumentSource.objects.filter(
        importer=record.source.importer, id_in_source__in=[x.target for x in record.relations]
    )
    return dict(sources.values_list("id_in_source", "document_id"))


def _link_source_texts(records: dict[int, DocumentRecord]) -> None:
    """Point each translation or language version at the text it comes from, once the
    database has numbered the texts (by their position in the record)."""
    links = [(pk, i, t.source_text) for pk, r in records.items()
             for i, t in enumerate(r.texts) if t.source_text is not None]  # fmt: skip
    if not links:
        return
    texts = m.Text.objects.filter(document_id__in={pk for pk, _, _ in links})
    ids = {(d, p): t for t, d, p in texts.values_list("id", "document_id", "position")}
    for pk, i, source in links:
        m.Text.objects.filter(pk=ids[(pk, i)]).update(source_text_id=ids.get((pk, source)))
