"""Reading one NARA release list (xlsx) into rows, with every problem named by file, row
and column: a file calamine cannot read or that lacks a needed column cannot be used
(and the set it belongs to is refused: `nara_jfk.py`); a row without a record number or
release date is skipped alone; the rest is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from readingroom.ingest.parsers.nara_dates import ImpossibleDate, day_of
from readingroom.ingest.parsers.nara_jfk_columns import (
    RECORD_NUMBER_RE,
    Header,
    label,
    read_header,
    text,
)


@dataclass(slots=True)
class Row:
    """One data row of a list; `number` is the spreadsheet's own (header = 1)."""

    source: ReleaseList
    number: int
    cells: list[object]
    record_number: str
    released_on: date
    columns: dict[str, int]  # the list's header.columns, at hand: read 230,000 times

    def get(self, name: str) -> object:
        index = self.columns.get(name)
        return None if index is None or index >= len(self.cells) else self.cells[index]

    def text(self, name: str) -> str:
        return text(self.get(name))

    @property
    def where(self) -> str:
        return f"{self.source.path}: row {self.number}"


@dataclass
class ReleaseList:
    """A list's file and header, shared by its rows (which it does not hold: no cycle
    for the garbage collector to find)."""

    path: Path
    header: Header

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Problems:
    """Where a reader reports: errors skip a file or a row, warnings only inform."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_release_list(path: Path, problems: Problems) -> list[Row] | None:
    """The list's rows, or None (with an error) when the file cannot be used at all."""
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        # Keep leading empty rows so that index + 1 is the row number a reader sees.
        cells = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        problems.errors.append(f"{path}: cannot read as a spreadsheet: {exc}")
        return None
    start = next((i for i, row in enumerate(cells) if any(_filled(c) for c in row)), None)
    if start is None:
        problems.errors.append(f"{path}: the first sheet is empty")
        return None
    header = read_header(cells[start])
    if header.missing:
        for name in header.missing:
            problems.errors.append(f"{path}: missing needed column {label(name)}")
        return None
    if header.unknown:
        names = ", ".join(repr(n) for n in header.unknown)
        problems.warnings.append(f"{path}: unknown column(s) ignored: {names}")
    for written in header.repeated:
        problems.warnings.append(f"{path}: column {written!r} repeated; the first one is read")
    release_list = ReleaseList(path, header)
    rows = []
    for index in range(start + 1, len(cells)):
        row = _row(release_list, index + 1, cells[index], problems)
        if row is not None:
            rows.append(row)
    return rows


def _filled(cell: object) -> bool:
    return cell is not None and cell != ""


def _cell(cells: list[object], index: int) -> object:
    return cells[index] if index < len(cells) else None


def _row(
    release_list: ReleaseList,
    number: int,
    cells: list[object],
    problems: Problems,
) -> Row | None:
    header = release_list.header
    record_number = text(_cell(cells, header.columns["record_number"]))
    if not record_number:
        if not any(_filled(c) for c in cells):
            return None  # spreadsheets often end with formatted but empty rows
        problems.errors.append(
            f"{release_list.path}: row {number}: no record number ({label('record_number')});"
            " skipped"
        )
        return None
    if not RECORD_NUMBER_RE.match(record_number):
        problems.errors.append(
            f"{release_list.path}: row {number}: {label('record_number')}: {record_number!r}"
            " is not a record number (NNN-NNNNN-NNNNN); skipped"
        )
        return None
    try:
        released_on = day_of(_cell(cells, header.columns["release_date"]))
        if released_on is None:
            raise ImpossibleDate("empty")
    except ImpossibleDate as exc:
        column = header.written["release_date"]
        problems.errors.append(f"{release_list.path}: row {number}: {column}: {exc}; skipped")
        return None
    return Row(release_list, number, cells, record_number, released_on, header.columns)
