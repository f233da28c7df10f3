"""readingroom import SOURCE PATH... — parse source files and load them."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from readingroom.catalogue.outbox import deferred_processing
from readingroom.ingest import early_start, parse_ahead
from readingroom.ingest.gc_pause import gc_paused
from readingroom.ingest.importers import IMPORTERS, Importer, input_files
from readingroom.ingest.loader import Loader, LoadReport
from readingroom.ingest.records import ParseError, RecordSet, VolumeRecord
from readingroom.ingest.relations import link_relations
from readingroom.ingest.report import report_suffix_ok, write_report
from readingroom.ingest.set_loader import SetLoader
from readingroom.ingest.volume_loader import VolumeLoader


class Command(BaseCommand):
    help = "Import source files into the catalogue. Sources: " + ", ".join(
        f"{name} ({imp.help})" for name, imp in IMPORTERS.items()
    )
    # The system checks are the server's (and `readingroom check`'s): they load every
    # URL and view, which an import never uses.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(IMPORTERS), help="which importer to use")
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="parse and compare: what an import would change, nothing kept",
        )  # fmt: skip
        parser.add_argument(
            "--report", type=Path, metavar="FILE.json|FILE.csv",
            help="write each field and part changed (or, with --dry-run, that would "
            "change), from what to what and by which rule, per record",
        )  # fmt: skip
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument("--files", type=Path, default=None,
                            help="sheet: the folder of the files its rows name (default: the "
                            "sheet's folder, searched through its subfolders)")
        parser.add_argument("--mapping", type=Path, default=None,
                            help="sheet: a mapping file (JSON: columns, separator, the "
                            "source's name, state and rights); docs/sheets.md")  # fmt: skip

    def handle(self, *args, source: str, paths: list[Path], dry_run: bool,
               no_progress: bool, report: Path | None = None, **options) -> None:  # fmt: skip
        importer = IMPORTERS[source]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        sheet_options = {"files": options.get("files"), "mapping": options.get("mapping")}
        if any(sheet_options.values()) and not importer.parse_sheet:
            raise CommandError("--files and --mapping are options of `import sheet` only")
        if report is not None and not report_suffix_ok(report):
            raise CommandError(f"--report {report}: give a .json or a .csv file")
        self.detail = report is not None
        started = time.monotonic()
        if importer.parse_sheet:
            with _dry(dry_run):
                loaded, rows = self._sheet(importer, paths, sheet_options, dry_run, no_progress)
            elapsed = time.monotonic() - started
            self._report(report, loaded, source, rows, dry_run, elapsed)
            self._summarize(loaded, rows, elapsed, dry_run, "row(s)")
            return
        files = input_files(importer, paths)
        # Parsing starts in its own process before anything else (the progress bar's
        # thread included), and runs alongside the writing; `readingroom import` started
        # it before Django loaded (early_start.py).
        early = early_start.take(importer.name, files)
        if early and options["verbosity"] >= 2:
            self.stderr.write("parsing started before Django loaded")
        parsed = self._start_parsing(importer, files, parse_ahead.available(), early)
        progress = tqdm(unit="doc", file=sys.stderr, disable=no_progress or None,
                        desc=f"import {source}", total=None if importer.parse_volume
                        or importer.parse_set else len(files))  # fmt: skip
        # What is alive now (Django, the modules, the settings) lives as long as the
        # command: the collector need not scan it again. And none runs while the import
        # does: records and rows hold no cycles (what is freed is freed by its count), but
        # the collector would scan every chunk of records received and every batch
        # written, again at each collection (a twentieth of the time, the same peak
        # memory, measured on both corpora).
        gc.freeze()
        try:
            # A dry run writes as an import does, in one transaction rolled back at the
            # end (its report is the import's), and wakes no worker.
            with progress, _dry(dry_run), gc_paused():
                if importer.parse_set:
                    loaded = self._set(parsed, dry_run, progress)
                elif importer.parse_volume:
                    loaded = self._volumes(parsed, dry_run, progress)
                else:
                    loaded = self._documents(importer, files, dry_run, progress)
        finally:
            gc.unfreeze()  # collectable again by a process that goes on (tests, load-corpus)
        elapsed = time.monotonic() - started
        self._report(report, loaded, source, len(files), dry_run, elapsed)
        self._summarize(loaded, len(files), elapsed, dry_run)

    def _report(self, path: Path | None, loaded: LoadReport, source: str, inputs: int,
                dry_run: bool, elapsed: float) -> None:  # fmt: skip
        """--report: each change of each record, and the summary's figures."""
        if path is None:
            return
        write_report(path, loaded.changes, {
            "importer": source, "files": inputs, "dry_run": dry_run,
            "seconds": round(elapsed, 2), **{k: loaded.counts[k] for k in OUTCOMES},
            "warnings": len(loaded.warnings) + len(loaded.unmapped),
        })  # fmt: skip
        self.stderr.write(f"report: {len(loaded.changes)} change(s) written to {path}")

    @staticmethod
    def _start_parsing(importer: Importer, files: list[Path], parallel: bool,
                       early: parse_ahead.Channel | None = None):  # fmt: skip
        """Volumes: (path, volume or the exception its parse raised) pairs. A set: the
        RecordSet and its document count if known. Single files are parsed inline (a
        page capture parses in microseconds). `early`: the parse already started."""
        if importer.parse_volume:
            if parallel:
                return parse_ahead.volumes_parsed_ahead(importer.parse_volume, files, early)
            return ((path, _parsed_or_error(importer.parse_volume, path)) for path in files)
        if importer.parse_set:
            if parallel:
                return parse_ahead.set_parsed_ahead(importer.parse_set, files, early)
            records = importer.parse_set(files)
            documents = records.documents
            return records, len(documents) if isinstance(documents, list) else records.expected
        return None

    @staticmethod
    def _failure(exc: BaseException, path: Path, report: LoadReport, failure: str,
                 suffix: str = "") -> None:  # fmt: skip
        """Report a parse that raised, and count it; what is not a parse failure is raised."""
        if isinstance(exc, ParseError):
            report.errors.append(f"{exc}{suffix}")
        elif isinstance(exc, (OSError, UnicodeDecodeError)):
            report.errors.append(f"{path}: cannot read: {exc}")
        else:
            raise exc
        report.counts[failure] += 1

    def _parse(self, parse, path: Path, report: LoadReport, failure: str):
        """What `parse(path)` returns, or None with the failure reported and counted."""
        try:
            return parse(path)
        except Exception as exc:
            self._failure(exc, path, report, failure)
        return None

    def _documents(self, importer: Importer, files: list[Path], dry_run: bool,
                   progress: tqdm) -> LoadReport:  # fmt: skip
        loader = Loader(dry_run=dry_run, detail=self.detail)
        for path in files:
            record = self._parse(importer.parse_file, path, loader.report, "failed")
            progress.update()
            if record is not None:
                loader.load(record)
        return loader.report

    def _volumes(self, parsed: Iterator[tuple[Path, VolumeRecord | BaseException]],
                 dry_run: bool, progress: tqdm) -> LoadReport:  # fmt: skip
        loader = VolumeLoader(dry_run=dry_run, detail=self.detail)
        for path, volume in parsed:
            if isinstance(volume, BaseException):
                self._failure(volume, path, loader.report, "failed volumes",
                              " (volume not imported)")  # fmt: skip
                continue
            progress.set_postfix_str(volume.identifier)
            loader.load(volume, on_document=progress.update)
        return loader.report

    def _set(self, parsed: tuple[RecordSet, int | None], dry_run: bool,
             progress: tqdm) -> LoadReport:  # fmt: skip
        loader = SetLoader(dry_run=dry_run, detail=self.detail)
        records, total = parsed
        progress.total = total
        loader.load(records, on_document=progress.update)
        return loader.report

    def _sheet(self, importer: Importer, paths: list[Path], options: dict, dry_run: bool,
               no_progress: bool) -> tuple[LoadReport, int]:  # fmt: skip
        """Every row checked first (ParseError: the sheet cannot be used, nothing is
        written); then each good row in its own transaction, relations between rows
        linked once their records are in. Returns the report and the rows read."""
        try:
            records = importer.parse_sheet(paths, options["files"], options["mapping"])
        except ParseError as exc:
            raise CommandError(f"{exc} (nothing imported)") from exc
        documents = list(records.documents)
        loader = Loader(dry_run=dry_run, detail=self.detail)
        with tqdm(unit="row", file=sys.stderr, disable=no_progress or None,
                  desc="import sheet", total=len(documents)) as progress:  # fmt: skip
            for record in documents:
                loader.load(record)
                progress.update()
        if not dry_run:
            link_relations({r.source.importer for r in documents})
        loader.report.warnings += records.warnings
        loader.report.errors += records.errors
        loader.report.counts["failed"] += records.failed
        return loader.report, len(documents) + loader.report.counts["failed"]

    def _summarize(self, report: LoadReport, files: int, elapsed: float, dry_run: bool,
                   unit: str = "file(s)") -> None:  # fmt: skip
        for line in report.warnings + report.unmapped_lines():
            self.stderr.write(f"warning: {line}")
        for line in report.errors:
            self.stderr.write(f"error: {line}")
        for rule, count in sorted(report.rules.items()):
            self.stderr.write(f"mapping: {rule}: {count} record(s)")
        for what, count in sorted(report.merged.items()):
            self.stderr.write(f"merged: {what}: {count} document(s)")
        c = report.counts
        documents = c["created"] + c["updated"] + c["unchanged"]
        rate = f" ({documents / elapsed:,.0f} documents/s)" if elapsed > 0 and documents else ""
        failed_volumes = f", {c['failed volumes']} volume(s) failed" if c["failed volumes"] else ""
        self.stderr.write(
            f"{'dry run: ' if dry_run else ''}{files} {unit} in {elapsed:.1f}s{rate}: "
            f"{c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{len(report.warnings) + len(report.unmapped)} warning(s), {c['failed']} failed"
            f"{failed_volumes}"
        )
        if c["failed"] or c["failed volumes"]:
            raise CommandError("some files failed to import", returncode=1)


OUTCOMES = ("created", "updated", "unchanged", "failed")


@contextmanager
def _dry(dry_run: bool) -> Iterator[None]:
    """An import: its outbox wakes the worker once, at the end. A dry run: everything
    in one transaction, rolled back."""
    if not dry_run:
        with deferred_processing():
            yield
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _parsed_or_error(parse, path: Path):
    """What parsing one volume gives: the volume, or the exception it raised."""
    try:
        return parse(path)
    except Exception as exc:
        return exc
