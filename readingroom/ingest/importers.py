"""The importers, declared once: a name, a pure parser, and the files it takes.

`readingroom import NAME PATH...` looks the name up here; later importers (FRUS, NARA)
are one entry each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from readingroom.ingest.records import DocumentRecord, RecordSet, VolumeRecord
from readingroom.ingest.walk import files_in


@dataclass(frozen=True)
class Importer:
    name: str
    help: str
    suffixes: tuple[str, ...]  # which files in a folder this importer reads
    corpus_subdir: str  # where `make demo` finds its part of the shared corpus
    # Exactly one of: a file is one document, a file is a volume (all or nothing), the
    # files only make sense together (release lists merged per record, scans), or a
    # sheet with its folder of files.
    parse_file: Callable[[Path], DocumentRecord] | None = None
    parse_volume: Callable[[Path], VolumeRecord] | None = None
    parse_set: Callable[[list[Path]], RecordSet] | None = None
    # A set that takes options: `--files DIR` and `--mapping FILE` (an archivist's sheet).
    parse_sheet: Callable[[list[Path], Path | None, Path | None], RecordSet] | None = None


# Every record passes through the shared mapping tables between its parser and the
# loader (`ingest/names.py`: names that are not names; `ingest/repositories.py`:
# repository spellings), in the parsing process when parsing runs alongside (so the
# content hash covers what the tables made of it).


def mapped(record: DocumentRecord) -> DocumentRecord:
    names, repositories = _mapping_tables()
    return repositories(names(record))


@cache  # imported at first use: the registry is read before Django loads (early_start)
def _mapping_tables() -> tuple[Callable[[DocumentRecord], DocumentRecord], ...]:
    from readingroom.ingest.names import apply_name_rules
    from readingroom.ingest.repositories import apply_repository_rules

    return apply_name_rules, apply_repository_rules


def _parse_page(path: Path) -> DocumentRecord:
    from readingroom.ingest.parsers.pages import parse_page_file

    return mapped(parse_page_file(path))


def _parse_frus(path: Path) -> VolumeRecord:
    from readingroom.ingest.parsers.frus import parse_volume

    volume = parse_volume(path)
    items = volume.items
    volume.items = (mapped(item) if isinstance(item, DocumentRecord) else item for item in items)
    return volume


def _parse_nara_jfk(paths: list[Path]) -> RecordSet:
    from readingroom.ingest.parsers.nara_jfk import stream_release_set

    records = stream_release_set(paths)
    records.documents = map(mapped, records.documents)
    return records


def _parse_sheet(paths: list[Path], files: Path | None, mapping: Path | None) -> RecordSet:
    from readingroom.ingest.parsers.sheet import parse_sheet

    records = parse_sheet(paths, files, mapping)
    records.documents = [mapped(record) for record in records.documents]
    return records


IMPORTERS: dict[str, Importer] = {
    "pages": Importer(
        name="pages",
        help="Plain-text captures of archive document pages (like the seed pages).",
        suffixes=(".txt",),
        parse_file=_parse_page,
        corpus_subdir="seeds",
    ),
    "frus": Importer(
        name="frus",
        help="Foreign Relations of the United States volumes in TEI XML, one file a volume.",
        suffixes=(".xml",),
        parse_volume=_parse_frus,
        corpus_subdir="frus",
    ),
    "nara-jfk": Importer(
        name="nara-jfk",
        help="NARA JFK Assassination Records: release lists (xlsx) and scans (PDF) together.",
        suffixes=(".xlsx", ".pdf"),
        parse_set=_parse_nara_jfk,
        corpus_subdir="nara-jfk",
    ),
    "sheet": Importer(
        name="sheet",
        help="An archivist's spreadsheet (CSV or XLSX, one row a document) with its folder "
        "of scans and texts: readingroom import sheet SHEET [--files DIR] [--mapping MAP].",
        suffixes=(".csv", ".xlsx"),
        parse_sheet=_parse_sheet,
        corpus_subdir="",  # the demo's sheets are listed in ingest/data/demo_sheets.json
    ),
}


def input_files(importer: Importer, paths: list[Path]) -> list[Path]:
    """What the importer reads: files as given, folders expanded (through symbolic
    links) to the files it takes, each real file once; the summary counts them."""
    return files_in(list(paths), lambda path: path.suffix.lower() in importer.suffixes)
