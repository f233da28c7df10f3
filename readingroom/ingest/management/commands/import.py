"""readingroom import SOURCE PATH... — parse source files and load them."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from readingroom.catalogue.outbox import deferred_processing
from readingroom.ingest.importers import IMPORTERS, expand_paths
from readingroom.ingest.loader import Loader
from readingroom.ingest.records import ParseError


class Command(BaseCommand):
    help = "Import source files into the catalogue. Sources: " + ", ".join(
        f"{name} ({imp.help})" for name, imp in IMPORTERS.items()
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(IMPORTERS), help="which importer to use")
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and compare, write nothing"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(
        self, *args, source: str, paths: list[Path], dry_run: bool, no_progress: bool, **options
    ) -> None:
        importer = IMPORTERS[source]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        files = list(expand_paths(importer, paths))
        loader = Loader(dry_run=dry_run)
        started = time.monotonic()
        parse_failures = 0
        with deferred_processing():
            for path in tqdm(
                files,
                unit="file",
                file=sys.stderr,
                disable=no_progress or None,
                desc=f"import {source}",
            ):
                try:
                    record = importer.parse_file(path)
                except ParseError as exc:
                    loader.report.errors.append(str(exc))
                    parse_failures += 1
                    continue
                except (OSError, UnicodeDecodeError) as exc:
                    loader.report.errors.append(f"{path}: cannot read: {exc}")
                    parse_failures += 1
                    continue
                loader.load(record)
        report = loader.report
        report.counts["failed"] += parse_failures
        elapsed = time.monotonic() - started
        for line in report.warnings:
            self.stderr.write(f"warning: {line}")
        for line in report.errors:
            self.stderr.write(f"error: {line}")
        c = report.counts
        self.stderr.write(
            f"{'dry run: ' if dry_run else ''}{len(files)} file(s) in {elapsed:.1f}s: "
            f"{c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{len(report.warnings)} warning(s), {c['failed']} failed"
        )
        if c["failed"]:
            raise CommandError(f"{c['failed']} record(s) failed to import", returncode=1)
