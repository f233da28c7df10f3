"""Zotero's own translation server, run beside the project (`../shared/tools/zotero`,
AGPL: called as a program, never copied or imported). `make zotero-deps` installs its
npm packages once; each call here starts the server, asks, and stops it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from readingroom.conf import corpus

# Beside the corpus in the shared folder, wherever READINGROOM_CORPUS points.
TOOL = corpus().parent / "tools" / "zotero"


def zotero(command: str, *args: str) -> Any:
    """Run `zotero-web` or `zotero-import` and return the JSON it prints."""
    done = subprocess.run([str(TOOL / command), "--compact", *args], capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, f"{command} failed ({done.returncode}): {done.stderr[-4000:]}"
    return json.loads(done.stdout)


def import_file(path: Path) -> list[dict[str, Any]]:
    return zotero("zotero-import", "--attachments", str(path))
