"""The one loader: writes parsed records into the catalogue.

Each record is written in its own transaction and its own revision, so a failure
leaves nothing half-written and the other records still load. A record is matched to
the catalogue through its source (importer + id in source): an unchanged record (same
content hash) is not touched, a changed one is updated and its previous state stays in
the version history. Publication state is the editors' once a record exists: a
re-import never republishes a withdrawn document.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.db import transaction

from readingroom.catalogue import models as m
from readingroom.catalogue.outbox import record_change, suppressed
from readingroom.catalogue.sanitize import sanitize_html
from readingroom.files.storage import store
from readingroom.ingest.lookups import Lookups
from readingroom.ingest.records import AgentRecord, DocumentRecord

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)  # created, updated, unchanged, failed
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: LoadReport) -> None:
        self.counts.update(other.counts)
        self.warnings += other.warnings
        self.errors += other.errors


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

    def load_all(self, records: Iterable[DocumentRecord]) -> LoadReport:
        for record in records:
            self.load(record)
        return self.report

    def load(self, record: DocumentRecord, *, raise_errors: bool = False) -> str:
        """Write one record; returns created, updated, unchanged or failed.

        With `raise_errors` a failure propagates, for callers (a volume) that must
        roll back more than this record.
        """
        if raise_errors:
            outcome = self._load_atomically(record)
            self.report.counts[outcome] += 1
            return outcome
        try:
            outcome = self._load_atomically(record)
        except Exception as exc:  # one bad record must not stop the others
            where = f"{record.source.file}: {record.source.id_in_source}"
            self.report.errors.append(f"{where}: {type(exc).__name__}: {exc}")
            outcome = "failed"
        self.report.counts[outcome] += 1
        return outcome

    def _load_atomically(self, record: DocumentRecord) -> str:
        content_hash = record.content_hash()
        source = (
            m.DocumentSource.objects.select_related("document")
            .filter(importer=record.source.importer, id_in_source=record.source.id_in_source)
            .first()
        )
        if source is not None and source.content_hash == content_hash:
            return "unchanged"
        if self.dry_run:
            return "updated" if source else "created"
        # manage_manually: one snapshot of the finished document (added below), not one
        # per save and m2m change of each part as it is written.
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            reversion.set_user(self.user)
            reversion.set_comment(
                self.comment or f"Imported by {record.source.importer} from {record.source.file}"
            )
            if source is None:
                document = m.Document(identifier=record.identifier, state=record.state)
                outcome = "created"
            else:
                document = source.document
                outcome = "updated"
            self._write(document, record)
            m.DocumentSource.objects.update_or_create(
                importer=record.source.importer,
                id_in_source=record.source.id_in_source,
                defaults={
                    "document": document,
                    "file": record.source.file,
                    "content_hash": content_hash,
                },
            )
            reversion.add_to_revision(document)
        return outcome

    # -- writing ---------------------------------------------------------------

    def _warn(self, record: DocumentRecord, message: str) -> None:
        self.report.warnings.append(f"{record.source.file}: {record.identifier}: {message}")

    def _write(self, document: m.Document, record: DocumentRecord) -> None:
        new = document.pk is None
        d = record.date
        document.title = record.title
        document.summary = record.summary
        document.date_start, document.date_end = d.start, d.end
        document.time_start, document.time_end = d.time_start, d.time_end
        document.date_precision, document.date_as_written = d.precision, d.as_written
        document.date_utc_offset = d.utc_offset_minutes
        document.document_type_as_written = record.document_type
        document.document_type = self._term(record, record.document_type, "document type")
        document.physical_form_as_written = record.physical_form
        document.physical_form = self._term(record, record.physical_form, "physical form")
        document.classification_level = record.classification.level
        document.classification_marking = record.classification.marking
        document.rights_uri, document.rights_text = record.rights_uri, record.rights_text
        document.source_record_id = record.source_record_id
        document.source_uploaded_on = record.source_uploaded_on
        document.citation_as_written = record.citation_as_written
        # Field validation only: foreign keys come from the catalogue itself.
        document.clean_fields(exclude=["document_type", "physical_form"])
        # Parts are written in bulk without a signal each; the document's one outbox
        # entry is recorded below, in this same transaction.
        with suppressed():
            document.save()
            self._set_many(document, new, record)
            self._replace_parts(document, new, record)
        record_change(document.pk, document.identifier)

    def _term(self, record: DocumentRecord, spelling: str, what: str):
        if not spelling:
            return None
        if what == "document type":
            term = self.lookups.document_type(spelling)
        else:
            term = self.lookups.physical_form(spelling)
        if term is None and (what, spelling) not in self.unmapped:
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

    def _set_many(self, document: m.Document, new: bool, record: DocumentRecord) -> None:
        languages = [lang for c in record.languages if (lang := self._language(record, c))]
        funders = [self.lookups.funder(n) for n in record.funders]
        subjects = [self.terms.get(t) or self.lookups.subject(t) for t in record.subjects]
        for name, objects in (("languages", languages), ("funders", funders),
                              ("subjects", subjects)):  # fmt: skip
            manager = getattr(document, name)
            if new:  # nothing to compare with: one insert
                manager.add(*dict.fromkeys(objects))
            else:
                manager.set(objects)

    def _replace_parts(self, document: m.Document, new: bool, record: DocumentRecord) -> None:
        # Parts are replaced whole: the previous ones live on in the version history.
        if not new:
            for model in (m.Caveat, m.DocumentIdentifier, m.ArchivalReference,
                          m.DocumentAgent, m.DocumentPlace, m.Text, m.File):  # fmt: skip
                model.objects.filter(document=document).delete()
        doc = {"document": document}
        m.Caveat.objects.bulk_create(
            m.Caveat(**doc, text=t, position=i) for i, t in enumerate(record.classification.caveats)
        )
        m.DocumentIdentifier.objects.bulk_create(
            m.DocumentIdentifier(**doc, scheme=x.scheme, value=x.value, position=i)
            for i, x in enumerate(record.identifiers)
        )
        m.ArchivalReference.objects.bulk_create(
            self._reference(document, record, ref, i)
            for i, ref in enumerate(record.archival_references)
        )
        m.DocumentAgent.objects.bulk_create(
            m.DocumentAgent(
                **doc,
                agent=self._agent(a),
                role=a.role,
                position=i,
                name_as_written=a.name_as_written or a.name,
            )
            for i, a in enumerate(record.agents)
        )
        m.DocumentPlace.objects.bulk_create(
            m.DocumentPlace(
                **doc,
                place=self.lookups.place(p.name),
                role=p.role,
                position=i,
                name_as_written=p.name_as_written or p.name,
            )
            for i, p in enumerate(record.places)
        )
        m.Text.objects.bulk_create(
            m.Text(
                **doc,
                kind=t.kind,
                format=t.format,
                html=sanitize_html(t.html),
                position=i,
                language=self._language(record, t.language) if t.language else None,
                translator=self._agent(AgentRecord(name=t.translator, role="translated-by"))
                if t.translator
                else None,
            )
            for i, t in enumerate(record.texts)
        )
        m.File.objects.bulk_create(self._file(document, f, i) for i, f in enumerate(record.files))
        self._memberships(document, new, record)

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

    @staticmethod
    def _file(document: m.Document, f, position: int) -> m.File:
        sha256, size = store(Path(f.path)) if f.path else ("", None)
        return m.File(
            document=document,
            role=f.role,
            name=f.name,
            media_type=f.media_type,
            sha256=sha256,
            size=size,
            note=f.note,
            position=position,
        )

    def _memberships(self, document: m.Document, new: bool, record: DocumentRecord) -> None:
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
            m.CollectionMember.objects.create(
                collection=collection, document=document, position=position
            )
