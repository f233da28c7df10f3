"""The files an import reads: folders walked through symbolic links, each real file once.

Python 3.11's `Path.rglob` does not follow a link to a folder, so a corpus whose
`releases/` is a link read nothing there. `os.walk(followlinks=True)` follows them; a
folder is entered once (by device and inode), so a link back up the tree is no loop,
and a file reached by two routes (a link, or a folder named twice) is read once, under
the path first met in sorted order. Pure: no Django.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

FileId = tuple[int, int]  # (st_dev, st_ino): the file itself, whatever the path to it


def is_hidden(path: Path) -> bool:
    """Dot files, and `~$name.xlsx`, the lock file an office program keeps beside an
    open file: never input."""
    return path.name.startswith((".", "~$"))


def files_in(paths: list[Path], accepts: Callable[[Path], bool]) -> list[Path]:
    """Files named in `paths` as they are (the parser judges them), and the files in
    named folders that `accepts` takes, sorted within each folder; each real file once."""
    seen: set[FileId] = set()
    found: list[Path] = []
    for path in paths:
        candidates = _walk(path, accepts) if path.is_dir() else iter([path])
        for candidate in candidates:
            key = _file_id(candidate)
            if key is None or key not in seen:
                if key is not None:
                    seen.add(key)
                found.append(candidate)
    return found


def _walk(folder: Path, accepts: Callable[[Path], bool]) -> Iterator[Path]:
    entered: set[FileId] = set()
    found = []
    for root, dirs, names in os.walk(folder, followlinks=True):
        key = _file_id(Path(root))
        if key in entered:  # reached again through a link: its files are listed already
            dirs[:] = []
            continue
        if key is not None:
            entered.add(key)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # deterministic
        for name in names:
            child = Path(root, name)
            if not is_hidden(child) and accepts(child) and child.is_file():
                found.append(child)
    return iter(sorted(found))


def _file_id(path: Path) -> FileId | None:
    try:
        st = path.stat()  # follows links: the file or folder itself
    except OSError:
        return None  # a dangling link or a missing path: the caller reports it
    return st.st_dev, st.st_ino
