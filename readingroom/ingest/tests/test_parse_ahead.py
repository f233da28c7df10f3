"""Parsing in a second process (`parse_ahead.py`): the loaders must get what an inline
parse gives, errors included, at the same point of the stream. The parsers here are
small functions over real records' shapes; the real FRUS and NARA parsers run through
it in test_frus_import and test_release_loading (the import command uses it)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from readingroom.ingest import parse_ahead
from readingroom.ingest.records import (
    DateRecord,
    DocumentRecord,
    ParseError,
    RecordSet,
    SourceRecord,
    VolumeRecord,
)


def test_parsing_runs_alongside_on_this_platform() -> None:
    # The platform we ship for forks; elsewhere imports parse inline (slower, not wrong).
    assert parse_ahead.available()


def record(volume: str, n: int) -> DocumentRecord:
    return DocumentRecord(
        identifier=f"{volume}-d{n}", title=f"Document {n} of {volume}",
        source=SourceRecord(importer="test", id_in_source=f"{volume}-d{n}", file=volume),
        date=DateRecord("day", f"{n % 28 + 1} May 1962", date(1962, 5, n % 28 + 1)),
    )  # fmt: skip


def volume_parser(documents: int, fail_at: dict[str, int] | None = None):
    """Volumes named by their path's stem, each streaming `documents` records and one
    warning; `fail_at` makes a volume raise a ParseError before that document, and a
    stem starting with "unreadable" fails before its first item."""

    def parse(path: Path) -> VolumeRecord:
        name = path.stem
        if name.startswith("unreadable"):
            raise ParseError(str(path), "line 1", "not XML")
        volume = VolumeRecord(identifier=name, title=name.upper(),
                              source=SourceRecord("test", name, str(path)))  # fmt: skip
        volume.warnings.append(f"{name}: header warning")

        def items():
            for n in range(documents):
                if fail_at and fail_at.get(name) == n:
                    raise ParseError(str(path), f"line {n}", "broken", record=f"{name}-d{n}")
                yield record(name, n)
            volume.warnings.append(f"{name}: warning found while streaming")

        volume.items = items()
        return volume

    return parse


def test_volumes_stream_in_order_with_their_warnings_and_hashes() -> None:
    paths = [Path("v1.xml"), Path("v2.xml")]
    parse = volume_parser(documents=450)  # more than two chunks
    for path, volume in parse_ahead.volumes_parsed_ahead(parse, paths):
        items = list(volume.items)
        inline = list(parse(path).items)
        assert items == inline
        assert [r.content_hash() for r in items] == [r.content_hash() for r in inline]
        assert "_content_hash_at_parse" in items[0].__dict__  # computed by the child
        assert volume.warnings == [f"{path.stem}: header warning",
                                   f"{path.stem}: warning found while streaming"]  # fmt: skip


def test_a_volume_failing_before_or_while_streaming_leaves_the_next_intact() -> None:
    paths = [Path("unreadable.xml"), Path("v1.xml"), Path("v2.xml"), Path("v3.xml")]
    parse = volume_parser(documents=500, fail_at={"v1": 300})
    seen: dict[str, object] = {}
    for path, volume in parse_ahead.volumes_parsed_ahead(parse, paths):
        if isinstance(volume, BaseException):
            seen[path.stem] = volume
            continue
        if path.stem == "v2":  # a loader that fails early leaves its items unread
            next(volume.items)
            seen["v2"] = "abandoned"
            continue
        try:
            seen[path.stem] = len(list(volume.items))
        except ParseError as exc:
            seen[path.stem] = exc
    assert isinstance(seen["unreadable"], ParseError)
    assert "unreadable.xml: line 1" in str(seen["unreadable"])
    assert isinstance(seen["v1"], ParseError)
    assert str(seen["v1"]) == "v1.xml: v1-d300: line 300: broken"
    assert (seen["v1"].file, seen["v1"].record) == ("v1.xml", "v1-d300")
    assert seen["v2"] == "abandoned"
    assert seen["v3"] == 500  # none of v2's items leaked into it


def test_a_record_set_streams_its_documents_then_its_notes() -> None:
    def parse_set(paths: list[Path]) -> RecordSet:
        documents = [record("set", n) for n in range(1234)]
        return RecordSet([], documents, warnings=["a warning"], errors=["an error"])

    records, total = parse_ahead.set_parsed_ahead(parse_set, [Path("lists")])
    assert total == 1234
    assert records.warnings == [] and records.errors == []  # not read yet
    documents = list(records.documents)
    assert documents == parse_set([]).documents
    assert records.warnings == ["a warning"] and records.errors == ["an error"]


def test_a_record_set_that_fails_to_parse_raises_in_the_parent() -> None:
    def parse_set(paths: list[Path]) -> RecordSet:
        raise OSError(f"{paths[0]}: cannot read")

    with pytest.raises(OSError, match="lists: cannot read"):
        parse_ahead.set_parsed_ahead(parse_set, [Path("lists")])


def test_a_child_that_dies_is_reported_not_waited_for() -> None:
    def parse(path: Path) -> VolumeRecord:
        os._exit(3)  # what the kernel's out-of-memory killer leaves behind

    volumes = parse_ahead.volumes_parsed_ahead(parse, [Path("v1.xml")])
    with pytest.raises(parse_ahead.ChildDied, match="exit code 3"):
        next(volumes)


def test_an_exception_that_cannot_be_pickled_still_arrives_with_its_message() -> None:
    class Odd(Exception):
        def __init__(self, a, b):  # pickling calls Odd(message): fails
            super().__init__(f"{a} and {b}")

    def parse(path: Path) -> VolumeRecord:
        raise Odd("this", "that")

    [(_path, failure)] = list(parse_ahead.volumes_parsed_ahead(parse, [Path("v1.xml")]))
    assert isinstance(failure, RuntimeError)
    assert str(failure) == "Odd: this and that"


def test_a_record_the_work_ahead_fails_on_arrives_for_the_loader_to_report() -> None:
    def parse_set(paths: list[Path]) -> RecordSet:
        bad = record("set", 1)
        bad.subjects = [object()]  # not serializable: its content hash fails
        return RecordSet([], [record("set", 0), bad])

    records, _ = parse_ahead.set_parsed_ahead(parse_set, [Path("lists")])
    good, bad = list(records.documents)
    assert "_content_hash_at_parse" in good.__dict__
    assert "_content_hash_at_parse" not in bad.__dict__
    with pytest.raises(TypeError, match="not serializable"):
        bad.content_hash()  # where the loader meets it, naming the record
