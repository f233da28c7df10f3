"""A document's parts built from its record: caveats, identifiers, archival references,
agent and place links, texts, releases, files and collection placements.

Part of the loader (`Loader` inherits `PartWriter`); kept apart because it is the half
that knows the record's shape, while `loader.py` knows the order of writes. Parts are
built with `fast_insert.build` and written with one executemany per table.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import models

from readingroom.catalogue import models as m
from readingroom.files.storage import store
from readingroom.ingest.fast_insert import build, insert
from readingroom.ingest.records import AgentRecord, ArchivalReferenceRecord, DocumentRecord

if TYPE_CHECKING:
    from readingroom.ingest.loader import Pending
    from readingroom.ingest.lookups import Lookups

# Parts an update replaces whole (placements in collections are only ever added).
REPLACED_PARTS = (m.Caveat, m.DocumentIdentifier, m.ArchivalReference, m.DocumentAgent,
                  m.DocumentPlace, m.Text, m.File, m.Release)  # fmt: skip
# In the order their versions are listed in a revision.
PART_MODELS = (*REPLACED_PARTS, m.CollectionMember)


class PartWriter:
    # Set by Loader.__init__ (see there), which also provides _warn and _language.
    lookups: Lookups
    entities: dict[str, m.Agent]
    collections: dict[str, m.Collection]
    member_positions: dict[int, int]
    stored_pdfs: dict[str, Path]

    def _write_parts(self, pending: list[Pending], now: datetime) -> dict[int, list[models.Model]]:
        """Build and insert every part of the pending documents; returns them by document,
        in revision order."""
        self._create_agents(pending)
        placed = _placements([p.document.pk for p in pending if not p.new])
        built: dict[type, list[models.Model]] = {model: [] for model in PART_MODELS}
        for p in pending:
            for obj in self._parts(p.document, p.record, placed.get(p.document.pk, set())):
                built[type(obj)].append(obj)
        by_document: dict[int, list[models.Model]] = {p.document.pk: [] for p in pending}
        records = {p.document.pk: p.record for p in pending}
        for model, objects in built.items():
            _check_lengths(model, objects, records)
            insert(objects, now)
            for obj in objects:
                by_document[obj.document_id].append(obj)
        return by_document

    def _create_agents(self, pending: list[Pending]) -> None:
        """Create the batch's new agents with one insert, before parts name them."""
        wanted = []
        for p in pending:
            wanted += [a for a in p.record.agents if not (a.ref and a.ref in self.entities)]
            wanted += [_translator(t.translator) for t in p.record.texts if t.translator]
        self.lookups.add_agents(wanted)

    def _agent(self, a: AgentRecord) -> m.Agent:
        if a.ref and a.ref in self.entities:
            return self.entities[a.ref]
        return self.lookups.agent(a)

    def _parts(self, document: m.Document, r: DocumentRecord,
               placed: set[str]) -> Iterator[models.Model]:  # fmt: skip
        for i, text in enumerate(r.classification.caveats):
            yield build(m.Caveat, document=document, text=text, position=i)
        for i, x in enumerate(r.identifiers):
            yield build(m.DocumentIdentifier, document=document, scheme=x.scheme, value=x.value,
                        position=i)  # fmt: skip
        for i, ref in enumerate(r.archival_references):
            yield self._reference(document, r, ref, i)
        for i, a in enumerate(r.agents):
            yield build(m.DocumentAgent, document=document, agent=self._agent(a), role=a.role,
                        position=i, name_as_written=a.name_as_written or a.name)  # fmt: skip
        for i, p in enumerate(r.places):
            place = self.lookups.place(p.name)
            yield build(m.DocumentPlace, document=document, place=place, role=p.role,
                        position=i, name_as_written=p.name_as_written or p.name)  # fmt: skip
        for i, t in enumerate(r.texts):
            translator = self._agent(_translator(t.translator)) if t.translator else None
            language = self._language(r, t.language) if t.language else None
            yield build(m.Text, document=document, kind=t.kind, format=t.format,
                        html=t.sanitized_html(), position=i, language=language,
                        translator=translator)  # fmt: skip
        for i, release in enumerate(r.releases):
            yield build(
                m.Release,
                document=document,
                released_on=release.released_on,
                list_name=release.list_name,
                file_name=release.file_name,
                prior_status=release.prior_status,
                review_date=release.review_date,
                pages_released=release.pages_released,
                rows=", ".join(map(str, release.rows)),
                differences="\n".join(release.differences),
                position=i,
            )
        yield from self._files(document, r)
        yield from self._memberships(document, r, placed)

    def _files(self, document: m.Document, r: DocumentRecord) -> Iterator[m.File]:
        for i, f in enumerate(r.files):
            sha256, size = store(Path(f.path)) if f.path else ("", None)
            if f.sha256 and sha256 != f.sha256:
                raise ValueError(f"file {f.path}: changed since it was parsed (checksum differs)")
            if sha256 and f.media_type == "application/pdf":
                self.stored_pdfs[sha256] = Path(f.path)
            yield build(m.File, document=document, role=f.role, name=f.name,
                        media_type=f.media_type, sha256=sha256, size=size, note=f.note,
                        position=i)  # fmt: skip

    def _reference(self, document: m.Document, record: DocumentRecord,
                   ref: ArchivalReferenceRecord, position: int) -> m.ArchivalReference:  # fmt: skip
        repository = None
        if ref.repository:
            repository, created = self.lookups.repository(ref.repository)
            if created:
                self._warn(record, f"new repository record {ref.repository!r}")
        parts = {name: getattr(ref, name) for name in m.ArchivalReference.PART_FIELDS}
        return build(m.ArchivalReference, document=document, repository=repository,
                     as_written=ref.as_written, position=position, **parts)  # fmt: skip

    def _memberships(self, document: m.Document, record: DocumentRecord,
                     placed: set[str]) -> Iterator[m.CollectionMember]:  # fmt: skip
        """Placements in the record's collections the document does not have yet (in
        `placed`): memberships are added, never removed, so an editor's placements stay."""
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
            yield build(m.CollectionMember, collection=collection, document=document,
                        position=position)  # fmt: skip


