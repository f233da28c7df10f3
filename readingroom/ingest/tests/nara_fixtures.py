"""Shared by the NARA parser tests: the corpus paths, the parse of them (cached), and
altered copies of real lists written with xlsxwriter."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from readingroom.conf import corpus
from readingroom.ingest.fold import fold
from readingroom.ingest.importers import IMPORTERS
from readingroom.ingest.records import DocumentRecord, RecordSet

NARA = corpus() / "nara-jfk"
RELEASES, SCANS = NARA / "releases", NARA / "scans"
L2021, L2022 = RELEASES / "jfk2021.xlsx", RELEASES / "jfk2022.xlsx"
L2023 = RELEASES / "national-archives-jfk-assassination-records-2023-release.xlsx"
ITKIN = "104-10107-10135"


@cache
def parsed(*paths: Path) -> RecordSet:
    """The set as the importer reads it: the parser, then the shared name rules."""
    records = IMPORTERS["nara-jfk"].parse_set(list(paths))
    records.documents = list(records.documents)
    return records


@cache
def documents(*paths: Path) -> dict[str, DocumentRecord]:
    """Each record number as the catalogue makes it of what each list and its scan say
    (one record each): folded by the loader's rules (`ingest/fold.py`)."""
    return fold(parsed(*paths).documents)


def doc(identifier: str) -> DocumentRecord:
    return documents(NARA)[identifier]


def sheet(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """An altered list: strings and numbers as they are, dates as Excel dates."""
    workbook = xlsxwriter.Workbook(str(path))
    worksheet = workbook.add_worksheet()
    day_format = workbook.add_format({"num_format": "mm/dd/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                worksheet.write_datetime(
                    r, c, datetime(value.year, value.month, value.day), day_format
                )
            elif value not in ("", None):
                worksheet.write(r, c, value)
    workbook.close()
    return path


def sample(path: Path = L2023, rows: int = 30) -> list[list[object]]:
    return [list(r) for r in sheet(path)[: rows + 1]]
