"""Import every part of the sample corpus that has an importer (used by `make demo`)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from readingroom.ingest.importers import IMPORTERS


class Command(BaseCommand):
    help = "Import the sample corpus ($READINGROOM_CORPUS), each importer its folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "corpus",
            nargs="?",
            type=Path,
            default=None,
            help="corpus folder (default: $READINGROOM_CORPUS)",
        )

    def handle(self, *args, corpus: Path | None, **options) -> None:
        root = corpus or Path(settings.CORPUS_DIR)
        if not root.is_dir():
            raise CommandError(f"corpus folder not found: {root} (set READINGROOM_CORPUS)")
        for name, importer in IMPORTERS.items():
            folder = root / importer.corpus_subdir
            if folder.is_dir():
                call_command("import", name, str(folder), no_progress=not self.stderr.isatty())
