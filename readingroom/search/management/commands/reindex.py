from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from readingroom.search.indexer import reindex


class Command(BaseCommand):
    help = "Rebuild the search index from the catalogue (public documents only)."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        count = reindex()
        elapsed = time.monotonic() - started
        self.stderr.write(f"indexed {count} documents in {elapsed:.1f}s")
