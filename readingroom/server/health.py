"""What `readingroom status` and /healthz report: database, search index, the task
worker's last heartbeat and the outbox backlog, each ok or not with its figures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from readingroom.server.heartbeat import STALE_AFTER

# How far behind the outbox may be before it is reported: pending changes older than
# this mean the worker is not keeping up (or not running).
OUTBOX_LAG_LIMIT_SECONDS = 300


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    figures: dict[str, Any] = field(default_factory=dict)


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", False, f"unreachable: {error}")
    return Check("database", True, f"{connection.vendor} answers", {"vendor": connection.vendor})


def index() -> Check:
    from readingroom.search.backends.base import SearchQuery
    from readingroom.search.indexer import get_backend

    try:
        total = get_backend().search(SearchQuery(limit=0)).total
    except Exception as error:  # any engine failure means search is down
        return Check("index", False, f"{settings.SEARCH_BACKEND} failed: {error}")
    return Check("index", True, f"{settings.SEARCH_BACKEND}: {total} documents",
                 {"backend": settings.SEARCH_BACKEND, "documents": total})  # fmt: skip


def worker() -> Check:
    from readingroom.server.models import WorkerHeartbeat

    try:
        last = WorkerHeartbeat.objects.order_by("-beat_at").first()
        alive = WorkerHeartbeat.objects.filter(beat_at__gte=timezone.now() - STALE_AFTER).count()
    except DatabaseError as error:
        return Check("worker", False, f"unknown: {error}")
    if last is None:
        return Check("worker", False, "no worker has run (readingroom worker)", {"alive": 0})
    age = (timezone.now() - last.beat_at).total_seconds()
    figures = {"alive": alive, "last_heartbeat": last.beat_at.isoformat(),
               "seconds_ago": round(age, 1), "host": last.hostname, "pid": last.pid}  # fmt: skip
    if not alive:
        return Check("worker", False, f"last heartbeat {age:.0f} s ago: not running", figures)
    return Check("worker", True, f"{alive} alive, last heartbeat {age:.0f} s ago", figures)


def outbox() -> Check:
    from readingroom.catalogue.models import OutboxEntry

    try:
        pending = OutboxEntry.objects.filter(processed_at__isnull=True)
        count = pending.count()
        oldest = pending.order_by("id").values_list("created_at", flat=True).first()
    except DatabaseError as error:
        return Check("outbox", False, f"unknown: {error}")
    lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    figures = {"pending": count, "oldest_seconds": round(lag, 1)}
    if lag > OUTBOX_LAG_LIMIT_SECONDS:
        return Check("outbox", False, f"{count} pending, oldest {lag:.0f} s old", figures)
    return Check("outbox", True, f"{count} pending" + (f", oldest {lag:.0f} s" if count else ""),
                 figures)  # fmt: skip


# What a load balancer needs to keep sending readers here: the database and the index.
# The worker and the outbox are background work; a site serves without them for a while.
SERVING = ("database", "index")


def report() -> dict[str, Any]:
    checks = [database(), index(), worker(), outbox()]
    return {
        "serving": all(c.ok for c in checks if c.name in SERVING),
        "ok": all(c.ok for c in checks),
        "profile": settings.PROFILE,
        "checks": {c.name: {k: v for k, v in asdict(c).items() if k != "name"} for c in checks},
    }
