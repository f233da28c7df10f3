"""Run a command against a throw-away PostgreSQL cluster on loopback.

    python -m readingroom.testing.postgres -- pytest ...

Starts Debian's PostgreSQL (initdb + pg_ctl) in a temporary folder on a free port,
sets DATABASE_URL for the command, and removes the cluster afterwards whatever
happens. As root (CI) the server runs as the `postgres` user, since PostgreSQL refuses
to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if not candidates:
        raise SystemExit("PostgreSQL is not installed: run scripts/install-system-deps")
    return Path(candidates[0]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh cluster; stop and delete it on exit."""
    bindir, port = _bindir(), _free_port()
    root = Path(tempfile.mkdtemp(prefix="readingroom-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = dict(check=True, stdout=subprocess.DEVNULL)
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            **run,
        )
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-w",
                    "-l",
                    str(root / "server.log"),
                    "-o",
                    f"-h 127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off"
                    " -c synchronous_commit=off",
                    "start",
                ]
            ),
            **run,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/readingroom"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: python -m readingroom.testing.postgres -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    with throwaway_cluster() as url:
        print(f"throw-away PostgreSQL cluster at {url}", file=sys.stderr)
        env = {**os.environ, "DATABASE_URL": url, "READINGROOM_TEST_POSTGRES": "1"}
        return subprocess.run(argv, env=env, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
