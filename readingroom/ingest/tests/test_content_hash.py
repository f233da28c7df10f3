"""Content hashes stay what they were: catalogues store them, and a changed hash would
make every record of a re-import look changed. Compared with the implementation they
replace (through `dataclasses.asdict`) on real records of every importer."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, time
from typing import Any

import pytest

from readingroom.conf import corpus
from readingroom.conftest import SEED_000, SEED_003
from readingroom.ingest.parsers.frus import parse_volume
from readingroom.ingest.parsers.nara_jfk import parse_release_set
from readingroom.ingest.parsers.pages import parse_page_file
from readingroom.ingest.records import DocumentRecord, FileRecord

# Fields records gained after catalogues stored hashes, with their defaults: a record
# that leaves them at their default must keep the hash it had before they existed.
LATE_FIELDS = {"partial": "", "mapped": [], "title_original": "", "title_original_language": "",
               "notes": "", "relations": []}  # fmt: skip
LATE_AGENT_FIELDS = {"office": "", "note": "", "withheld": False}
LATE_TEXT_FIELDS = {"direction": "", "title": "", "source_text": None, "translator_kind": "person"}
LATE_SOURCE_FIELDS = {"origin": ""}


def hash_as_before(record: DocumentRecord) -> str:
    """The previous `DocumentRecord.content_hash`, unchanged (fields added since then
    left out while they hold their default)."""
    payload = dataclasses.asdict(record)
    for name, default in LATE_FIELDS.items():
        if payload[name] == default:
            del payload[name]
    for part, late in (("agents", LATE_AGENT_FIELDS), ("texts", LATE_TEXT_FIELDS)):
        for row in payload[part]:
            for name, default in late.items():
                if row[name] == default:
                    del row[name]
    for name, default in LATE_SOURCE_FIELDS.items():
        if payload["source"][name] == default:
            del payload["source"][name]
    payload["source"].pop("file")
    payload["source"].pop("rank")  # never hashed: the same words from a newer copy
    for f in payload["files"]:
        if f["sha256"]:
            f.pop("path")

    def default(value: Any) -> str:
        if isinstance(value, (date, time)):
            return value.isoformat()
        raise TypeError(f"not serializable: {type(value).__name__}")

    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=default).encode()).hexdigest()


def assert_same_hashes(records: list[DocumentRecord]) -> None:
    assert records
    for record in records:
        assert record.content_hash() == hash_as_before(record), record.identifier


def test_nara_release_lists_and_scans() -> None:
    records = list(parse_release_set([corpus() / "nara-jfk"]).documents)
    assert sum(bool(f.sha256) for r in records for f in r.files) > 0  # checked scans too
    assert_same_hashes(records)


@pytest.mark.parametrize("name", ["frus1961-63v06.xml", "frus1961-63v10-12mSupp.xml"])
def test_frus_volumes(name: str) -> None:
    items = parse_volume(corpus() / "frus" / name).items
    assert_same_hashes([item for item in items if isinstance(item, DocumentRecord)])


def test_captured_pages_and_edge_values() -> None:
    records = [parse_page_file(SEED_000), parse_page_file(SEED_003)]
    odd = dataclasses.replace(records[0], files=[
        FileRecord(name="a.pdf", path="/x/a.pdf", sha256="ab" * 32),
        FileRecord(name="b.pdf", path="/x/b.pdf"),
    ])  # fmt: skip
    odd.date.time_start = time(9, 30)
    assert_same_hashes([*records, odd])


def test_moving_files_keeps_the_hash_changing_content_does_not() -> None:
    record = parse_page_file(SEED_000)
    record.files = [FileRecord(name="a.pdf", path="/x/a.pdf", sha256="ab" * 32)]
    source = dataclasses.replace(record.source, file="/y")
    moved = dataclasses.replace(
        record, source=source, files=[dataclasses.replace(record.files[0], path="/y/a.pdf")]
    )
    assert moved.content_hash() == record.content_hash()
    checked = dataclasses.replace(record.files[0], sha256="cd" * 32)
    changed = dataclasses.replace(record, files=[checked])
    assert changed.content_hash() != record.content_hash()


def test_a_late_field_counts_once_it_is_set() -> None:
    record = parse_page_file(SEED_000)
    partial = dataclasses.replace(record, partial="in no list read")
    assert partial.content_hash() != record.content_hash() == hash_as_before(record)


def test_attributes_beyond_the_fields_are_not_hashed() -> None:
    record = parse_page_file(SEED_000)
    expected = record.content_hash()
    record.date.cached = "anything"  # type: ignore[attr-defined]
    assert record.content_hash() == expected == hash_as_before(record)


def test_a_value_json_cannot_show_is_refused() -> None:
    record = parse_page_file(SEED_000)
    record.title = object()  # type: ignore[assignment]
    with pytest.raises(TypeError, match="not serializable: object"):
        record.content_hash()
