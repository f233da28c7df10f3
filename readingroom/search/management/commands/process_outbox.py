from __future__ import annotations

from django.core.management.base import BaseCommand

from readingroom.search.tasks import process_pending


class Command(BaseCommand):
    help = "Send pending outbox entries to the search backend now, in this process."

    def handle(self, *args, **options) -> None:
        done = process_pending()
        self.stderr.write(f"processed {done} outbox entr{'y' if done == 1 else 'ies'}")
