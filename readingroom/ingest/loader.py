"""The one loader: writes parsed records into the catalogue.

A record is what one source says of one document; a document may have several
sources (each NARA release list that lists it, its scan), one DocumentSource each,
found through their importer and id in source (the record's chain) and told apart by
origin. Records of one document in a batch are taken together:

- every record's source unchanged (same content hash): nothing is touched;
- no source of it stored yet: the document is created from what the records assert
  together (`fold.merge_records`; most documents have one record);
- otherwise the document is merged (`merge_writer.py`): each source updates only what
  it asserts, what other sources and editors assert is kept, releases and files are
  unions, and a source's new value for what an editor changed waits as a conflict.

An update keeps the document's state before it (a version dated at its import, when it
had none yet) and a version of its new state, read back as stored; a created document
gets none until it first changes, its source recording where its state came from
(`catalogue/versions.py`).

Records are written in batches: one statement per table for the whole batch
(`fast_insert.py`: plain executemany; documents and sources built as model instances
with ids allocated up front, parts as plain rows, `parts.py`), which is what lets a
release list import run at thousands of rows a second. `load` writes a batch of one in
its own transaction (a bad record fails alone); `VolumeLoader` feeds batches inside
one transaction per volume (all or nothing), `SetLoader` one transaction per batch.
A dry run writes the same way inside a transaction that its caller rolls back, so its
report says exactly what an import would change; it stores no file.
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
from readingroom.catalogue.editing import source_writing
from readingroom.catalogue.fast_insert import JSONText, build, insert, insert_rows
from readingroom.catalogue.outbox import record_changes, suppressed
from readingroom.catalogue.type_cues import says_nothing
from readingroom.catalogue.versions import keep_state, snapshots_taken_by_caller
from readingroom.files.pages import add_pages
from readingroom.ingest.assertions import asserted_json, lazy_json
from readingroom.ingest.fold import merge_records
from readingroom.ingest.gc_pause import gc_paused
from readingroom.ingest.lookups import Lookups
from readingroom.ingest.merge_writer import MergeWriter, Merging
from readingroom.ingest.parts import PartWriter
from readingroom.ingest.records import DocumentRecord, ParseError
from readingroom.ingest.report import Change, created_changes
from readingroom.ingest.validation import FieldValidator, check_names, record_error

M2M_FIELDS = ("languages", "funders", "subjects")
OLDER = "older than what the catalogue holds from the same source: left as it is"


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)  # created, updated, unchanged, failed
    # How many records each mapping rule (or guard) changed, by its description.
    rules: Counter = field(default_factory=Counter)
    # Records whose vocabulary spelling no mapping table has: (what, spelling) → count.
    unmapped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What merges changed, by what ("files added", "title changed", "conflicts raised")
    # → how many documents.
    merged: Counter = field(default_factory=Counter)
    # Each field and part changed, when asked for (`--report`): ingest/report.py.
    changes: list[Change] = field(default_factory=list)

    def merge(self, other: LoadReport) -> None:
        self.counts.update(other.counts)
        self.rules.update(other.rules)
        self.unmapped.update(other.unmapped)
        self.merged.update(other.merged)
        self.warnings += other.warnings
        self.errors += other.errors
        self.changes += other.changes

    def mark(self) -> tuple:
        """Where the report stands, for `rewind` after a batch rolled back."""
        return (self.counts.copy(), self.rules.copy(), self.unmapped.copy(),
                self.merged.copy(), len(self.warnings), len(self.errors),
                len(self.changes))  # fmt: skip

    def rewind(self, mark: tuple) -> None:
        self.counts, self.rules, self.unmapped, self.merged, warned, failed, changed = mark
        del self.warnings[warned:], self.errors[failed:], self.changes[changed:]

    def unmapped_lines(self) -> list[str]:
        """One line per unknown spelling, with how many records wrote it."""
        return [
            f"{what} {spelling!r} is in no mapping table: {count} record(s), kept as written"
            for (what, spelling), count in sorted(self.unmapped.items(),
                                                  key=lambda item: (-item[1], item[0]))
        ]  # fmt: skip


@dataclass
class Pending:
    """A document to create: what its records assert together, and the records."""

    record: DocumentRecord
    records: list[DocumentRecord]
    document: m.Document | None = None
    new: bool = True


class Loader(PartWriter, MergeWriter):
    def __init__(self, *, user=None, dry_run: bool = False, detail: bool = False) -> None:
        self.user, self.dry_run, self.detail = user, dry_run, detail
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
        return self.load_group([record])

    def load_group(self, records: list[DocumentRecord]) -> str:
        """Write the records of one document in their own transaction; returns its
        outcome (or failed, reported with the file and record)."""
        mark = self.report.mark()
        try:
            with transaction.atomic():
                outcome = self.load_batch(records)[0]
        except Exception as exc:  # one bad record must not stop the others
            self.forget()
            self.report.rewind(mark)
            record = records[-1]
            if isinstance(exc, ParseError):  # it names file, record and field itself
                self.report.errors.append(str(exc))
            else:
                where = f"{record.source.file}: {record.source.id_in_source}"
                self.report.errors.append(f"{where}: {type(exc).__name__}: {exc}")
            self.report.counts["failed"] += 1
            return "failed"
        return outcome

    def load_batch(self, records: list[DocumentRecord]) -> list[str]:
        """Write records inside the caller's transaction; errors propagate. Returns an
        outcome for each document (the records of one document are taken together)."""
        with gc_paused():
            outcomes = self._load(records)  # its objects are freed before the collector resumes
        self.report.counts.update(outcomes)
        return outcomes

    def _load(self, records: list[DocumentRecord]) -> list[str]:
        groups: dict[tuple[str, str], list[DocumentRecord]] = {}
        for record in records:
            groups.setdefault((record.source.importer, record.source.id_in_source),
                              []).append(record)  # fmt: skip
        creates, merges, outcomes = self._compare(list(groups.values()))
        if creates or merges:
            with transaction.atomic():  # ids are allocated inside a transaction
                merged = self._write(creates, merges)
            for i, merging in merges:
                outcomes[i] = "updated" if merged.get(merging.document_id) else "unchanged"
        return outcomes

    def _compare(self, groups: list[list[DocumentRecord]]
                 ) -> tuple[list[Pending], list[tuple[int, Merging]], list[str]]:  # fmt: skip
        """The documents to create, those to merge (by position in `groups`), and each
        group's outcome so far (created, unchanged; merges are decided when written)."""
        stored: dict[tuple[str, str], dict[str, tuple]] = {}
        for importer in {g[0].source.importer for g in groups}:
            ids = [g[0].source.id_in_source for g in groups if g[0].source.importer == importer]
            rows = m.DocumentSource.objects.filter(importer=importer, id_in_source__in=ids)
            for pk, id_in_source, origin, content_hash, rank, document_id in rows.values_list(
                "pk", "id_in_source", "origin", "content_hash", "rank", "document_id"
            ):
                chain = stored.setdefault((importer, id_in_source), {})
                chain[origin] = (pk, content_hash, rank, document_id)
        creates, merges, outcomes = [], [], []
        for group in groups:
            chain = stored.get((group[0].source.importer, group[0].source.id_in_source), {})
            incoming = []
            for record in group:
                self._count_unmapped(record)
                self.report.rules.update(record.mapped)
                known = chain.get(record.source.origin)
                if known is not None and known[1] == record.content_hash():
                    continue
                if known is not None and record.source.rank < known[2]:
                    self._warn(record, OLDER)
                    self.report.rules[OLDER] += 1
                    continue
                incoming.append(record)
            if not incoming:
                outcomes.append("unchanged")
            elif not chain:
                effective = merge_records(group)
                if effective.partial:
                    self._warn(effective, f"{effective.partial}: imported as an unpublished"
                                          " placeholder")  # fmt: skip
                creates.append(Pending(effective, group))
                outcomes.append("created")
            else:
                document_id = next(iter(chain.values()))[3]
                merges.append((len(outcomes), Merging(document_id, incoming)))
                outcomes.append("merge")
        return creates, merges, outcomes

    # -- writing ------------------------------------------------------------------

    def _warn(self, record: DocumentRecord, message: str) -> None:
        self.report.warnings.append(f"{record.source.file}: {record.identifier}: {message}")

    def _write(self, creates: list[Pending], merges: list[tuple[int, Merging]]) -> dict:
        """Write it all; returns, for each merged document, whether it changed."""
        # Parts are written in bulk; each document gets one outbox row and each updated
        # one its versions, so neither the signals nor the save hooks record them.
        now = timezone.now()
        with suppressed(), snapshots_taken_by_caller(), source_writing():
            self._write_documents(creates, now)
            self._write_many_to_many(creates)
            self._write_parts(creates, now)
            self._write_sources(creates, now)
            changed = self._merge([merging for _, merging in merges], now)
            if self.stored_pdfs:
                add_pages(self.stored_pdfs)  # rendering and OCR follow in the worker
                self.stored_pdfs = {}
        updated = [pk for pk, was_changed in changed.items() if was_changed]
        record_changes(
            [(p.document.pk, p.document.identifier) for p in creates]
            + [(pk, identifier) for pk, identifier in self.merged_identifiers(updated)]
        )
        # The new state of each updated document, read back as stored (a created one
        # gets its first version when it first changes: versions.py).
        keep_state(updated, user=self.user)
        if self.detail:
            for p in creates:
                self.report.changes += created_changes(p.records, p.record)
        return changed

    def _write_documents(self, pending: list[Pending], now: datetime) -> None:
        for p in pending:
            p.document = build(m.Document, identifier=p.record.identifier, state=p.record.state)
            self._fill(p.document, p.record)
        insert([p.document for p in pending], now)

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
        document.document_type = self._term(record.document_type, "document type")
        document.physical_form_as_written = record.physical_form
        document.physical_form = self._term(record.physical_form, "physical form")
        document.extent_pages = record.extent_pages
        document.classification_level = record.classification.level
        document.classification_marking = record.classification.marking
        document.rights_uri, document.rights_text = record.rights_uri, record.rights_text
        document.source_record_id = record.source_record_id
        document.source_uploaded_on = record.source_uploaded_on
        document.citation_as_written = record.citation_as_written
        self._check(document, [record])

    def _check(self, document: m.Document, records: list[DocumentRecord]) -> None:
        """Field validation here, so an error names the record (the first of those
        that made the document's new state). The date order is checked here too, not
        only by the database constraint, for the same reason."""
        try:
            self.validate(document)
        except ValidationError as exc:
            raise record_error(records[0], exc) from exc
        for record in records:
            check_names(record)
        start, end = document.date_start, document.date_end
        if start and end and end < start:
            raise ValueError(f"date: ends ({end}) before it starts ({start})")

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
        """A DocumentSource for each record of the new documents, with what it asserts
        (a document's only source: its tier alone, `assertions.lazy_json`)."""
        insert([self._source(p.document, record, explicit=len(p.records) > 1)
                for p in pending for record in p.records], now)  # fmt: skip

    @staticmethod
    def _source(document: m.Document, record: DocumentRecord,
                explicit: bool = True) -> m.DocumentSource:  # fmt: skip
        s = record.source
        asserted = asserted_json(record) if explicit else lazy_json(record)
        return build(m.DocumentSource, document=document, importer=s.importer,
                     id_in_source=s.id_in_source, origin=s.origin, rank=s.rank, file=s.file,
                     content_hash=record.content_hash(), asserted=JSONText(asserted))  # fmt: skip
