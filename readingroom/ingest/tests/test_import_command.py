"""`readingroom import pages`, run as a user runs it: a real process, exit codes,
stdout for data and stderr for messages, bad files named with their missing field."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readingroom.catalogue import models as m
from readingroom.conftest import SEED_000, SEED_003, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "readingroom", *args],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_then_reimport(tmp_path: Path) -> None:
    first = run("import", "pages", str(SEED_000), str(SEED_003), "--no-progress")
    assert first.returncode == 0, first.stderr
    assert "2 created" in first.stderr and first.stdout == ""
    second = run("import", "pages", str(SEED_000.parent), "--no-progress")
    assert second.returncode == 0, second.stderr
    assert "0 created, 0 updated, 2 unchanged" in second.stderr
    assert m.Document.objects.count() == 2


def test_bad_files_are_named_and_the_others_still_import(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEED_003, folder)
    (folder / "010_0000000000000bad.txt").write_text("Skip to content\n\nApril 5, 1963\n")
    (folder / "011_00000000000000ff.txt").write_text(
        "Skip to content\n\nA page without any date\n\nSome text.\n"
    )
    (folder / "012_00000000000000ee.txt").write_bytes(b"\xff\xfe\x00bad bytes")
    result = run("import", "pages", str(folder), "--no-progress")
    assert result.returncode == 1
    assert "010_0000000000000bad.txt" in result.stderr and "title" in result.stderr
    assert "011_00000000000000ff.txt" in result.stderr and "date" in result.stderr
    assert "012_00000000000000ee.txt" in result.stderr
    assert "1 created" in result.stderr and "3 failed" in result.stderr
    assert list(m.Document.objects.values_list("sources__id_in_source", flat=True)) == [
        "72ecfa0892306d99"
    ]


def test_missing_path_and_help() -> None:
    missing = run("import", "pages", "/no/such/folder")
    assert missing.returncode != 0 and "/no/such/folder" in missing.stderr
    usage = run("import", "--help")
    assert usage.returncode == 0 and "pages" in usage.stdout
    top = run("--help")
    assert top.returncode == 0 and "import" in top.stdout and "serve" in top.stdout
    unknown = run("frobnicate")
    assert unknown.returncode == 2 and "unknown verb" in unknown.stderr
