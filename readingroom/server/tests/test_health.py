"""/healthz and `readingroom status`: database, index, the worker's heartbeat, outbox."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from readingroom.conf import REPO_ROOT
from readingroom.conftest import subprocess_env
from readingroom.server.heartbeat import Heartbeat
from readingroom.server.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)


def test_healthz_reports_each_part(client, seeded, search_index) -> None:
    search_index()
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    checks = report["checks"]
    assert checks["database"]["ok"] and checks["index"]["ok"]
    assert checks["index"]["figures"]["documents"] == 2
    assert not checks["worker"]["ok"] and "no worker" in checks["worker"]["detail"]
    assert report["serving"] and not report["ok"]  # serves; background work is not running
    assert checks["outbox"]["figures"]["pending"] == 0

    beat = Heartbeat("test-worker")
    beat.beat()
    checks = client.get("/healthz").json()["checks"]
    assert checks["worker"]["ok"] and checks["worker"]["figures"]["alive"] == 1

    # A heartbeat older than the staleness limit is a dead worker.
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=5))
    worker = client.get("/healthz").json()["checks"]["worker"]
    assert not worker["ok"] and "not running" in worker["detail"]


def test_outbox_backlog_is_counted(client, make_document) -> None:
    make_document()
    outbox = client.get("/healthz").json()["checks"]["outbox"]
    assert outbox["ok"] and outbox["figures"]["pending"] >= 1


def test_healthz_is_unavailable_when_the_index_is_broken(client, settings, tmp_path) -> None:
    settings.SEARCH_BACKEND = "nonexistent"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["checks"]["index"]["ok"]


def _status(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readingroom", "status", *args],
                          cwd=REPO_ROOT, env=subprocess_env(), capture_output=True,
                          text=True, check=False)  # fmt: skip


def test_status_command(seeded, search_index) -> None:
    search_index()
    failing = _status()
    assert failing.returncode == 1
    assert "ok   database" in failing.stdout and "FAIL worker" in failing.stdout
    Heartbeat("test-worker").beat()
    passing = _status()
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "ok   index     tantivy: 2 documents" in passing.stdout
    assert '"serving": true' in _status("--json").stdout
