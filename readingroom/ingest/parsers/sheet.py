"""An archivist's spreadsheet (CSV or XLSX) and its folder of files, as records.

One row is one document. Its columns map to catalogue fields through the mapping
(`ingest/sheet_mapping.py`: default column names, or a mapping file); a column that
maps to nothing is reported once. Every row is checked before anything is written, and
every problem is named by row, column and value: an unknown language code, a date that
cannot be read (or two date columns that disagree), a missing or unreadable file, a
row repeating another's key, a marking not in the vocabulary, a relation to a row that
is not there. A row with a problem is not imported; the others are (the loader writes
each row in its own transaction). A sheet that cannot be read at all (no such file, a
needed column missing, a broken mapping file) raises ParseError: nothing is imported.

A row may name several files (joined by the mapping's separator): scans (PDF, PNG,
JPEG, TIFF), stored and read page by page; and texts (HTML or plain text), kept as the
document's texts, each with its language (the Language cell's values in the order of
the text files, or its one value for all), role (`Role`) and translator. A row points
at other rows (by their File or identifier) as "translation of", "language version of"
and "part of". Pure: no Django.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from readingroom.ingest.parsers.sheet_files import FileFinder, ScanFile, TextFile, read_file
from readingroom.ingest.parsers.sheet_values import (
    CellError,
    agents,
    classification_level,
    iso_date,
    language,
    split_top_level,
    written_date,
)
from readingroom.ingest.records import (
    ArchivalReferenceRecord,
    ClassificationRecord,
    DateRecord,
    DocumentRecord,
    FileRecord,
    IdentifierRecord,
    ParseError,
    RecordSet,
    RelationRecord,
    SourceRecord,
    TextRecord,
)
from readingroom.ingest.sheet_mapping import SheetMapping, read_mapping_file, resolve

IMPORTER_PREFIX = "sheet:"  # + the source's name: the records' importer in the catalogue
SHEET_SUFFIXES = (".csv", ".xlsx")
RELATIONS = {"translation_of": "translation-of", "language_version_of": "language-version-of",
             "part_of": "part-of"}  # fmt: skip
TEXT_ROLES = ("original", "language-version", "translation", "transcript")
IDENTIFIERS = (("UN document symbol", "symbol"), ("Reference", "reference"))
# What a record no rights rule of its source covers gets: nobody has looked yet.
NOT_EVALUATED = "http://rightsstatements.org/vocab/CNE/1.0/"
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Row:
    number: int  # as a spreadsheet program shows it: the header is row 1
    cells: dict[str, str]  # field → the cell's text, stripped
    mapping: SheetMapping

    def get(self, name: str) -> str:
        return self.cells.get(name, "")

    def values(self, name: str) -> list[str]:
        return split_top_level(self.get(name), self.mapping.separator)


@dataclass
class RowProblems:
    sheet: Path
    errors: list[str] = field(default_factory=list)
    refused: set[int] = field(default_factory=set)  # rows not imported

    def add(self, row: Row, name: str, message: str, value: str | None = None) -> None:
        """One problem, named by row, column (as the sheet spells it) and value."""
        column = row.mapping.column_of(name) or name
        shown = row.get(name) if value is None else value
        self.errors.append(f"{self.sheet}: row {row.number}, column {column!r}, "
                           f"value {shown!r}: {message}")  # fmt: skip
        self.refused.add(row.number)


def find_sheet(paths: list[Path]) -> Path:
    """The one sheet named, or the one sheet in a named folder."""
    if len(paths) != 1:
        raise ParseError(", ".join(map(str, paths)), "sheet", "name one sheet (CSV or XLSX)")
    path = paths[0]
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.suffix.lower() in SHEET_SUFFIXES
                       and not p.name.startswith((".", "~$")))  # fmt: skip
        if len(found) != 1:
            raise ParseError(str(path), "sheet", f"{len(found)} sheets (CSV or XLSX) in the "
                             "folder: name the one to import")  # fmt: skip
        return found[0]
    return path


def parse_sheet(paths: list[Path], files: Path | None = None,
                mapping_file: Path | None = None) -> RecordSet:  # fmt: skip
    """The sheet's rows as records, each problem in `errors` (its row left out);
    ParseError when the sheet cannot be used at all."""
    sheet = find_sheet(paths)
    header, raw_rows = read_cells(sheet)
    mapping = resolve(header, read_mapping_file(mapping_file), sheet)
    folder = files or sheet.parent
    if not folder.is_dir():
        raise ParseError(str(folder), "files", "no such folder")
    problems = RowProblems(sheet)
    warnings = [f"{sheet}: column {name!r} fits no catalogue field: ignored"
                for name in mapping.unknown]  # fmt: skip
    rows = [Row(n, {mapping.columns[h]: v for h, v in zip(header, cells, strict=False)
                    if h in mapping.columns}, mapping)
            for n, cells in raw_rows]  # fmt: skip
    builder = RecordBuilder(sheet, mapping, FileFinder(folder), problems, warnings)
    keys = builder.keys(rows)
    records = [builder.record(row, keys) for row in rows]
    documents = [r for row, r in zip(rows, records, strict=True)
                 if r is not None and row.number not in problems.refused]  # fmt: skip
    return RecordSet([], documents, warnings, problems.errors, expected=len(documents),
                     failed=len(problems.refused))


def read_cells(sheet: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows (with their numbers, empty rows left out), every
    cell as text."""
    if not sheet.is_file():
        raise ParseError(str(sheet), "sheet", "no such file")
    suffix = sheet.suffix.lower()
    try:
        if suffix == ".csv":
            with sheet.open(encoding="utf-8-sig", newline="") as handle:
                table = [[c.strip() for c in row] for row in csv.reader(handle)]
        elif suffix == ".xlsx":
            book = CalamineWorkbook.from_path(str(sheet)).get_sheet_by_index(0)
            table = [[_cell(c) for c in row] for row in book.to_python(skip_empty_area=False)]
        else:
            raise ParseError(str(sheet), "sheet", "a sheet is a .csv or .xlsx file")
    except UnicodeDecodeError as exc:
        raise ParseError(str(sheet), "sheet", f"a CSV sheet must be UTF-8 ({exc})") from exc
    except (CalamineError, OSError, ValueError, csv.Error) as exc:
        raise ParseError(str(sheet), "sheet", f"cannot read it: {exc}") from exc
    numbered = [(i + 1, row) for i, row in enumerate(table) if any(row)]
    if not numbered:
        raise ParseError(str(sheet), "sheet", "it is empty")
    (_, header), body = numbered[0], numbered[1:]
    return [h.strip() for h in header], body


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else " ".join(str(value).split())


