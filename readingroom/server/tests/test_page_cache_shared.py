"""The production server's page cache is shared by its processes (web/page_cache.py):
a page one process built, another sends as it is — and none sends it past a
withdrawal. Checked on `readingroom serve` itself, two sync processes."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request

import pytest
from django.db import connection

from readingroom.conf import REPO_ROOT
from readingroom.conftest import subprocess_env
from readingroom.server.tests.test_supervise import free_port, healthz
from readingroom.testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _request(path: str, port: int) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Connection: close\r\n\r\n").encode()  # fmt: skip


def _answer(sock: socket.socket) -> tuple[int, dict]:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    return int(head.split()[1]), (json.loads(body) if body.startswith(b"{") else {})


def _from_two_processes(path: str, port: int) -> list[tuple[int, dict]]:
    """The same request answered by both processes: a sync process serves one client at
    a time, so while one waits for the rest of the first request, the other must answer
    the second."""
    first, second = socket.create_connection(("127.0.0.1", port), timeout=30), None
    try:
        request = _request(path, port)
        first.sendall(request[:-2])  # the last line break held back: a process waits
        second = socket.create_connection(("127.0.0.1", port), timeout=30)
        second.sendall(request)
        answer_two = _answer(second)
        first.sendall(request[-2:])
        return [_answer(first), answer_two]
    finally:
        first.close()
        if second is not None:
            second.close()


def test_a_page_one_process_kept_is_sent_by_the_other_until_a_withdrawal(seeded) -> None:
    document = seeded["000"]
    path = f"/documents/{document.identifier}.json"
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "readingroom", "serve", "--port", str(port),
         "--processes", "2", "--threads", "1"],
        cwd=REPO_ROOT, env={**subprocess_env(), "READINGROOM_PAGE_CACHE_SECONDS": "600"},
    )  # fmt: skip
    try:
        wait_until(lambda: healthz(port), "the production server")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as page:
            assert json.load(page)["title"] == document.title  # built once, and kept
        # Changed behind the catalogue's back (no signal, no count): only a kept page
        # can still show the old title.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE catalogue_document SET title = %s WHERE id = %s",
                           ["Changed in the database", document.pk])  # fmt: skip
        answers = _from_two_processes(path, port)
        assert [a[1]["title"] for a in answers] == [document.title] * 2

        document.refresh_from_db()
        document.state, document.withdrawn_reason = "withdrawn", "Withdrawn for review."
        document.save()  # a withdrawal is counted: nothing kept before it is sent
        assert [a[0] for a in _from_two_processes(path, port)] == [404, 404]
    finally:
        process.terminate()
        process.wait(timeout=60)
