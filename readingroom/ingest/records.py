"""Plain records that parsers return and the loader writes.

Parsers never touch the database; these dataclasses are the whole contract between
them and `loader.py`. Vocabulary values are kept *as written* (the loader maps them
through the catalogue's mapping tables), except where the parser is the only one who
can know (the classification level read from a marking).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from datetime import date, time
from typing import Any


class ParseError(Exception):
    """A source that cannot become a record. Names the file, the record and the field."""

    def __init__(self, file: str, field: str, message: str, record: str = "") -> None:
        self.file, self.field, self.record, self.message = file, field, record, message
        where = f"{file}: {record}: " if record else f"{file}: "
        super().__init__(f"{where}{field}: {message}")

    def __reduce__(self):  # pickled by its arguments: it crosses from the parsing process
        return type(self), (self.file, self.field, self.message, self.record)


@dataclass
class DateRecord:
    """A local date range with precision; never a time-zone-converted instant."""

    precision: str  # a catalogue DatePrecision value: time, day, month, ... undated
    as_written: str = ""
    start: date | None = None
    end: date | None = None
    time_start: time | None = None
    time_end: time | None = None
    utc_offset_minutes: int | None = None


@dataclass
class ClassificationRecord:
    level: str  # a catalogue ClassificationLevel value
    marking: str = ""  # as written
    caveats: list[str] = field(default_factory=list)


@dataclass
class ArchivalReferenceRecord:
    as_written: str
    repository: str = ""  # name or abbreviation as written; the loader matches it
    record_group: str = ""
    series: str = ""
    fond: str = ""
    opis: str = ""
    papka: str = ""
    delo: str = ""
    list: str = ""
    file: str = ""
    volume: str = ""
    box: str = ""
    folder: str = ""


@dataclass
class AgentRecord:
    name: str
    role: str  # a catalogue Role value
    kind: str = "person"  # person | organization
    name_as_written: str = ""
    identification: str = ""
    ref: str = ""  # key of an EntityRecord of the same volume ("p_KNS1"), when linked
    # What the name rules (`ingest/names.py`) read beside or instead of a name: the
    # office or position the source gives ("CHIEF", "S/P"), a note ("interpreting",
    # "Listed on Page 4"), a name the source withheld. `name` empty: no agent.
    office: str = ""
    note: str = ""
    withheld: bool = False


@dataclass
class PlaceRecord:
    name: str
    role: str = "written-at"
    name_as_written: str = ""


@dataclass
class TextRecord:
    kind: str  # original | language-version | translation | transcript | machine-read
    html: str  # the loader sanitizes it again on save
    language: str = ""  # ISO 639 code; empty when the source does not say
    format: str = "html"
    translator: str = ""  # a person's name, matched to an agent
    direction: str = ""  # ltr | rtl; empty: as its language's script runs
    title: str = ""  # the text's own title, in its language
    # The index (in the record's `texts`) of the text this one translates or is another
    # language version of; None for none.
    source_text: int | None = None
    translator_kind: str = "person"  # person | organization ("United Nations")

    def sanitized_html(self) -> str:
        """The HTML as the catalogue stores it (the one sanitizer). Computed in the
        parsing process when parsing runs alongside the import (`parse_ahead.py`)."""
        known = self.__dict__.get("_sanitized_at_parse")
        if known is not None:
            return known
        from readingroom.catalogue.sanitize import sanitize_html

        return sanitize_html(self.html)

    def sanitize_ahead(self) -> None:
        self.__dict__["_sanitized_at_parse"] = self.sanitized_html()


@dataclass
class FileRecord:
    name: str
    media_type: str = "application/pdf"
    role: str = "original"
    path: str = ""  # a local file to store; empty when the source only shows it exists
    note: str = ""
    sha256: str = ""  # of the file at `path`, when the parser checked it (scans)
    pages: int | None = None  # page count, when the parser checked it (PDF)


@dataclass
class ReleaseRecord:
    """One release of a record by a declassifying authority (a NARA release list row,
    or duplicate rows of one list merged)."""

    released_on: date
    list_name: str  # which list says so: "jfk2022.xlsx", or "scans" for the 2025 files
    file_name: str = ""  # the releasing archive's file name in that release
    prior_status: str = ""  # as written: Redact, Release, Withhold, Missing, ...
    review_date: date | None = None
    pages_released: int | None = None
    rows: list[int] = field(default_factory=list)  # spreadsheet rows (1 = header)
    differences: list[str] = field(default_factory=list)  # between merged duplicate rows


@dataclass
class RelationRecord:
    """This record is a translation or another language version of another record of
    the same source, named by its id in that source (`target`)."""

    kind: str  # a catalogue RelationKind value
    target: str  # the other record's id_in_source (same importer)
    target_as_written: str = ""  # as the source names it (a sheet's File cell)


@dataclass
class IdentifierRecord:
    scheme: str
    value: str


@dataclass
class EntityRecord:
    """An entry of a volume's persons list or abbreviations list."""

    key: str  # the volume-local id, e.g. "p_KNS1" or "t_USSR1"
    name: str  # "Khrushchev, Nikita S." for persons as listed; "USSR" for terms
    kind: str  # person | organization | term
    identification: str = ""  # the one line after the name, as this volume gives it


