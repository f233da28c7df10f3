"""Parsing in a second process while this one writes: the import's two halves overlap.

Parsers are pure (files in, plain records out) and the loader is the only writer, so
the two can run side by side on a machine's two cores: a child process parses the
files and sends records through a bounded queue, and the importing process writes them
as they come. An import then takes about as long as the slower half instead of the sum
of both. The child also does the loader's pure work on each record (its content hash,
its texts' sanitized HTML, what it asserts) before sending it.

The parent sees the same objects an inline parse gives (VolumeRecords whose items
stream, a RecordSet), so the loaders do not know where parsing happened. Errors keep
their meaning: an exception the parser raised (a ParseError naming file and line, an
OSError) is raised again in the parent at the same point of the stream. A child that
dies without saying why is reported as such. The queue holds a few chunks of records,
so memory stays bounded whatever the corpus size.

Needs the `fork` start method (Linux, the platform we ship for): the child inherits the
loaded parser modules and starts at once. Elsewhere parsing stays inline.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import weakref
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from readingroom.ingest.assertions import assert_ahead
from readingroom.ingest.records import DocumentRecord, RecordSet, VolumeRecord

CHUNK = 200  # records per message: few enough messages, small enough to start quickly
QUEUE_CHUNKS = 8  # chunks parsed ahead at most: bounds the memory of both processes
POLL_SECONDS = 1.0  # how often a waiting parent checks that the child is still alive

Message = tuple[str, Any]


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def start_volumes(parse_volume: Callable[[Path], VolumeRecord], paths: list[Path]) -> Channel:
    """The child parsing these volumes, started now; `volumes_parsed_ahead` reads it."""
    return Channel(_parse_volumes, parse_volume, paths)


def start_set(parse_set: Callable[[list[Path]], RecordSet], paths: list[Path]) -> Channel:
    """The child parsing this set, started now; `set_parsed_ahead` reads it."""
    return Channel(_parse_set, parse_set, paths)


def volumes_parsed_ahead(
    parse_volume: Callable[[Path], VolumeRecord], paths: list[Path],
    channel: Channel | None = None,
) -> Iterator[tuple[Path, VolumeRecord | BaseException]]:  # fmt: skip
    """Each path with its parsed volume (items streaming from the child) or the
    exception its parse raised before the first item. Consume a volume's items (or
    abandon them) before asking for the next volume. The child starts at once, unless
    `channel` is the one `start_volumes` started for the same arguments."""
    channel = channel or start_volumes(parse_volume, paths)

    def volumes() -> Iterator[tuple[Path, VolumeRecord | BaseException]]:
        with channel:
            for path in paths:
                kind, payload = channel.receive()
                if kind == "failed":
                    yield path, payload
                    continue
                volume: VolumeRecord = payload
                volume.items = channel.stream(volume.warnings)
                channel.streaming = True  # until its end is read, by the loader or drain()
                yield path, volume
                channel.drain()  # what the loader left unread (a failed volume)

    return volumes()


def set_parsed_ahead(
    parse_set: Callable[[list[Path]], RecordSet], paths: list[Path],
    channel: Channel | None = None,
) -> tuple[RecordSet, int | None]:  # fmt: skip
    """The RecordSet `parse_set(paths)` returns, its documents streaming from the child,
    and how many documents will come (when the parser knew); from `channel` when
    `start_set` started it for the same arguments.

    Warnings and errors are complete once the documents have been read. Raises what the
    parse raised before its first document.
    """
    channel = channel or start_set(parse_set, paths)
    kind, payload = channel.receive()
    if kind == "failed":
        channel.__exit__(None, None, None)
        raise payload
    records, total = payload

    def documents() -> Iterator[DocumentRecord]:
        with channel:
            yield from channel.stream(records.warnings, records.errors)

    records.documents = documents()
    # Documents never read (the loader failed first): the child ends with the set.
    weakref.finalize(records, channel.__exit__, None, None, None)
    return records, total


# -- the child ---------------------------------------------------------------------


def _parse_volumes(send: Callable[[Message], None], parse_volume, paths: list[Path]) -> None:
    for path in paths:
        try:
            volume = parse_volume(path)
        except Exception as exc:
            send(("failed", exc))
            continue
        send(("started", replace(volume, items=[], warnings=[])))
        _send_items(send, volume.items, lambda v=volume: (v.warnings, []))


def _parse_set(send: Callable[[Message], None], parse_set, paths: list[Path]) -> None:
    try:
        records = parse_set(paths)
    except Exception as exc:
        send(("failed", exc))
        return
    documents = records.documents
    total = len(documents) if isinstance(documents, list) else records.expected
    send(("started", (replace(records, documents=[], warnings=[], errors=[]), total)))
    _send_items(send, iter(documents), lambda: (records.warnings, records.errors))


def _send_items(send, items: Iterator, notes: Callable[[], tuple[list, list]]) -> None:
    """Items in chunks, then the warnings and errors gathered while making them (or
    the exception that stopped them)."""
    chunk: list = []
    try:
        for item in _with_companions(items):
            if isinstance(item, DocumentRecord):
                _work_ahead(item)
            chunk.append(item)
            if len(chunk) == CHUNK:
                send(("items", chunk))
                chunk = []
    except Exception as exc:
        if chunk:
            send(("items", chunk))
        send(("raised", exc))
        return
    if chunk:
        send(("items", chunk))
    warnings, errors = notes()
    send(("done", (list(warnings), list(errors))))


def _with_companions(items: Iterator) -> Iterator:
    """The items, each record that shares its document with the next or the one before
    (the release lists and scan of one record number come together) marked: what it
    asserts is stored in full, so it is worked out here too."""
    held = None
    for item in items:
        if held is not None:
            if _chain(held) is not None and _chain(held) == _chain(item):
                held._companions = item._companions = True
            yield held
        held = item
    if held is not None:
        yield held


def _chain(item: Any) -> tuple[str, str] | None:
    if not isinstance(item, DocumentRecord):
        return None
    return (item.source.importer, item.source.id_in_source)


def _work_ahead(record: DocumentRecord) -> None:
    """The loader's pure work on a record, done here: its content hash (first: the
    hash is of the record as parsed) and its texts' sanitized HTML. Work ahead is only
    a saving: a record it fails on goes as it is, and the loader, doing the work
    itself, meets the failure where it reports it (naming the record)."""
    try:
        record.hash_ahead()
        for text in record.texts:
            text.sanitize_ahead()
        if record.__dict__.pop("_companions", False):
            assert_ahead(record)  # stored in full (ingest/assertions.py)
    except Exception:
        return


def _child(target, results: multiprocessing.Queue, *args) -> None:
    def send(message: Message) -> None:
        kind, payload = message
        if isinstance(payload, BaseException):
            payload = _picklable(payload)
        results.put((kind, payload))

    try:
        target(send, *args)
    except BaseException as exc:  # anything at all is reported to the parent
        send(("crashed", exc))
    results.close()
    results.join_thread()  # everything sent before the process ends


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


# -- the parent --------------------------------------------------------------------


class ChildDied(RuntimeError):
    """The parsing process ended without finishing (killed, out of memory)."""


class Channel:
    """The child process and the queue it fills; a context manager that ends both."""

    def __init__(self, target, *args) -> None:
        context = multiprocessing.get_context("fork")
        self.results = context.Queue(maxsize=QUEUE_CHUNKS)
        self.process = context.Process(target=_child, args=(target, self.results, *args),
                                       name="readingroom-parse", daemon=True)  # fmt: skip
        self.process.start()
        self.streaming = False  # a stream of items has begun and its end is not read yet

    def __enter__(self) -> Channel:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """End the child (when it has not finished) and the queue."""
        if self.process.is_alive():
            self.process.terminate()  # the parent stopped early: nothing more is wanted
        self.process.join()
        self.results.close()

    def receive(self) -> Message:
        while True:
            try:
                kind, payload = self.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not self.process.is_alive():
                    raise ChildDied(
                        f"the parsing process ended unexpectedly (exit code "
                        f"{self.process.exitcode})"
                    ) from None
                continue
            if kind == "crashed":
                raise payload
            return kind, payload

    def stream(self, warnings: list[str], errors: list[str] | None = None) -> Iterator:
        """Items until the child says the source is done; its notes are appended to
        `warnings` and `errors` then. Raises what stopped the parser, where it stopped."""
        self.streaming = True
        while True:
            kind, payload = self.receive()
            if kind == "items":
                yield from payload
            elif kind == "raised":
                self.streaming = False
                raise payload
            else:  # done
                self.streaming = False
                more_warnings, more_errors = payload
                warnings += more_warnings
                if errors is not None:
                    errors += more_errors
                return

    def drain(self) -> None:
        """Skip the rest of an abandoned stream, so the next receive() starts afresh."""
        while self.streaming:
            kind, _ = self.receive()
            if kind in ("raised", "done"):
                self.streaming = False
