"""`readingroom run` (what `make demo` serves with): the production server and one
worker, each restarted when it dies, both stopped by SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from readingroom.conf import REPO_ROOT
from readingroom.conftest import subprocess_env
from readingroom.server.models import WorkerHeartbeat
from readingroom.testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> dict[str, int]:
    """The supervisor's children by role (server or worker), from /proc."""
    found = {}
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:  # ended between the two reads
            continue
        for role in ("serve", "worker"):
            if role.encode() in argv:
                found[role] = int(child)
    return found


def niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def healthz(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
            return json.load(r)
    except (urllib.error.URLError, ConnectionError):
        return None


def test_server_and_worker_are_restarted_when_they_die(seeded) -> None:
    port = free_port()
    env = {**subprocess_env(), "READINGROOM_SERVER_PROCESSES": "1",
           "READINGROOM_SERVER_THREADS": "2"}  # fmt: skip
    run = subprocess.Popen([sys.executable, "-m", "readingroom", "run", "--port", str(port)],
                           cwd=REPO_ROOT, env=env)  # fmt: skip
    try:
        def worker_beating(pid: int | None = None) -> bool:
            report = healthz(port)
            beats = WorkerHeartbeat.objects.filter(pid=pid) if pid else WorkerHeartbeat.objects
            return bool(report and report["checks"]["worker"]["ok"] and beats.exists())

        wait_until(worker_beating, "the server answering and the worker's heartbeat")
        first = children(run.pid)
        assert set(first) == {"serve", "worker"}
        # Readers first: the worker runs below the server's CPU priority (unless the
        # tests themselves run lower still).
        assert niceness(first["worker"]) == max(10, niceness(first["serve"]))
        assert niceness(first["serve"]) == os.getpriority(os.PRIO_PROCESS, 0)

        os.kill(first["worker"], signal.SIGKILL)
        new_worker = wait_until(lambda: (p := children(run.pid).get("worker")) != first["worker"]
                                and p, "a new worker")  # fmt: skip
        wait_until(lambda: worker_beating(new_worker), "the new worker's heartbeat")

        os.kill(first["serve"], signal.SIGKILL)
        wait_until(lambda: (p := children(run.pid).get("serve")) and p != first["serve"],
                   "a new server")  # fmt: skip
        assert wait_until(lambda: healthz(port), "the new server answering")["serving"]
        assert children(run.pid)["worker"] == new_worker  # the worker was left alone
    finally:
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=60) == 0
    assert healthz(port) is None  # both stopped with it
    assert not WorkerHeartbeat.objects.filter(pid=new_worker).exists()  # stopped cleanly
