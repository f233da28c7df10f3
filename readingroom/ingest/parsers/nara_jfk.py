"""Parse NARA's JFK Assassination Records release lists (xlsx) and scans (PDF) into one
RecordSet: for each record number, what each release list says of it and what its scan
says, one DocumentRecord each (each its own source of the record).

A record is released again and again (with redactions in 2022, with fewer in 2023, as a
scan in 2025), and each release list has its own row for it, sometimes two. Rows are
grouped by record number and list, duplicate rows of one release merged (their
differences kept); each list's record takes its catalogue fields from its newest
release's row, and a scan is a partial record of the number its file name gives. The
records of one number come together, and the loader makes one document of them by the
precedence of `catalogue/data/precedence.json` (the newest list's fields, every list's
releases, the scan's file), whatever lists an import is given and in whatever order.

A release list that cannot be used (unreadable, or missing a needed column) stops the
set: nothing is imported, and `errors` names the file and column. Any other bad input
(a row, a scan) is an entry of `errors` naming file, row and column, and everything
else is parsed. Pure: no Django, no
database (files are only read).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from readingroom.catalogue.organizations import find_organization
from readingroom.files.pdf import PdfError, inspect_pdf
from readingroom.files.storage import sha256_of
from readingroom.ingest.gc_pause import gc_paused
from readingroom.ingest.parsers.nara_dates import ImpossibleDate, day_of, document_date, undated
from readingroom.ingest.parsers.nara_jfk_columns import RECORD_NUMBER_RE, integer, text
from readingroom.ingest.parsers.nara_jfk_fields import (
    address_agents,
    archival_reference,
    devised_title,
    originator_agents,
    originator_entry,
)
from readingroom.ingest.parsers.nara_jfk_lists import Problems, Row, read_release_list
from readingroom.ingest.records import (
    AgentRecord,
    CollectionRecord,
    DateRecord,
    DocumentRecord,
    FileRecord,
    IdentifierRecord,
    RecordSet,
    ReleaseRecord,
    SourceRecord,
)
from readingroom.ingest.walk import files_in, is_hidden

IMPORTER = "nara-jfk"
LIST_SUFFIX, SCAN_SUFFIX = ".xlsx", ".pdf"
SCAN_RELEASED_ON = date(2025, 3, 18)  # every scan of the corpus is from this release
SCAN_LIST = "NARA release 2025-03-18 (scans)"
SCAN_NOTE = "NARA release of 2025-03-18"
RIGHTS_URI = "http://rightsstatements.org/vocab/NoC-US/1.0/"
RIGHTS_TEXT = (
    "Work of the U.S. Government: not protected by copyright in the United States "
    "(17 U.S.C. § 105)."
)
RECORD_NUMBER_SCHEME = "NARA record number"
FILE_NUMBER_SCHEME = "Agency file number"
ROOT = "jfk"
# NARA's own name for it, as citations give it.
ROOT_TITLE = "JFK Assassination Records Collection"


@dataclass
class Scan:
    path: Path
    record_number: str
    pages: int
    sha256: str


def parse_release_set(paths: list[Path]) -> RecordSet:
    """Release lists and scans, given as files or folders (searched recursively for
    `*.xlsx` and `*.pdf`) in any mix, as one RecordSet; documents sorted by record
    number (a list), collections root first."""
    records = stream_release_set(paths)
    records.documents = list(records.documents)
    return records


def stream_release_set(paths: list[Path]) -> RecordSet:
    """The same, its documents built one by one as they are read (what the importer
    uses: the first are written while the rest are built). The lists are read and
    merged first, and the collections worked out from the rows, so they come first;
    the warnings and errors are complete once the documents have been read."""
    with gc_paused():
        return _parse(paths)


def _parse(paths: list[Path]) -> RecordSet:
    problems = Problems()
    list_paths, scan_paths = find_inputs(paths, problems)
    rows: dict[str, list[Row]] = {}
    refused = []
    for path in list_paths:
        read = read_release_list(path, problems)
        if read is None:
            refused.append(path)
        for row in read or []:
            rows.setdefault(row.record_number, []).append(row)
    if refused:
        # The lists are read together: without one, every record it holds would lose
        # that release (and an update would drop it from the catalogue). Nothing is
        # imported, the scans neither; the errors above name file and column.
        problems.errors.append(
            f"{', '.join(map(str, refused))}: cannot be used, so nothing was imported"
            " (release lists are imported together): fix the list or leave it out"
        )
        return RecordSet([], [], problems.warnings, problems.errors, expected=0)
    scans = read_scans(scan_paths, problems)
    numbers = sorted(rows.keys() | scans.keys())
    groups = Groups()
    # Each list's rows of each record: a record of its own (one source each), placed in
    # the group of that list's originator.
    listed = {number: by_list(rows.get(number, [])) for number in numbers}
    placed = {
        (number, name): groups.collection_of(
            originator_agents(newest(list_rows).get("originator")), problems
        )
        for number in numbers
        for name, list_rows in listed[number].items()
    }

    def documents() -> Iterator[DocumentRecord]:
        with gc_paused():
            for number in numbers:
                for name, list_rows in listed[number].items():
                    document = catalogued(number, list_rows, problems)
                    document.collections = [placed[(number, name)]]
                    yield document
                if scan := scans.get(number):
                    yield scanned(scan)

    expected = sum(len(lists) for lists in listed.values()) + len(scans)
    return RecordSet(groups.records(), documents(), problems.warnings, problems.errors,
                     expected=expected)  # fmt: skip


def by_list(rows: list[Row]) -> dict[str, list[Row]]:
    """A record's rows by the release list (file name) that holds them."""
    found: dict[str, list[Row]] = {}
    for row in rows:
        found.setdefault(row.source.name, []).append(row)
    return found


