"""Import every part of the sample corpus that has an importer (used by `make demo`)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from readingroom.ingest.importers import IMPORTERS

DATA = Path(__file__).resolve().parents[2] / "data"


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
        quiet = not self.stderr.isatty()
        for name, importer in IMPORTERS.items():
            folder = root / importer.corpus_subdir
            if importer.corpus_subdir and folder.is_dir():
                call_command("import", name, str(folder), no_progress=quiet)
        for sheet, files, mapping in demo_sheets(root):
            if sheet.is_file() and files.is_dir():
                call_command("import", "sheet", str(sheet), files=files, mapping=mapping,
                             no_progress=quiet)


def demo_sheets(root: Path) -> list[tuple[Path, Path, Path]]:
    """The archivists' sheets of the sample corpus, with their files and mappings
    (`ingest/data/demo_sheets.json`): (sheet, folder of files, mapping file)."""
    data = json.loads((DATA / "demo_sheets.json").read_text(encoding="utf-8"))

    def where(name: str) -> Path:
        return DATA / name if name.startswith("sheets/") else root / name

    return [(where(s["sheet"]), where(s["files"]), DATA / s["mapping"]) for s in data["sheets"]]
