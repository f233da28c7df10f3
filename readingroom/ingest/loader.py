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
from readingroom.catalogue.vocabularies import (
    document_type_for,
    physical_form_for,
    repository_for,
)
from readingroom.files.storage import store
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

    def load_all(self, records: Iterable[DocumentRecord]) -> LoadReport:
        for record in records:
            self.load(record)
        return self.report

    def load(self, record: DocumentRecord) -> str:
        """Write one record; returns created, updated, unchanged or failed."""
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
        with transaction.atomic(), reversion.create_revision():
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
        return outcome

    # -- writing ---------------------------------------------------------------

    def _warn(self, record: DocumentRecord, message: str) -> None:
        self.report.warnings.append(f"{record.source.file}: {record.identifier}: {message}")

    def _write(self, document: m.Document, record: DocumentRecord) -> None:
        d = record.date
        document.title = record.title
        document.summary = record.summary
        document.date_start, document.date_end = d.start, d.end
        document.time_start, document.time_end = d.time_start, d.time_end
        document.date_precision, document.date_as_written = d.precision, d.as_written
        document.date_utc_offset = d.utc_offset_minutes
        document.document_type_as_written = record.document_type
        document.document_type = self._term(
            record, record.document_type, document_type_for, "document type"
        )
        document.physical_form_as_written = record.physical_form
        document.physical_form = self._term(
            record, record.physical_form, physical_form_for, "physical form"
        )
        document.classification_level = record.classification.level
        document.classification_marking = record.classification.marking
        document.rights_uri, document.rights_text = record.rights_uri, record.rights_text
        document.source_record_id = record.source_record_id
        document.source_uploaded_on = record.source_uploaded_on
        document.citation_as_written = record.citation_as_written
        document.full_clean(exclude=["languages", "funders", "subjects"], validate_unique=False)
        document.save()

        document.languages.set(self._languages(record, record.languages))
        document.funders.set([m.Funder.objects.get_or_create(name=n)[0] for n in record.funders])
        document.subjects.set(
            [m.Subject.objects.get_or_create(term=t, scheme="")[0] for t in record.subjects]
        )
        self._replace_parts(document, record)

    def _term(self, record: DocumentRecord, spelling: str, lookup, what: str):
        if not spelling:
            return None
        term = lookup(spelling)
        if term is None:
            self._warn(record, f"{what} {spelling!r} is not in the mapping table; kept as written")
        return term

    def _languages(self, record: DocumentRecord, codes: list[str]) -> list[m.Language]:
        found = {lang.code: lang for lang in m.Language.objects.filter(code__in=codes)}
        for code in codes:
            if code not in found:
                self._warn(record, f"language code {code!r} is unknown")
        return [found[c] for c in codes if c in found]

    def _agent(self, a: AgentRecord) -> m.Agent:
        agent = (
            m.Agent.objects.filter(kind=a.kind, name=a.name).first()
            or m.Agent.objects.filter(kind=a.kind, other_names__name=a.name).first()
        )
        if agent is None:
            agent = m.Agent.objects.create(
                kind=a.kind, name=a.name, sort_name=_sort_name(a), identification=a.identification
            )
        return agent

    def _replace_parts(self, document: m.Document, record: DocumentRecord) -> None:
        # Parts are replaced whole: the previous ones live on in the version history.
        for related in (
            "caveats",
            "identifiers",
            "archival_references",
            "agent_links",
            "place_links",
            "texts",
            "files",
        ):
            getattr(document, related).all().delete()
        for i, text in enumerate(record.classification.caveats):
            m.Caveat.objects.create(document=document, text=text, position=i)
        for i, ident in enumerate(record.identifiers):
            m.DocumentIdentifier.objects.create(
                document=document, scheme=ident.scheme, value=ident.value, position=i
            )
        for i, ref in enumerate(record.archival_references):
            repository = repository_for(ref.repository) if ref.repository else None
            if ref.repository and repository is None:
                repository = m.Repository.objects.create(name=ref.repository)
                self._warn(record, f"new repository record {ref.repository!r}")
            parts = {name: getattr(ref, name) for name in m.ArchivalReference.PART_FIELDS}
            m.ArchivalReference.objects.create(
                document=document,
                repository=repository,
                as_written=ref.as_written,
                position=i,
                **parts,
            )
        for i, a in enumerate(record.agents):
            m.DocumentAgent.objects.create(
                document=document,
                agent=self._agent(a),
                role=a.role,
                name_as_written=a.name_as_written or a.name,
                position=i,
            )
        for i, p in enumerate(record.places):
            place = m.Place.objects.filter(name=p.name).first() or m.Place.objects.create(
                name=p.name
            )
            m.DocumentPlace.objects.create(
                document=document,
                place=place,
                role=p.role,
                name_as_written=p.name_as_written or p.name,
                position=i,
            )
        for i, t in enumerate(record.texts):
            translator = (
                self._agent(AgentRecord(name=t.translator, role="translated-by"))
                if t.translator
                else None
            )
            language = self._languages(record, [t.language])[0:1] if t.language else []
            m.Text.objects.create(
                document=document,
                kind=t.kind,
                format=t.format,
                html=t.html,
                language=language[0] if language else None,
                translator=translator,
                position=i,
            )
        for i, f in enumerate(record.files):
            sha256, size = store(Path(f.path)) if f.path else ("", None)
            m.File.objects.create(
                document=document,
                role=f.role,
                name=f.name,
                media_type=f.media_type,
                sha256=sha256,
                size=size,
                note=f.note,
                position=i,
            )
        existing = set(document.memberships.values_list("collection__identifier", flat=True))
        for identifier in record.collections:
            if identifier in existing:
                continue
            collection = m.Collection.objects.filter(identifier=identifier).first()
            if collection is None:
                self._warn(record, f"collection {identifier!r} does not exist")
                continue
            m.CollectionMember.objects.create(
                collection=collection, document=document, position=collection.members.count()
            )


def _sort_name(a: AgentRecord) -> str:
    if a.kind != "person" or " " not in a.name.strip():
        return a.name
    *given, family = a.name.split()
    return f"{family}, {' '.join(given)}"
