from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per task worker, updated every few seconds while it lives: `readingroom
    status` and /healthz tell from it whether background work (index, OCR) is running.
    In the database, not a file, so a worker on another host is seen too."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} ({self.hostname}:{self.pid})"
