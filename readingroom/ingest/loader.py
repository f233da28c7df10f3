"""The one loader: writes parsed records into the catalogue.

Records are matched to the catalogue through their source (importer + id in source):
an unchanged record (same content hash) is not touched, a new one is created, a
changed one is updated, and every write keeps a version snapshot of the whole document
(`catalogue/snapshots.py`). Publication state is the editors' once a record exists: a
re-import never republishes a withdrawn document.

Records are written in batches: one statement per table for the whole batch, which is
what lets a 100,000-document import run at thousands of documents a minute. `load`
writes a batch of one in its own transaction (a bad record fails alone);
`VolumeLoader` feeds batches inside one transaction per volume (all or nothing).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from django.db.models import prefetch_related_objects

from readingroom.catalogue import models as m
from readingroom.catalogue.outbox import record_changes, suppressed
from readingroom.catalogue.sanitize import sanitize_html
from readingroom.catalogue.snapshots import write_snapshots
from readingroom.catalogue.versions import snapshots_taken_by_caller
from readingroom.files.pages import add_pages
from readingroom.files.storage import store
from readingroom.ingest.lookups import Lookups
from readingroom.ingest.records import AgentRecord, DocumentRecord

PART_MODELS = (m.Caveat, m.DocumentIdentifier, m.ArchivalReference, m.DocumentAgent,
               m.DocumentPlace, m.Text, m.File, m.Release)  # fmt: skip
M2M_FIELDS = ("languages", "funders", "subjects")


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)  # created, updated, unchanged, failed
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: LoadReport) -> None:
        self.counts.update(other.counts)
        self.warnings += other.warnings
        self.errors += other.errors


@dataclass
class Pending:
    record: DocumentRecord
    content_hash: str
    source: m.DocumentSource | None  # None: a new document
    document: m.Document | None = None


class Loader:
    def __init__(self, *, user=None, comment: str = "", dry_run: bool = False) -> None:
        self.user, self.comment, self.dry_run = user, comment, dry_run
        self.report = LoadReport()
        # Entities of the volume being loaded, by their key in it (see volume_loader).
        self.entities: dict[str, m.Agent] = {}
        self.terms: dict[str, m.Subject] = {}
        self.lookups = Lookups()
        self.unmapped: set[tuple[str, str]] = set()
        self.collections: dict[str, m.Collection] = {}
        self.member_positions: dict[int, int] = {}  # next position in each collection
        self.stored_pdfs: dict[str, Path] = {}  # sha256 → source, for their pages

    def forget(self) -> None:
        """Drop what the caches learned: after a rollback they may name rows that no
        longer exist (an agent created by the batch that failed)."""
        self.lookups = Lookups()
        self.collections, self.member_positions, self.stored_pdfs = {}, {}, {}

    # -- entry points -------------------------------------------------------------

    def load_all(self, records: Iterable[DocumentRecord]) -> LoadReport:
        for record in records:
            self.load(record)
        return self.report

    def load(self, record: DocumentRecord) -> str:
        """Write one record in its own transaction; returns its outcome (or failed)."""
        try:
            with transaction.atomic():
                outcome = self.load_batch([record])[0]
        except Exception as exc:  # one bad record must not stop the others
            self.forget()
            where = f"{record.source.file}: {record.source.id_in_source}"
            self.report.errors.append(f"{where}: {type(exc).__name__}: {exc}")
            self.report.counts["failed"] += 1
            return "failed"
        return outcome

    def load_batch(self, records: list[DocumentRecord]) -> list[str]:
        """Write records inside the caller's transaction; errors propagate."""
        sources = {
            s.id_in_source: s
            for s in m.DocumentSource.objects.select_related("document").filter(
                importer=records[0].source.importer,
                id_in_source__in=[r.source.id_in_source for r in records],
            )
        }
        pending, outcomes = [], []
        for record in records:
            content_hash = record.content_hash()
            source = sources.get(record.source.id_in_source)
            if source is not None and source.content_hash == content_hash:
                outcomes.append("unchanged")
                continue
            outcomes.append("updated" if source else "created")
            pending.append(Pending(record, content_hash, source))
        if pending and not self.dry_run:
            self._write(pending)
        self.report.counts.update(outcomes)
        return outcomes

    # -- writing ------------------------------------------------------------------

    def _warn(self, record: DocumentRecord, message: str) -> None:
        self.report.warnings.append(f"{record.source.file}: {record.identifier}: {message}")

    def _write(self, pending: list[Pending]) -> None:
        # Parts are written in bulk; each document gets one outbox row and one version
        # snapshot below, so neither the signals nor the save hook record them.
        with suppressed(), snapshots_taken_by_caller():
            new = [p for p in pending if p.source is None]
            old = [p for p in pending if p.source is not None]
            for p in new:
                p.document = m.Document(identifier=p.record.identifier, state=p.record.state)
                self._fill(p.document, p.record)
            m.Document.objects.bulk_create([p.document for p in new])
            for p in old:
                p.document = p.source.document
                self._fill(p.document, p.record)
                p.document.save()
            old_ids = [p.document.pk for p in old]
            for model in PART_MODELS:  # parts are replaced whole; versions keep the old
                model.objects.filter(document_id__in=old_ids).delete()
            for name in M2M_FIELDS:
                getattr(m.Document, name).through.objects.filter(document_id__in=old_ids).delete()
            self._write_many_to_many(pending)
            parts = self._write_parts(pending)
            self._write_sources(new, old)
            if self.stored_pdfs:
                add_pages(self.stored_pdfs)  # rendering and OCR follow in the worker
                self.stored_pdfs = {}
        record_changes([(p.document.pk, p.document.identifier) for p in pending])
        self._snapshot(pending, parts)

    def _fill(self, document: m.Document, record: DocumentRecord) -> None:
        d = record.date
        document.title, document.summary = record.title, record.summary
        document.date_start, document.date_end = d.start, d.end
        document.time_start, document.time_end = d.time_start, d.time_end
        document.date_precision, document.date_as_written = d.precision, d.as_written
        document.date_utc_offset = d.utc_offset_minutes
        document.document_type_as_written = record.document_type
        document.document_type = self._term(record, record.document_type, "document type")
        document.physical_form_as_written = record.physical_form
        document.physical_form = self._term(record, record.physical_form, "physical form")
        document.extent_pages = record.extent_pages
        document.classification_level = record.classification.level
        document.classification_marking = record.classification.marking
        document.rights_uri, document.rights_text = record.rights_uri, record.rights_text
        document.source_record_id = record.source_record_id
        document.source_uploaded_on = record.source_uploaded_on
        document.citation_as_written = record.citation_as_written
        # Field validation here, so an error names the record; foreign keys come from
        # the catalogue itself. The date order is checked here too, not only by the
        # database constraint, for the same reason.
        document.clean_fields(exclude=["document_type", "physical_form"])
        if d.start and d.end and d.end < d.start:
            raise ValueError(f"date: ends ({d.end}) before it starts ({d.start})")

    def _term(self, record: DocumentRecord, spelling: str, what: str):
        if not spelling:
            return None
        if what == "document type":
            term = self.lookups.document_type(spelling)
            # One source column may name either ("PAPER - TEXTUAL DOCUMENT" is a form,
            # "MEMORANDUM" a type): a spelling the other table knows is not a gap here.
            known_elsewhere = self.lookups.physical_form(spelling) is not None
        else:
            term = self.lookups.physical_form(spelling)
            known_elsewhere = self.lookups.document_type(spelling) is not None
        if term is None and not known_elsewhere and (what, spelling) not in self.unmapped:
            self.unmapped.add((what, spelling))  # reported once, at its first document
            self._warn(record, f"{what} {spelling!r} is not in the mapping table; kept as written")
        return term

    def _language(self, record: DocumentRecord, code: str) -> m.Language | None:
        language = self.lookups.language(code)
        if language is None:
            self._warn(record, f"language code {code!r} is unknown")
        return language

    def _agent(self, a: AgentRecord) -> m.Agent:
        if a.ref and a.ref in self.entities:
            return self.entities[a.ref]
        return self.lookups.agent(a)

    def _write_many_to_many(self, pending: list[Pending]) -> None:
        rows: dict[str, list] = {name: [] for name in M2M_FIELDS}
        for p in pending:
            r = p.record
            related = {
                "languages": [x for c in r.languages if (x := self._language(r, c))],
                "funders": [self.lookups.funder(n) for n in r.funders],
                "subjects": [self.terms.get(t) or self.lookups.subject(t) for t in r.subjects],
            }
            for name, objects in related.items():
                through = getattr(m.Document, name).through
                target = f"{name[:-1]}_id"  # languages → language_id
                rows[name] += [through(document_id=p.document.pk, **{target: o.pk})
                               for o in dict.fromkeys(objects)]  # fmt: skip
        for name, objects in rows.items():
            getattr(m.Document, name).through.objects.bulk_create(objects)

    def _write_parts(self, pending: list[Pending]) -> dict[int, list[models.Model]]:
        built: dict[type, list[models.Model]] = {model: [] for model in PART_MODELS}
        built[m.CollectionMember] = []
        for p in pending:
            for obj in self._parts(p.document, p.record, new=p.source is None):
                built[type(obj)].append(obj)
        by_document: dict[int, list[models.Model]] = {p.document.pk: [] for p in pending}
        identifiers = {p.document.pk: p.record for p in pending}
        for model, objects in built.items():
            _check_lengths(model, objects, identifiers)
            model.objects.bulk_create(objects, batch_size=500)
            for obj in objects:
                by_document[obj.document_id].append(obj)
        return by_document

    def _parts(self, document: m.Document, r: DocumentRecord, *, new: bool):
        doc = {"document": document}
        for i, text in enumerate(r.classification.caveats):
            yield m.Caveat(**doc, text=text, position=i)
        for i, x in enumerate(r.identifiers):
            yield m.DocumentIdentifier(**doc, scheme=x.scheme, value=x.value, position=i)
        for i, ref in enumerate(r.archival_references):
            yield self._reference(document, r, ref, i)
        for i, a in enumerate(r.agents):
            yield m.DocumentAgent(**doc, agent=self._agent(a), role=a.role, position=i,
                                  name_as_written=a.name_as_written or a.name)  # fmt: skip
        for i, p in enumerate(r.places):
            yield m.DocumentPlace(
                **doc,
                place=self.lookups.place(p.name),
                role=p.role,
                position=i,
                name_as_written=p.name_as_written or p.name,
            )
        for i, t in enumerate(r.texts):
            translator = (self._agent(AgentRecord(name=t.translator, role="translated-by"))
                          if t.translator else None)  # fmt: skip
            language = self._language(r, t.language) if t.language else None
            yield m.Text(
                **doc,
                kind=t.kind,
                format=t.format,
                html=sanitize_html(t.html),
                position=i,
                language=language,
                translator=translator,
            )
        for i, release in enumerate(r.releases):
            yield m.Release(
                **doc,
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
        for i, f in enumerate(r.files):
            sha256, size = store(Path(f.path)) if f.path else ("", None)
            if f.sha256 and sha256 != f.sha256:
                raise ValueError(f"file {f.path}: changed since it was parsed (checksum differs)")
            if sha256 and f.media_type == "application/pdf":
                self.stored_pdfs[sha256] = Path(f.path)
            yield m.File(
                **doc,
                role=f.role,
                name=f.name,
                media_type=f.media_type,
                sha256=sha256,
                size=size,
                note=f.note,
                position=i,
            )
        yield from self._memberships(document, r, new=new)

    def _reference(self, document: m.Document, record: DocumentRecord, ref,
                   position: int) -> m.ArchivalReference:  # fmt: skip
        repository = None
        if ref.repository:
            repository, created = self.lookups.repository(ref.repository)
            if created:
                self._warn(record, f"new repository record {ref.repository!r}")
        parts = {name: getattr(ref, name) for name in m.ArchivalReference.PART_FIELDS}
        return m.ArchivalReference(
            document=document,
            repository=repository,
            as_written=ref.as_written,
            position=position,
            **parts,
        )

    def _memberships(self, document: m.Document, record: DocumentRecord, *, new: bool):
        # Memberships are added, never removed: an editor's placements stay.
        existing = (
            set()
            if new
            else set(document.memberships.values_list("collection__identifier", flat=True))
        )
        for identifier in record.collections:
            if identifier in existing:
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
            yield m.CollectionMember(collection=collection, document=document, position=position)

    def _write_sources(self, new: list[Pending], old: list[Pending]) -> None:
        created = m.DocumentSource.objects.bulk_create(
            m.DocumentSource(document=p.document, importer=p.record.source.importer,
                             id_in_source=p.record.source.id_in_source,
                             file=p.record.source.file, content_hash=p.content_hash)
            for p in new
        )  # fmt: skip
        for p, source in zip(new, created, strict=True):
            p.source = source
        for p in old:
            p.source.file, p.source.content_hash = p.record.source.file, p.content_hash
            p.source.save(update_fields=["file", "content_hash", "imported_at"])

    def _snapshot(self, pending: list[Pending], parts: dict[int, list[models.Model]]) -> None:
        documents = [p.document for p in pending]
        prefetch_related_objects(documents, *M2M_FIELDS)
        members = m.CollectionMember.objects.filter(document_id__in=parts)
        current = {obj.pk for objs in parts.values() for obj in objs
                   if isinstance(obj, m.CollectionMember)}  # fmt: skip
        for member in members:  # earlier placements are part of the document too
            if member.pk not in current:
                parts[member.document_id].append(member)
        write_snapshots(
            [(p.document, [*parts[p.document.pk], p.source]) for p in pending],
            user=self.user,
            comment=self.comment or f"Imported by {pending[0].record.source.importer}",
        )


def _check_lengths(model: type[models.Model], objects: list[models.Model],
                   records: dict[int, DocumentRecord]) -> None:  # fmt: skip
    """bulk_create skips validation and SQLite ignores lengths; PostgreSQL would fail
    the whole batch without saying which record. Say it, naming file, record, field."""
    limited = [(f.attname, f.max_length) for f in model._meta.concrete_fields
               if isinstance(f, models.CharField) and f.max_length]  # fmt: skip
    for obj in objects:
        for attname, limit in limited:
            value = getattr(obj, attname)
            if value and len(value) > limit:
                r = records[obj.document_id]
                raise ValueError(
                    f"{r.source.file}: {r.identifier}: {model._meta.verbose_name} {attname} is "
                    f"{len(value)} characters, more than {limit}: {value[:60]!r}…"
                )
