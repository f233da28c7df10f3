"""`readingroom import` starts parsing before Django loads.

Loading Django, the apps and the command takes about a third of a second, and parsing
the release lists as long again before the first record can be sent; the two need not
wait for each other. So `readingroom.cli` hands the import's arguments here first: when
they plainly name an importer and existing paths, the parsing process is started at
once (`parse_ahead.start_set` / `start_volumes`; the parsers need nothing of Django),
and the command takes it over when it gets that far (`take`). Anything else (help, a
mistake in the arguments, another command line than the one parsed here) starts nothing
or is ended and parsed again by the command, which reports errors as it always does: the
early start only ever saves time.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from readingroom.ingest import parse_ahead
from readingroom.ingest.importers import IMPORTERS, input_files

# The parse started early: (importer, files) and its channel.
_started: tuple[tuple[str, tuple[Path, ...]], parse_ahead.Channel] | None = None


class _Arguments(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # silent: the command reports it
        raise ValueError(message)


def start_parsing(argv: list[str]) -> bool:
    """Start the parse `readingroom import ARGV` will need, when the arguments are
    plain enough to tell (the command checks they were read the same). Returns whether
    it started."""
    if not parse_ahead.available() or any(a in ("-h", "--help") for a in argv):
        return False
    parser = _Arguments(add_help=False)
    parser.add_argument("source")
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--report")  # its file is no input
    try:
        args, _ = parser.parse_known_args(argv)
    except ValueError:
        return False
    importer = IMPORTERS.get(args.source)
    inline = importer is None or importer.parse_file or importer.parse_sheet
    if inline or not all(p.exists() for p in args.paths):
        return False  # single files and sheets are parsed inline
    files = input_files(importer, args.paths)
    if importer.parse_set:
        channel = parse_ahead.start_set(importer.parse_set, files)
    else:
        channel = parse_ahead.start_volumes(importer.parse_volume, files)
    global _started
    _started = ((importer.name, tuple(files)), channel)
    return True


def take(importer: str, files: list[Path]) -> parse_ahead.Channel | None:
    """The parse started early for exactly these arguments, if any; one started for
    others is ended (its results would not be what the command was asked for)."""
    global _started
    started, _started = _started, None
    if started is None:
        return None
    key, channel = started
    if key == (importer, tuple(files)):
        return channel
    channel.close()
    return None