def _placements(document_ids: list[int]) -> dict[int, set[str]]:
    """The collections each of these (existing) documents is placed in, in one query."""
    placed: dict[int, set[str]] = {}
    members = m.CollectionMember.objects.filter(document_id__in=document_ids)
    for document_id, identifier in members.values_list("document_id", "collection__identifier"):
        placed.setdefault(document_id, set()).add(identifier)
    return placed


def _translator(name: str) -> AgentRecord:
    return AgentRecord(name=name, role="translated-by")


def _check_lengths(model: type[models.Model], objects: list[models.Model],
                   records: dict[int, DocumentRecord]) -> None:  # fmt: skip
    """Inserts skip validation and SQLite ignores lengths; PostgreSQL would fail the
    whole batch without saying which record. Say it, naming file, record, field."""
    limited = [(f.attname, f.max_length) for f in model._meta.concrete_fields
               if isinstance(f, models.CharField) and f.max_length]  # fmt: skip
    values_of = [obj.__dict__ for obj in objects]
    for attname, limit in limited:
        value_of = itemgetter(attname)
        if max(map(len, filter(None, map(value_of, values_of))), default=0) <= limit:
            continue  # the common case, checked at C speed
        obj = next(o for o in objects if len(value_of(o.__dict__) or "") > limit)
        value = value_of(obj.__dict__)
        r = records[obj.document_id]
        raise ValueError(
            f"{r.source.file}: {r.identifier}: {model._meta.verbose_name} {attname} is "
            f"{len(value)} characters, more than {limit}: {value[:60]!r}…"
        )