def newest(rows: list[Row]) -> Row:
    """The row of a record's newest release: its catalogue fields are the record's."""
    return min(rows, key=lambda r: (-r.released_on.toordinal(), str(r.source.path), r.number))


def find_inputs(paths: list[Path], problems: Problems) -> tuple[list[Path], list[Path]]:
    """Release lists and scans among `paths`, each real file once (folders read through
    symbolic links, `ingest/walk.py`). In a folder other files (a README, checksums)
    are not input; named on their own they are an error."""
    inputs: list[Path] = []
    for path in files_in(list(map(Path, paths)), _is_input):
        if not path.exists():
            problems.errors.append(f"{path}: no such file or folder")
        elif not _is_input(path):
            problems.errors.append(f"{path}: not a release list (.xlsx) nor a scan (.pdf)")
        else:
            inputs.append(path)
    inputs.sort()
    lists = [p for p in inputs if p.suffix.lower() == LIST_SUFFIX]
    return lists, [p for p in inputs if p.suffix.lower() == SCAN_SUFFIX]


def _is_input(path: Path) -> bool:
    return not is_hidden(path) and path.suffix.lower() in (LIST_SUFFIX, SCAN_SUFFIX)


def read_scans(paths: list[Path], problems: Problems) -> dict[str, Scan]:
    """Scans that PDFium opens, by record number (the file stem); the others are
    errors and join no record."""
    scans: dict[str, Scan] = {}
    for path in paths:
        number = path.stem
        if not RECORD_NUMBER_RE.match(number):
            problems.errors.append(
                f"{path}: the file name is not a record number (NNN-NNNNN-NNNNN.pdf); skipped"
            )
            continue
        if number in scans:
            problems.errors.append(
                f"{path}: a second scan of {number} ({scans[number].path}); skipped"
            )
            continue
        try:
            info = inspect_pdf(path)
            scans[number] = Scan(path, number, info.page_count, sha256_of(path))
        except PdfError as exc:  # its message names the file
            problems.errors.append(f"{exc}; scan skipped")
        except OSError as exc:
            problems.errors.append(f"{path}: cannot read: {exc}; scan skipped")
    return scans