@dataclass
class CollectionRecord:
    """A node of a collection tree: a series, a volume, a chapter..."""

    identifier: str  # e.g. "frus1961-63v05", "frus1961-63v05-ch3"
    title: str
    kind: str  # series | volume | chapter
    parent: str = ""  # identifier of the parent node, "" for a root
    position: int = 0  # order among its siblings
    description: str = ""


@dataclass
class SourceRecord:
    importer: str
    file: str
    id_in_source: str
    # Which part of the source this is, when one record has several (each release list
    # that lists it, the scans): one DocumentSource each. Empty: the file is the source.
    origin: str = ""
    # How new what it says is, for precedence between a record's sources (a release
    # date, a volume copy's edition): catalogue/data/precedence.json. Not in the hash:
    # the same words from a newer copy are the same record.
    rank: str = ""


@dataclass
class DocumentRecord:
    identifier: str
    source: SourceRecord
    title: str
    date: DateRecord
    summary: str = ""
    document_type: str = ""  # as written
    physical_form: str = ""  # as written
    classification: ClassificationRecord = field(
        default_factory=lambda: ClassificationRecord(level="not-recorded")
    )
    languages: list[str] = field(default_factory=list)
    rights_uri: str = ""
    rights_text: str = ""
    funders: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    archival_references: list[ArchivalReferenceRecord] = field(default_factory=list)
    agents: list[AgentRecord] = field(default_factory=list)
    places: list[PlaceRecord] = field(default_factory=list)
    texts: list[TextRecord] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    identifiers: list[IdentifierRecord] = field(default_factory=list)
    source_record_id: str = ""
    source_uploaded_on: date | None = None
    citation_as_written: str = ""
    collections: list[str] = field(default_factory=list)  # collection identifiers
    releases: list[ReleaseRecord] = field(default_factory=list)  # oldest first
    extent_pages: int | None = None  # pages of the original, when the source says
    state: str = "published"  # what a fresh import becomes; editors change it later
    # Not empty: the source knows only part of this record (a scan in no release list
    # read), and says why. The loader then never replaces a catalogued document with it:
    # it adds the record's files and releases and changes nothing else; a record the
    # catalogue does not have is created as it is (an unpublished placeholder).
    partial: str = ""
    # The mapping rules that changed what the parser read (`ingest/names.py`).
    mapped: list[str] = field(default_factory=list)
    title_original: str = ""  # the title in the document's own language
    title_original_language: str = ""  # its language code
    notes: str = ""  # the cataloguer's notes
    relations: list[RelationRecord] = field(default_factory=list)

    def content_hash(self) -> str:
        """SHA-256 of everything the record says; equal hashes mean nothing changed.

        The JSON is what `json.dumps(asdict(record), sort_keys=True)` gave (catalogues
        store these hashes, so the bytes must not change), but built by the encoder
        itself: `asdict` deep-copies every value and cost more than the rest of a hash.
        Leaves out the source file (moving a file does not change the record) and the
        path of a file whose content was checked (its content counts, not its place).

        A record parsed in the parsing process (`parse_ahead.py`) arrives with its hash
        computed there; records are not changed after parsing.
        """
        known = self.__dict__.get("_content_hash_at_parse")
        if known is not None:
            return known
        return hashlib.sha256(_hash_json.encode(self).encode()).hexdigest()

    def hash_ahead(self) -> None:
        self.__dict__["_content_hash_at_parse"] = self.content_hash()


