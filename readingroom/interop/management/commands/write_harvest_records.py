"""`readingroom manage write_harvest_records`: what the worker does after changes, now."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from readingroom.interop.harvest_records import write_pending


class Command(BaseCommand):
    help = ("Write the OAI-PMH records of public documents that lack a current one (the "
            "worker does this after every change; run it after an upgrade to have them "
            "ready at once).")  # fmt: skip

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        progress = None
        if self.stderr.isatty():
            def progress(done: int) -> None:
                self.stderr.write(f"\r{done} records written", ending="")
        count, _ = write_pending(progress)
        if progress is not None:
            self.stderr.write("")
        elapsed = time.monotonic() - started
        self.stderr.write(f"wrote {count} records in {elapsed:.1f}s")
