"""The `readingroom` command: a short, documented set of verbs over Django's commands.

    readingroom VERB [ARGS...]      (also: python -m readingroom VERB ...)

Each verb runs one management command; `readingroom VERB --help` shows its options.
`readingroom manage ...` reaches any other Django command.
"""

from __future__ import annotations

import gc
import os
import sys

# verb -> (Django management command, one-line help); the order is the help's order.
VERBS: dict[str, tuple[str, str]] = {
    "migrate": ("migrate", "create or upgrade the database schema and vocabularies"),
    "import": ("import", "import source files: readingroom import SOURCE PATH..."),
    "load-corpus": ("load_corpus", "import the whole sample corpus ($READINGROOM_CORPUS)"),
    "serve": ("serve", "serve the reading room on 127.0.0.1:$PORT (gunicorn)"),
    "worker": ("worker", "run the background task worker (outbox, page images, OCR)"),
    "run": ("run", "serve and run one worker, restarting either if it dies (make demo)"),
    "status": ("status", "report database, search index, worker heartbeat, outbox backlog"),
    "process-outbox": ("process_outbox", "process pending outbox entries now, then exit"),
    "ocr": ("ocr", "make page images and read page text (OCR) now, then exit"),
    "search": ("search", "search the published documents: readingroom search QUERY [--json]"),
    "reindex": ("reindex", "rebuild the search index from the catalogue"),
    "createsuperuser": ("createsuperuser", "create an editor account for /admin/"),
    "settings": ("show_settings", "list every setting, its value and what it does"),
    "check": ("check", "check the installation for problems"),
    "manage": ("", "run any Django management command: readingroom manage COMMAND ..."),
}


def usage() -> str:
    width = max(map(len, VERBS))
    lines = [__doc__.strip().splitlines()[0], "", "usage: readingroom VERB [ARGS...]", "", "verbs:"]
    lines += [f"  {verb.ljust(width)}  {help_}" for verb, (_, help_) in VERBS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    verb, rest = argv[0], argv[1:]
    if verb not in VERBS:
        print(f"readingroom: unknown verb {verb!r}\n\n{usage()}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    if verb == "import":  # the parsing process starts while Django loads
        from readingroom.ingest.early_start import start_parsing

        start_parsing(rest)
    from django.core.management import execute_from_command_line

    command = VERBS[verb][0]
    if not command:  # manage: pass through
        if not rest:
            print("usage: readingroom manage COMMAND [ARGS...]", file=sys.stderr)
            return 2
        command, rest = rest[0], rest[1:]
    try:
        execute_from_command_line([f"readingroom {verb}", command, *rest])
    except KeyboardInterrupt:
        return 130
    finally:
        # The process ends now: the collection Python makes as it exits need not scan
        # what is left (Django, the caches of an import: a quarter of a second after
        # an import). Everything that must reach disk has (transactions committed,
        # files written atomically, log handlers flushed at exit).
        gc.freeze()
    return 0
