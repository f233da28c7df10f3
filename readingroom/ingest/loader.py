"""The one loader: writes parsed records into the catalogue.

Records are matched to the catalogue through their source (importer + id in source):
an unchanged record (same content hash) is not touched, a new one is created, a
changed one is updated. An update keeps the document's state before it (a version
dated at its import, when it had none yet) and a version of its new state, read back
as stored; a created document gets none until it first changes, its source recording
where its state came from (`catalogue/versions.py`). Publication state is the editors'
once a record exists: a re-import never republishes a withdrawn document.

Records are written in batches: one statement per table for the whole batch
(`fast_insert.py`: plain executemany; documents and sources built as model instances
with ids allocated up front, parts as plain rows, `parts.py`), which is what lets a
release list import run at thousands of rows a second. `load` writes a batch of one in
its own transaction (a bad record fails alone); `VolumeLoader` feeds batches inside
one transaction per volume (all or nothing), `SetLoader` one transaction per batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.fast_insert import build, delete_where, insert, insert_rows, update
from readingroom.catalogue.outbox import record_changes, suppressed
from readingroom.catalogue.type_cues import says_nothing
from readingroom.catalogue.versions import (
    keep_state,
    keep_state_before_change,
    snapshots_taken_by_caller,
)
from readingroom.files.pages import add_pages
from readingroom.ingest.gc_pause import gc_paused
from readingroom.ingest.lookups import Lookups
from readingroom.ingest.parts import REPLACED_PARTS, Held, PartWriter, attached_parts, to_attach
from readingroom.ingest.records import DocumentRecord, ParseError
from readingroom.ingest.validation import FieldValidator, check_names, record_error

M2M_FIELDS = ("languages", "funders", "subjects")
ATTACHED = "scan attached to its catalogued record, nothing else changed"


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)  # created, updated, unchanged, failed
    # How many records each mapping rule (or guard) changed, by its description.
    rules: Counter = field(default_factory=Counter)
    # Records whose vocabulary spelling no mapping table has: (what, spelling) → count.
    unmapped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: LoadReport) -> None:
        self.counts.update(other.counts)
        self.rules.update(other.rules)
        self.unmapped.update(other.unmapped)
        self.warnings += other.warnings
        self.errors += other.errors

    def mark(self) -> tuple:
        """Where the report stands, for `rewind` after a batch rolled back."""
        return (self.counts.copy(), self.rules.copy(), self.unmapped.copy(),
                len(self.warnings), len(self.errors))  # fmt: skip

    def rewind(self, mark: tuple) -> None:
        self.counts, self.rules, self.unmapped, warned, failed = mark
        del self.warnings[warned:], self.errors[failed:]

    def unmapped_lines(self) -> list[str]:
        """One line per unknown spelling, with how many records wrote it."""
        return [
            f"{what} {spelling!r} is in no mapping table: {count} record(s), kept as written"
            for (what, spelling), count in sorted(self.unmapped.items(),
                                                  key=lambda item: (-item[1], item[0]))
        ]  # fmt: skip


@dataclass
class Pending:
    record: DocumentRecord
    content_hash: str
    source: m.DocumentSource | None  # None: a new document (until its source is written)
    document: m.Document | None = None
    new: bool = field(init=False)
    # A partial record of a catalogued document: only its files and releases are added.
    attach: bool = False

    def __post_init__(self) -> None:
        self.new = self.source is None


class Loader(PartWriter):
    def __init__(self, *, user=None, dry_run: bool = False) -> None:
        self.user, self.dry_run = user, dry_run
        self.report = LoadReport()
        # Entities of the volume being loaded, by their key in it (see volume_loader).
        self.entities: dict[str, m.Agent] = {}
        self.terms: dict[str, m.Subject] = {}
        self.lookups = Lookups()
        self.collections: dict[str, m.Collection] = {}
        self.member_positions: dict[int, int] = {}  # next position in each collection
        self.stored_pdfs: dict[str, Path] = {}  # scans (PDFs, images): sha256 → source
        self.gaps: dict[tuple[str, str], tuple] = {}  # (type, form) → unknown spellings
        # Vocabulary foreign keys come from the catalogue itself: not validated.
        self.validate = FieldValidator(m.Document, exclude=("document_type", "physical_form"))

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
            if isinstance(exc, ParseError):  # it names file, record and field itself
                self.report.errors.append(str(exc))
            else:
                where = f"{record.source.file}: {record.source.id_in_source}"
                self.report.errors.append(f"{where}: {type(exc).__name__}: {exc}")
            self.report.counts["failed"] += 1
            return "failed"
        return outcome

    def load_batch(self, records: list[DocumentRecord]) -> list[str]:
        """Write records inside the caller's transaction; errors propagate."""
        with gc_paused():
            outcomes = self._load(records)  # its objects are freed before the collector resumes
        self.report.counts.update(outcomes)
        return outcomes

    def _load(self, records: list[DocumentRecord]) -> list[str]:
        pending, outcomes = self._compare(records)
        if pending and not self.dry_run:
            with transaction.atomic():  # ids are allocated inside a transaction
                self._write(pending)
        return outcomes

    def _compare(self, records: list[DocumentRecord]) -> tuple[list[Pending], list[str]]:
        """The records to write, and each record's outcome: created, updated, unchanged."""
        sources = {
            s.id_in_source: s
            for s in m.DocumentSource.objects.select_related("document").filter(
                importer=records[0].source.importer,
                id_in_source__in=[r.source.id_in_source for r in records],
            )
        }
        held = attached_parts([s.document_id for r in records if r.partial
                               and (s := sources.get(r.source.id_in_source))])  # fmt: skip
        pending, outcomes = [], []
        for record in records:
            self._count_unmapped(record)
            self.report.rules.update(record.mapped)
            content_hash = record.content_hash()
            source = sources.get(record.source.id_in_source)
            if source is not None and source.content_hash == content_hash:
                outcomes.append("unchanged")
                continue
            if source is not None and record.partial:
                # Never a placeholder over a catalogued record: its files and releases
                # are added, nothing else changes (its source keeps its hash).
                if not any(to_attach(record, held.get(source.document_id, Held()))):
                    outcomes.append("unchanged")
                    continue
                self.report.rules[ATTACHED] += 1
                pending.append(Pending(record, content_hash, source, attach=True))
                outcomes.append("updated")
                continue
            if source is None and record.partial:
                self._warn(record, f"{record.partial}: imported as an unpublished placeholder")
            outcomes.append("updated" if source else "created")
            pending.append(Pending(record, content_hash, source))
        return pending, outcomes

    # -- writing ------------------------------------------------------------------

    def _warn(self, record: DocumentRecord, message: str) -> None:
        self.report.warnings.append(f"{record.source.file}: {record.identifier}: {message}")

    def _write(self, pending: list[Pending]) -> None:
        # Parts are written in bulk; each document gets one outbox row and each updated
        # one its versions below, so neither the signals nor the save hooks record them.
        now = timezone.now()
        keep_state_before_change(p.source.document_id for p in pending if not p.new)
        whole = [p for p in pending if not p.attach]
        with suppressed(), snapshots_taken_by_caller():
            self._write_documents(whole, now)
            self._write_many_to_many(whole)
            self._write_parts(whole, now)
            self._write_sources(whole, now)
            self._attach([p for p in pending if p.attach], now)
            if self.stored_pdfs:
                add_pages(self.stored_pdfs)  # rendering and OCR follow in the worker
                self.stored_pdfs = {}
        record_changes([(p.document.pk, p.document.identifier) for p in pending])
        # The new state of each updated document, read back as stored (a created one
        # gets its first version when it first changes: versions.py).
        keep_state([p.document.pk for p in pending if not p.new], user=self.user)

    def _write_documents(self, pending: list[Pending], now: datetime) -> None:
        new = [p for p in pending if p.new]
        old = [p for p in pending if not p.new]
        for p in new:
            p.document = build(m.Document, identifier=p.record.identifier, state=p.record.state)
            self._fill(p.document, p.record)
        insert([p.document for p in new], now)
        for p in old:
            p.document = p.source.document
            self._fill(p.document, p.record)
        update([p.document for p in old], now=now)  # every field, as save() writes them
        old_ids = [p.document.pk for p in old]
        for model in REPLACED_PARTS:  # replaced whole; versions keep the old ones
            delete_where(model, "document_id", old_ids)
        for name in M2M_FIELDS:
            delete_where(getattr(m.Document, name).through, "document_id", old_ids)

    def _fill(self, document: m.Document, record: DocumentRecord) -> None:
        d = record.date
        document.title, document.summary = record.title, record.summary
        document.title_original, document.notes = record.title_original, record.notes
        document.title_original_language = (
            self._language(record, record.title_original_language)
            if record.title_original_language else None)  # fmt: skip
        document.date_start, document.date_end = d.start, d.end
        document.time_start, document.time_end = d.time_start, d.time_end
        document.date_precision, document.date_as_written = d.precision, d.as_written
        document.date_utc_offset = d.utc_offset_minutes
        document.document_type_as_written = record.document_type
        # A source that names no type (only a form) never clears one an editor accepted.
        kind = self._term(record.document_type, "document type")
        if kind is not None or document.document_type_id is None:
            document.document_type = kind
        document.physical_form_as_written = record.physical_form
        document.physical_form = self._term(record.physical_form, "physical form")
        document.extent_pages = record.extent_pages
        document.classification_level = record.classification.level
        document.classification_marking = record.classification.marking
        document.rights_uri, document.rights_text = record.rights_uri, record.rights_text
        document.source_record_id = record.source_record_id
        document.source_uploaded_on = record.source_uploaded_on
        document.citation_as_written = record.citation_as_written
        # Field validation here, so an error names the record. The date order is
        # checked here too, not only by the database constraint, for the same reason.
        try:
            self.validate(document)
        except ValidationError as exc:
            raise record_error(record, exc) from exc
        check_names(record)
        if d.start and d.end and d.end < d.start:
            raise ValueError(f"date: ends ({d.end}) before it starts ({d.start})")

    def _term(self, spelling: str, what: str):
        if not spelling:
            return None
        if what == "document type":
            return self.lookups.document_type(spelling)
        return self.lookups.physical_form(spelling)

    def _count_unmapped(self, record: DocumentRecord) -> None:
        """Count a spelling that no mapping table knows, for the summary: each spelling
        once, with its number of records. One source column may name either a type or
        a form ("MEMORANDUM", "PAPER - TEXTUAL DOCUMENT"): then a spelling either table
        knows is no gap."""
        pair = (record.document_type, record.physical_form)
        gaps = self.gaps.get(pair)
        if gaps is None:  # a list repeats a few dozen pairs 15,000 times
            gaps = self.gaps[pair] = self._gaps(*pair)
        self.report.unmapped.update(gaps)

    def _gaps(self, kind: str, form: str) -> tuple[tuple[str, str], ...]:
        if says_nothing(kind) and says_nothing(form):
            return ()
        if kind and kind == form:
            known = self._term(kind, "document type") or self._term(form, "physical form")
            return () if known else (("document type or physical form", kind),)
        gaps = []
        if kind and self._term(kind, "document type") is None:
            gaps.append(("document type", kind))
        if form and self._term(form, "physical form") is None:
            gaps.append(("physical form", form))
        return tuple(gaps)

    def _language(self, record: DocumentRecord, code: str) -> m.Language | None:
        language = self.lookups.language(code)
        if language is None:
            self._warn(record, f"language code {code!r} is unknown")
        return language

    def _write_many_to_many(self, pending: list[Pending]) -> None:
        rows: dict[str, list[tuple[int, Any]]] = {name: [] for name in M2M_FIELDS}
        for p in pending:
            r = p.record
            related = {
                "languages": [x for c in r.languages if (x := self._language(r, c))],
                "funders": [self.lookups.funder(n) for n in r.funders],
                "subjects": [self.terms.get(t) or self.lookups.subject(t) for t in r.subjects],
            }
            for name, objects in related.items():
                rows[name] += [(p.document.pk, o.pk) for o in dict.fromkeys(objects)]
        for name, values in rows.items():
            through = getattr(m.Document, name).through
            insert_rows(through, ["document_id", f"{name[:-1]}_id"], values)  # language_id

    def _write_sources(self, pending: list[Pending], now: datetime) -> None:
        new = [p for p in pending if p.new]
        for p in new:
            p.source = build(m.DocumentSource, document=p.document,
                             importer=p.record.source.importer,
                             id_in_source=p.record.source.id_in_source,
                             file=p.record.source.file, content_hash=p.content_hash)  # fmt: skip
        insert([p.source for p in new], now)
        old = [p for p in pending if not p.new]
        for p in old:
            p.source.file, p.source.content_hash = p.record.source.file, p.content_hash
        update([p.source for p in old], ["file", "content_hash", "imported_at"], now)
