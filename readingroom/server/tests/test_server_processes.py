"""`readingroom serve` with two processes: both take connections, even a burst of
keep-alive ones (as wrk, a proxy or a browser opens), and they share the page cache
(web/page_cache.py): a page one process built, the other sends as it is — and none
sends it past a withdrawal."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from readingroom.conf import REPO_ROOT
from readingroom.conftest import subprocess_env
from readingroom.server.tests.test_supervise import free_port, healthz
from readingroom.testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


CONNECTIONS = 24  # all of them sent to one process: one chance in 2 ** 23


def _from_both_processes(path: str, port: int) -> list[tuple[int, str | None]]:
    """Status and title of the same request over many new connections: each process
    listens on its own socket and the kernel spreads connections over them by their
    addresses, so both processes answer some."""
    answers = []
    for _ in range(CONNECTIONS):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as page:
                answers.append((page.status, json.load(page)["title"]))
        except urllib.error.HTTPError as error:
            answers.append((error.code, None))
    return answers


@pytest.fixture
def two_processes(db) -> Iterator[tuple[int, int]]:
    """`readingroom serve` with two processes, its settings as shipped: its port and pid
    (a document's JSON twin is kept for READINGROOM_PAGE_CACHE_DOCUMENT_SECONDS)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "readingroom", "serve", "--port", str(port), "--processes", "2"],
        cwd=REPO_ROOT, env=subprocess_env(),
    )  # fmt: skip
    try:
        wait_until(lambda: healthz(port), "the production server")
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=60)


def _sockets_of(pid: int, port: int, state: str) -> set[str]:
    """The inodes of the TCP sockets on `port` in `state` (01 established, 0A listening)
    that process `pid` holds."""
    held = {fd.readlink().as_posix()[8:-1] for fd in Path(f"/proc/{pid}/fd").iterdir()
            if fd.readlink().as_posix().startswith("socket:[")}  # fmt: skip
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state and fields[9] in held:
            found.add(fields[9])
    return found


def test_a_burst_of_keep_alive_connections_is_spread_over_both_processes(two_processes) -> None:
    """On one shared socket, whichever process was free when a burst came (wrk at
    its start, a proxy after a restart) took every keep-alive connection, and the other
    sat idle for as long as they lasted: bench/load.py saw it. Each process listens on
    its own socket (SO_REUSEPORT) and the kernel spreads connections over them."""
    port, master = two_processes

    def listening() -> tuple[list[int], list[set[str]]] | None:
        workers = [int(pid) for pid in
                   Path(f"/proc/{master}/task/{master}/children").read_text().split()]  # fmt: skip
        sockets = [_sockets_of(pid, port, "0A") for pid in workers]
        return (workers, sockets) if len(workers) == 2 and all(sockets) else None

    workers, sockets = wait_until(listening, "both processes listening")
    assert not sockets[0] & sockets[1]  # each its own socket
    burst = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(32)]
    try:
        for sock in burst:
            sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        for sock in burst:
            assert sock.recv(12).startswith(b"HTTP/1.1 ")  # answered, and kept open
        held = sorted(len(_sockets_of(pid, port, "01")) for pid in workers)
        # Spread by a hash of each connection's addresses: all 32 on one process has
        # one chance in 2 ** 31.
        assert sum(held) == 32 and held[0] >= 1, held
    finally:
        for sock in burst:
            sock.close()


def test_a_page_one_process_kept_is_sent_by_the_other_until_a_withdrawal(seeded, two_processes
                                                                        ) -> None:  # fmt: skip
    port, _ = two_processes
    document = seeded["000"]
    path = f"/documents/{document.identifier}.json"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as page:
        assert json.load(page)["title"] == document.title  # built once, and kept
    # Changed behind the catalogue's back (no signal, no count): only a kept page can
    # still show the old title.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalogue_document SET title = %s WHERE id = %s",
                       ["Changed in the database", document.pk])  # fmt: skip
    assert _from_both_processes(path, port) == [(200, document.title)] * CONNECTIONS

    document.refresh_from_db()
    document.state, document.withdrawn_reason = "withdrawn", "Withdrawn for review."
    document.save()  # a withdrawal is counted: nothing kept before it is sent
    assert _from_both_processes(path, port) == [(404, None)] * CONNECTIONS