def _hash_value(value: Any) -> Any:
    """What the hash JSON holds for what json cannot encode: records as dicts of their
    fields, dates and times as ISO strings. Each type is read by a function of its own,
    worked out once (`_reader`): asked for every nested record of every hash."""
    reader = _readers.get(type(value))
    if reader is None:
        reader = _readers[type(value)] = _reader(type(value))
    return reader(value)


_readers: dict[type, Any] = {}


def _reader(cls: type):
    """How the hash reads a value of `cls`. A record's `__dict__` is handed to the
    encoder as it is (no copy) unless something must be left out: attributes beyond
    its fields (worked ahead), a late field at its default, the source's file and rank,
    the path of a checked file."""
    names = _field_names(cls)
    if names is None:
        if issubclass(cls, (date, time)):
            return lambda value: value.isoformat()

        def refuse(value: Any) -> Any:
            raise TypeError(f"not serializable: {type(value).__name__}")

        return refuse
    late = _LATE_FIELDS.get(cls, ())
    dropped = {SourceRecord: ("file", "rank"), FileRecord: ("path",)}.get(cls, ())

    def read(value: Any) -> Any:
        values = value.__dict__
        if len(values) != len(names):  # attributes beyond the fields: the fields only
            values = {name: getattr(value, name) for name in names}
        elif not (late or dropped):
            return values
        else:
            values = dict(values)
        for name, default in late:
            if values[name] == default:
                del values[name]
        for name in dropped:
            if name != "path" or value.sha256:
                del values[name]
        return values

    return read


# Fields added after catalogues had stored hashes: left out of the hash while they hold
# their default, so a record that does not use them keeps the hash it had (and is not
# rewritten by the first import after an upgrade).
_LATE_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _late(cls: type, *names: str) -> None:
    found = {f.name: f for f in fields(cls)}
    _LATE_FIELDS[cls] = tuple(
        (name, f.default if f.default is not MISSING else f.default_factory())  # type: ignore[misc]
        for name in names
        for f in (found[name],)
    )


# A plain dict rather than functools.cache: asked for every nested record of every hash.
_field_names_of: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    if cls not in _field_names_of:
        _field_names_of[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    return _field_names_of[cls]


_late(DocumentRecord, "partial", "mapped", "title_original", "title_original_language", "notes",
      "relations")  # fmt: skip
_late(AgentRecord, "office", "note", "withheld")
_late(TextRecord, "direction", "title", "source_text", "translator_kind")
_late(SourceRecord, "origin")

# What `json.dumps(..., sort_keys=True, default=_hash_value)` builds on every call.
_hash_json = json.JSONEncoder(sort_keys=True, default=_hash_value)


@dataclass
class VolumeRecord:
    """A whole volume (FRUS), imported all or nothing.

    The header fields are filled before `items` is consumed (a volume's front matter
    comes before its body), so the loader can create the collection, persons and terms
    first; `items` then streams CollectionRecords (chapters, in order) and
    DocumentRecords (in order), keeping memory bounded whatever the volume size.
    """

    identifier: str
    title: str
    source: SourceRecord
    series: str = ""
    subseries: str = ""
    volume_number: str = ""
    editors: list[str] = field(default_factory=list)  # the volume's own (TEI role "primary")
    general_editors: list[str] = field(default_factory=list)
    published: str = ""  # year of publication
    publisher: str = ""
    publication_place: str = ""
    isbn: str = ""
    entities: list[EntityRecord] = field(default_factory=list)
    items: Iterator[CollectionRecord | DocumentRecord] = field(default_factory=lambda: iter(()))
    warnings: list[str] = field(default_factory=list)  # anomalies, appended while streaming


@dataclass
class RecordSet:
    """Records parsed from several files at once because they only make sense together:
    release lists merged per record across years, scans matched to their rows.

    `collections` come first (parents before children); `documents` may stream.
    `errors` are failures of whole files or rows (a missing column, a corrupt PDF); the
    other records still import.
    """

    collections: list[CollectionRecord] = field(default_factory=list)
    documents: Iterator[DocumentRecord] | list[DocumentRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected: int | None = None  # how many documents will stream, when known
    failed: int = 0  # rows (records) left out for the errors, when a parser counts them
