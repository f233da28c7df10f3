"""The task worker's heartbeat: a thread that stamps the worker's row every few seconds.

A thread, not a task: it beats while a long task (OCR of a scan) runs, and it needs
nothing from django-tasks-db's loop, which has no hook for it."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

from readingroom.server.models import WorkerHeartbeat

INTERVAL = 5.0  # seconds between beats
STALE_AFTER = timedelta(seconds=30)  # a worker silent this long is taken for dead

log = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, interval: float = INTERVAL) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id, self.interval = worker_id, interval
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"hostname": socket.gethostname(), "pid": os.getpid(),
                      "started_at": self.started_at, "beat_at": timezone.now()},
        )  # fmt: skip

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    self.beat()
                except DatabaseError as error:  # locked or gone for a moment: next beat
                    log.warning("worker heartbeat not written: %s", error)
                self.stopped.wait(self.interval)
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop beating and remove the row: a worker that stopped cleanly is not a dead one."""
        self.stopped.set()
        self.join(timeout=self.interval + 15)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError as error:
            log.warning("worker heartbeat not removed: %s", error)
