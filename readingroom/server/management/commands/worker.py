"""`readingroom worker`: django-tasks-db's worker with a heartbeat in the database."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from readingroom.server.heartbeat import Heartbeat


class Command(DBWorkerCommand):
    help = "Run the background task worker (outbox, page images, OCR), with a heartbeat."

    def handle(self, *args, **options) -> None:
        heartbeat = Heartbeat(options["worker_id"])
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