def catalogued(number: str, rows: list[Row], problems: Problems) -> DocumentRecord:
    """What one release list says of a record: catalogue fields of its newest release's
    row, releases of all its rows. Its source's origin is the list, its rank that
    release's date (the newest list wins: catalogue/data/precedence.json)."""
    releases = releases_of(number, rows, problems)
    row = newest(rows)
    originator = row.get("originator")
    series, file_number = row.text("series"), row.text("file_number")
    reference = archival_reference(series, file_number, row.text("comments"))
    pages = integer(row.get("pages"))
    return DocumentRecord(
        identifier=number,
        source=SourceRecord(
            IMPORTER,
            str(row.source.path),
            number,
            origin=row.source.name,
            rank=row.released_on.isoformat(),
        ),
        title=row.text("title") or devised_title(number, originator_entry(originator)),
        date=document_date_of(row, problems),
        document_type=row.text("document_type"),
        physical_form=row.text("document_type"),  # one cell, two fields: the loader maps
        languages=["en"],
        rights_uri=RIGHTS_URI,
        rights_text=RIGHTS_TEXT,
        archival_references=[reference] if reference else [],
        agents=[
            *originator_agents(originator),
            *address_agents(row.get("from"), "author"),
            *address_agents(row.get("to"), "recipient"),
        ],
        identifiers=identifiers(number, file_number),
        source_record_id=number,
        source_uploaded_on=releases[0].released_on,  # its first release
        releases=releases,
        extent_pages=pages or None,  # 0 pages is NARA's "not counted"
    )


def scanned(scan: Scan) -> DocumentRecord:
    """What a scan says of its record: a partial record, its own source. It asserts
    its file and its release; the rest is a placeholder, which any release list's
    record of that number outranks: with one catalogued, the scan adds its file and
    release and changes nothing else; without, it is a draft for an editor to
    catalogue (and the loader says so)."""
    document = uncatalogued(scan)
    add_scan(document, scan)
    return document


def uncatalogued(scan: Scan) -> DocumentRecord:
    """A scan's record before its file is added: placeholder fields only."""
    return DocumentRecord(
        identifier=scan.record_number,
        source=SourceRecord(
            IMPORTER,
            str(scan.path),
            scan.record_number,
            origin=SCAN_LIST,
            rank=SCAN_RELEASED_ON.isoformat(),
        ),
        title=f"[Uncatalogued scan {scan.path.name}: in none of NARA's release lists read]",
        date=undated(),
        rights_uri=RIGHTS_URI,
        rights_text=RIGHTS_TEXT,
        identifiers=identifiers(scan.record_number, ""),
        source_record_id=scan.record_number,
        state="draft",
        partial="in no release list read",
        collections=[ROOT],
    )


def add_scan(document: DocumentRecord, scan: Scan) -> None:
    document.files.append(
        FileRecord(
            name=f"{scan.record_number}.pdf",
            media_type="application/pdf",
            role="original",
            path=str(scan.path),
            note=SCAN_NOTE,
            sha256=scan.sha256,
            pages=scan.pages,
        )
    )
    document.releases.append(
        ReleaseRecord(SCAN_RELEASED_ON, SCAN_LIST, scan.path.name, pages_released=scan.pages)
    )
    document.releases.sort(key=_release_order)
    document.source_uploaded_on = document.releases[0].released_on


def identifiers(number: str, file_number: str) -> list[IdentifierRecord]:
    found = [IdentifierRecord(RECORD_NUMBER_SCHEME, number)]
    if file_number:
        found.append(IdentifierRecord(FILE_NUMBER_SCHEME, file_number))
    return found


def document_date_of(row: Row, problems: Problems) -> DateRecord:
    cell = row.get("document_date")
    try:
        return document_date(cell)
    except ImpossibleDate as exc:
        column = row.source.header.written.get("document_date", "Doc Date")
        problems.warnings.append(f"{row.where}: {column}: {exc}; read as undated")
        return undated(text(cell))