class RecordBuilder:
    def __init__(self, sheet: Path, mapping: SheetMapping, finder: FileFinder,
                 problems: RowProblems, warnings: list[str]) -> None:  # fmt: skip
        self.sheet, self.mapping, self.finder = sheet, mapping, finder
        self.problems, self.warnings = problems, warnings
        self.importer = IMPORTER_PREFIX + mapping.source
        self.row_keys: dict[int, str] = {}  # row number → its key

    def key_of(self, row: Row) -> str:
        """The row's id in its source: its identifier, else its first file's name."""
        return row.get("identifier") or (row.values("files") or [""])[0]

    def keys(self, rows: list[Row]) -> dict[str, int]:
        """Each key (and each file name) → the row that holds it; a row repeating an
        earlier row's key is refused, naming that row."""
        seen: dict[str, int] = {}
        for row in rows:
            key = self.key_of(row)
            name = "identifier" if row.get("identifier") else "files"
            if not key:
                self.problems.add(row, name, "the row has neither an identifier nor a file")
            elif key in seen:
                self.problems.add(row, name, f"duplicate row: row {seen[key]} has the same "
                                  f"{'identifier' if name == 'identifier' else 'file'}",
                                  key)  # fmt: skip
            else:
                seen[key] = row.number
                self.row_keys[row.number] = key
                for other in row.values("files"):  # a relation may name any of them
                    seen.setdefault(other, row.number)
        return seen

    def record(self, row: Row, keys: dict[str, int]) -> DocumentRecord | None:
        """The row's record, or None when it cannot be built (its problems reported)."""
        key = self.key_of(row)
        if not key or row.number in self.problems.refused:
            return None
        check = _Checker(row, self.problems)
        languages = [c for v in row.values("language") if (c := check(language, "language", v))]
        if not languages:
            check.fail("language", "no language: the catalogue needs the text's language")
        title = row.get("title")
        if not title:
            check.fail("title", "no title")
        record = DocumentRecord(
            identifier=self._identifier(row, key),
            source=SourceRecord(self.importer, str(self.sheet), key),
            title=title,
            date=self._date(row, check),
            summary=row.get("summary"),
            document_type=row.get("document_type"),
            physical_form=row.get("physical_form"),
            classification=self._classification(row, check),
            languages=languages,
            state=self.mapping.state or "draft",
            title_original=row.get("title_original"),
            title_original_language=languages[0] if row.get("title_original") and languages else "",
            notes=row.get("notes"),
        )  # fmt: skip
        record.agents = agents(row.get("creator"), "author", self.mapping.separator) + agents(
            row.get("recipient"), "recipient", self.mapping.separator
        )
        record.subjects = row.values("subjects")
        record.identifiers = [IdentifierRecord(scheme, v) for scheme, name in IDENTIFIERS
                              for v in row.values(name)]  # fmt: skip
        # A holding as the sheet names it (the un-ussr "Repository" is the issuing body's
        # records, not a verified custodian): kept as written, linked to no repository.
        held = row.values("archival_reference") + row.values("repository")
        record.archival_references = [ArchivalReferenceRecord(as_written=v) for v in held]
        if row.get("pages"):
            record.extent_pages = check(_count, "pages", row.get("pages"))
        self._files(row, record, languages, check)
        self._relations(row, record, keys, check)
        record.rights_uri, record.rights_text = self._rights(row)
        return None if row.number in self.problems.refused else record

    def _identifier(self, row: Row, key: str) -> str:
        given = row.get("identifier")
        if given:
            return given
        stem = Path(key).stem
        return (self.mapping.identifier_prefix + UNSAFE.sub("-", stem)).strip("-._")[:120]

    def _date(self, row: Row, check: _Checker) -> DateRecord:
        written, iso = row.get("date"), row.get("date_iso")
        by_iso = check(iso_date, "date_iso", iso) if iso else None
        by_written = check(written_date, "date", written) if written else None
        if by_iso and by_written and (by_iso.start, by_iso.end) != (
                by_written.start, by_written.end):  # fmt: skip
            check.fail("date", f"disagrees with {row.mapping.column_of('date_iso')!r} ({iso})")
        found = by_iso or by_written
        if found is None:
            return DateRecord("undated", written)
        found.as_written = written or iso
        return found

    def _classification(self, row: Row, check: _Checker) -> ClassificationRecord:
        marking = row.get("classification")
        if not marking:
            return ClassificationRecord(self.mapping.classification_when_empty)
        level = check(classification_level, "classification", marking)
        return ClassificationRecord(level or "not-recorded", marking)

    def _files(self, row: Row, record: DocumentRecord, languages: list[str],
               check: _Checker) -> None:  # fmt: skip
        texts: list[TextFile] = []
        for name in row.values("files"):
            try:
                found = read_file(self.finder.find(name))
            except CellError as exc:
                check.fail("files", str(exc), name)
                continue
            if isinstance(found, ScanFile):
                record.files.append(FileRecord(name=name, media_type=found.media_type,
                                               path=str(found.path), sha256=found.sha256,
                                               pages=found.pages))  # fmt: skip
            else:
                texts.append(found)
        scans = sum(f.pages or 0 for f in record.files)
        if row.get("pages") and record.extent_pages and scans and scans != record.extent_pages:
            self.warnings.append(f"{self.sheet}: row {row.number}: the sheet says "
                                 f"{record.extent_pages} pages, the scans have "
                                 f"{scans}")  # fmt: skip
        if texts:
            record.texts = self._texts(row, texts, languages, check)

    def _texts(self, row: Row, texts: list[TextFile], languages: list[str],
               check: _Checker) -> list[TextRecord]:  # fmt: skip
        if len(languages) not in (1, len(texts)):
            check.fail("language", f"{len(languages)} languages for {len(texts)} text files: "
                       "give one for all, or one per text file in the order of the "
                       "files")  # fmt: skip
            return []
        roles = row.values("role") or ["original"]
        if len(roles) not in (1, len(texts)):
            check.fail("role", f"{len(roles)} roles for {len(texts)} text files")
            return []
        translators = row.values("translator")
        out = []
        for i, text in enumerate(texts):
            code = languages[i] if len(languages) > 1 else languages[0]
            role = roles[i] if len(roles) > 1 else (roles[0] if i == 0 else "translation")
            if role not in TEXT_ROLES:
                check.fail("role", f"not a text's role (one of {', '.join(TEXT_ROLES)})", role)
            translator = (translators[i] if len(translators) > 1 else translators[0]) if (
                translators and role == "translation") else ""  # fmt: skip
            # "United Nations" translated as a body; "Jane Doe, UN translator" a person.
            kind = "person" if "," in translator else "organization"
            out.append(TextRecord(kind=role, html=text.html, language=code, format="html",
                                  translator=translator, direction=text.direction,
                                  title=text.title, translator_kind=kind))  # fmt: skip
        original = next((i for i, t in enumerate(out) if t.kind == "original"), None)
        for text in out:
            if text.kind in ("translation", "language-version") and original is not None:
                text.source_text = original
        return out

    def _relations(self, row: Row, record: DocumentRecord, keys: dict[str, int],
                   check: _Checker) -> None:  # fmt: skip
        for name, kind in RELATIONS.items():
            for target in row.values(name):
                if target not in keys:
                    check.fail(name, "names no row of the sheet (by its file or identifier)",
                               target)  # fmt: skip
                    continue
                if keys[target] == row.number:
                    check.fail(name, "a row cannot point at itself", target)
                    continue
                record.relations.append(RelationRecord(kind, self.row_keys[keys[target]], target))

    def _rights(self, row: Row) -> tuple[str, str]:
        values = {name: row.values(name) for name in row.cells}
        for rule in self.mapping.rights:
            if rule.holds(values):
                return rule.uri, rule.text
        return NOT_EVALUATED, ""


class _Checker:
    """Reads cells, reporting what fails on the row instead of raising."""

    def __init__(self, row: Row, problems: RowProblems) -> None:
        self.row, self.problems = row, problems

    def __call__(self, read, name: str, value: str):
        try:
            return read(value)
        except CellError as exc:
            self.problems.add(self.row, name, str(exc), value)
            return None

    def fail(self, name: str, message: str, value: str | None = None) -> None:
        self.problems.add(self.row, name, message, value)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise CellError("not a number of pages")
    return int(text)
