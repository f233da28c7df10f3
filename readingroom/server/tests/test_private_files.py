"""Everything a site writes into its data directory is private to the server's user:
files 0600, folders 0700 (drafts, embargoed records and the secret key live there)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from readingroom.conf import REPO_ROOT
from readingroom.server.tests.conftest import LIST_2023, NARA, SCANNED


def test_a_new_site_is_private(tmp_path) -> None:
    home = tmp_path / "site"
    env = {**os.environ, "READINGROOM_HOME": str(home), "DATABASE_URL": ""}  # SQLite

    def readingroom(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "readingroom", *args], cwd=REPO_ROOT, env=env,
                       check=True, capture_output=True)  # fmt: skip

    readingroom("migrate", "--no-input")
    readingroom("import", "nara-jfk", str(LIST_2023), str(NARA / "scans" / f"{SCANNED}.pdf"),
                "--no-progress")  # fmt: skip
    readingroom("process-outbox")
    readingroom("manage", "collectstatic", "--no-input")
    modes: dict[str, int] = {}
    for path in [home, *home.rglob("*")]:
        modes[str(path.relative_to(home))] = stat.S_IMODE(path.lstat().st_mode)
    assert modes["."] == 0o700
    for name in ("readingroom.sqlite3", "secret_key"):
        assert modes[name] == 0o600, name
    assert any(name.startswith("files/") for name in modes)  # the scan is stored
    assert any(name.startswith("index/") for name in modes)
    assert any(name.startswith("static/") for name in modes)
    public = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert public == {}