def releases_of(number: str, rows: list[Row], problems: Problems) -> list[ReleaseRecord]:
    """One release per list and release date, oldest first; a list's duplicate rows of
    one release are merged into it, the first row's values kept and the differences
    listed (and warned once)."""
    groups: dict[tuple[str, date], list[Row]] = {}
    for row in rows:
        groups.setdefault((str(row.source.path), row.released_on), []).append(row)
    releases = [merge_rows(number, group, problems) for group in groups.values()]
    return sorted(releases, key=_release_order)


def _release_order(release: ReleaseRecord) -> tuple:
    return (release.released_on, release.list_name, release.rows)


def merge_rows(number: str, rows: list[Row], problems: Problems) -> ReleaseRecord:
    rows = sorted(rows, key=lambda r: r.number)
    first = rows[0]
    release = ReleaseRecord(
        released_on=first.released_on,
        list_name=first.source.name,
        file_name=first.text("file_name"),
        prior_status=first.text("prior_status"),
        review_date=review_date_of(first, problems),
        pages_released=integer(first.get("pages_released")),
        rows=[r.number for r in rows],
        differences=differences(rows) if len(rows) > 1 else [],
    )
    if release.differences:
        columns = ", ".join(d.split(":", 1)[0] for d in release.differences)
        row_list = ", ".join(str(n) for n in release.rows)
        problems.warnings.append(
            f"{first.source.path}: {number}: rows {row_list} repeat the release of"
            f" {first.released_on.isoformat()} and differ in {columns}; merged, the values"
            f" of row {first.number} kept"
        )
    return release


def differences(rows: list[Row]) -> list[str]:
    """`File Name: 'a.pdf' (row 12) / 'b.pdf' (rows 40, 41)` for every column whose
    cells differ between duplicate rows, in the list's column order."""
    header = rows[0].source.header
    found = []
    for name, _ in sorted(header.columns.items(), key=lambda item: item[1]):
        values: dict[str, list[int]] = {}
        for row in rows:
            values.setdefault(row.text(name), []).append(row.number)
        if len(values) > 1:
            shown = " / ".join(
                f"{value!r} ({'row' if len(numbers) == 1 else 'rows'}"
                f" {', '.join(map(str, numbers))})"
                for value, numbers in values.items()
            )
            found.append(f"{header.written[name]}: {shown}")
    return found


def review_date_of(row: Row, problems: Problems) -> date | None:
    try:
        return day_of(row.get("review_date"))
    except ImpossibleDate as exc:
        column = row.source.header.written.get("review_date", "Review Date")
        problems.warnings.append(f"{row.where}: {column}: {exc}; left empty")
        return None


class Groups:
    """The collection tree: the root series and one group per originating
    organization (`jfk-cia`), titled with its full name, ordered by title."""

    def __init__(self) -> None:
        self.titles: dict[str, str] = {}  # identifier → title
        self.unknown: set[str] = set()

    def collection_of(self, agents: list[AgentRecord], problems: Problems) -> str:
        """The group of a document's first originating organization, or the root."""
        agent = next(
            (a for a in agents if a.role == "originator" and a.kind == "organization"), None
        )
        if agent is None:
            return ROOT
        entry = find_organization(agent.name)
        if entry is None and agent.name not in self.unknown:
            self.unknown.add(agent.name)
            problems.warnings.append(
                f"originator {agent.name!r} is not in organizations.json: kept as its own"
                " organization"
            )
        key = (entry.get("abbreviation") or entry["name"]) if entry else agent.name
        identifier = f"{ROOT}-{slug(key)}"
        while self.titles.setdefault(identifier, agent.name) != agent.name:
            identifier += "-2"  # two names with one slug: never merge them silently
        return identifier

    def records(self) -> list[CollectionRecord]:
        children = sorted(self.titles.items(), key=lambda item: (item[1].casefold(), item[0]))
        return [
            CollectionRecord(ROOT, ROOT_TITLE, "series"),
            *(
                CollectionRecord(
                    identifier,
                    title,
                    "group",
                    parent=ROOT,
                    position=position,
                    description=f"Records whose originating agency is {title}.",
                )
                for position, (identifier, title) in enumerate(children, 1)
            ),
        ]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "unnamed"
