"""The files an import reads (`ingest/walk.py`): through symbolic links, each real file
once, no endless walk through a link back up the tree."""

from __future__ import annotations

from pathlib import Path

from readingroom.ingest.walk import files_in


def txt(path: Path) -> bool:
    return path.suffix == ".txt"


def test_links_are_followed_each_file_once_without_loops(tmp_path) -> None:
    real = tmp_path / "real"
    (real / "deeper").mkdir(parents=True)
    for name in ("a.txt", "deeper/b.txt", "c.pdf", ".hidden.txt", "~$lock.txt"):
        (real / name).write_text("x")
    top = tmp_path / "top"
    top.mkdir()
    (top / "linked").symlink_to(real, target_is_directory=True)
    (top / "again").symlink_to(real / "deeper", target_is_directory=True)
    (top / "up").symlink_to(top, target_is_directory=True)
    (top / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    found = files_in([top, real / "a.txt"], txt)
    assert sorted(p.resolve() for p in found) == [real / "a.txt", real / "deeper" / "b.txt"]
    assert len(found) == 2


def test_named_files_are_passed_as_given_for_the_parser_to_judge(tmp_path) -> None:
    missing, other = tmp_path / "missing.txt", tmp_path / "notes.md"
    other.write_text("x")
    assert files_in([missing, other, other], txt) == [missing, other]
