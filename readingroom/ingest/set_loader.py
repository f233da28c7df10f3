"""Loading a RecordSet (release lists with their scans): each record on its own.

Unlike a FRUS volume, a release list is not all or nothing: one bad row must not keep
14,000 good ones out. Records are still written in batches for speed; a batch that
fails is rolled back and written again document by document, so exactly the bad
records fail (each named in the report) and every other one is imported. The records of
one document (one per release list that lists it, and its scan) stay in one batch.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from django.db import transaction

from readingroom.ingest.collection_writer import CollectionWriter
from readingroom.ingest.loader import Loader, LoadReport
from readingroom.ingest.records import DocumentRecord, ParseError, RecordSet

BATCH_SIZE = 500


class SetLoader:
    def __init__(self, *, user=None, dry_run: bool = False, detail: bool = False) -> None:
        self.loader = Loader(user=user, dry_run=dry_run, detail=detail)
        self.dry_run = dry_run

    @property
    def report(self) -> LoadReport:
        return self.loader.report

    def load(self, records: RecordSet, on_document: Callable[[int], None] | None = None) -> None:
        # A dry run writes like an import, in one transaction rolled back at the end.
        with transaction.atomic() if self.dry_run else nullcontext():
            self._load(records, on_document)
            if self.dry_run:
                transaction.set_rollback(True)

    def _load(self, records: RecordSet, on_document) -> None:
        report = self.loader.report
        writer = CollectionWriter(file="release set")
        with transaction.atomic():
            for collection in records.collections:
                try:
                    with transaction.atomic():
                        writer.write(collection)
                except ParseError as exc:  # its documents still import, unplaced
                    report.errors.append(str(exc))
                    report.counts["failed"] += 1
        batch: list[DocumentRecord] = []
        for record in records.documents:
            # The records of one document (one record number) go in one batch.
            if len(batch) >= BATCH_SIZE and _chain(batch[-1]) != _chain(record):
                self._flush(batch, on_document)
            batch.append(record)
        self._flush(batch, on_document)
        if not self.dry_run:  # a group none of whose records imported is not left empty
            with transaction.atomic():
                writer.remove_empty_created()
        report.warnings += records.warnings
        report.errors += records.errors
        report.counts["failed"] += len(records.errors)

    def _flush(self, batch: list[DocumentRecord], on_document) -> None:
        if not batch:
            return
        report = self.loader.report
        mark = report.mark()
        try:
            with transaction.atomic():
                self.loader.load_batch(batch)
        except Exception:
            # The batch rolled back: restore its counts (and what it reported, which the
            # records say again) and find the bad records alone.
            report.rewind(mark)
            self.loader.forget()
            for group in _groups(batch):
                self.loader.load_group(group)
        if on_document:
            on_document(len(batch))
        batch.clear()


def _chain(record: DocumentRecord) -> tuple[str, str]:
    return (record.source.importer, record.source.id_in_source)


def _groups(batch: list[DocumentRecord]) -> list[list[DocumentRecord]]:
    groups: dict[tuple[str, str], list[DocumentRecord]] = {}
    for record in batch:
        groups.setdefault(_chain(record), []).append(record)
    return list(groups.values())
