"""The importers, declared once: a name, a pure parser, and the files it takes.

`readingroom import NAME PATH...` looks the name up here; later importers (FRUS, NARA)
are one entry each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from readingroom.ingest.records import DocumentRecord


@dataclass(frozen=True)
class Importer:
    name: str
    help: str
    pattern: str  # which files in a folder this importer reads
    parse_file: Callable[[Path], DocumentRecord]
    corpus_subdir: str  # where `make demo` finds its part of the shared corpus


def _parse_page(path: Path) -> DocumentRecord:
    from readingroom.ingest.parsers.pages import parse_page_file

    return parse_page_file(path)


IMPORTERS: dict[str, Importer] = {
    "pages": Importer(
        name="pages",
        help="Plain-text captures of archive document pages (like the seed pages).",
        pattern="*.txt",
        parse_file=_parse_page,
        corpus_subdir="seeds",
    ),
}


def expand_paths(importer: Importer, paths: list[Path]) -> Iterator[Path]:
    """Files as given, folders expanded to their matching files in sorted order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob(importer.pattern) if p.is_file())
        else:
            yield path
