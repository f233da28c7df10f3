"""The `readingroom` command: a short, documented set of verbs over Django's commands.

    readingroom VERB [ARGS...]      (also: python -m readingroom VERB ...)

Each verb runs one management command; `readingroom VERB --help` shows its options.
`readingroom manage ...` reaches any other Django command.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

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


# Verbs that work in the background of a site that serves readers: they run below the
# server's CPU priority (READINGROOM_BACKGROUND_NICE), so pages stay quick meanwhile.
# None of them holds SQLite's write lock for long (a slowed holder would keep editors
# waiting); an import does, for a whole volume, and keeps its priority.
BACKGROUND = {"worker", "process-outbox", "ocr", "reindex"}
# Verbs that make a site where there is none; every other verb needs one.
CREATES_A_SITE = {"migrate"}
# Verbs that read no site at all.
NEEDS_NO_SITE = {"settings", "check", "manage"}


def missing_site(verb: str) -> str | None:
    """Why this verb should not run here: READINGROOM_HOME is unset and the current
    folder holds no site, so the command would quietly start an empty one in ./var.
    None when there is a site, or the user named where it is."""
    from readingroom.conf import env

    if verb in NEEDS_NO_SITE or os.environ.get("READINGROOM_HOME") or env("DATABASE_URL"):
        return None
    home = Path(env("READINGROOM_HOME")).expanduser().resolve()
    if (home / "readingroom.sqlite3").exists():
        return None
    if verb in CREATES_A_SITE:
        print(f"readingroom: creating a new site in {home} (READINGROOM_HOME is not set)",
              file=sys.stderr)  # fmt: skip
        return None
    return (
        f"readingroom: no site in {home}.\n"
        "READINGROOM_HOME is not set, so the site is looked for in ./var of the current "
        "folder. Run the command from the site's folder (where `make demo` ran), or point "
        "at the site with READINGROOM_HOME=/path/to/var (and DATABASE_URL for "
        "PostgreSQL); `readingroom migrate` creates a new site here."
    )


def run_command(verb: str, command: str, rest: list[str]) -> None:
    """Django's command `command`, named `readingroom VERB` in its usage and errors."""
    import django
    from django.core.management import BaseCommand, get_commands, load_command_class

    django.setup()
    app = get_commands()[command]
    cmd = app if isinstance(app, BaseCommand) else load_command_class(app, command)
    # argv[0] and argv[1] make the program name ("readingroom import"); the rest is
    # parsed as the command's arguments.
    cmd.run_from_argv(["readingroom", verb, *rest])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    verb, rest = argv[0], argv[1:]
    if verb not in VERBS:
        print(f"readingroom: unknown verb {verb!r}\n\n{usage()}", file=sys.stderr)
        return 2
    asks_for_help = any(a in ("-h", "--help") for a in rest)
    if not asks_for_help and (problem := missing_site(verb)):
        print(problem, file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    if verb in BACKGROUND:
        from readingroom.conf import yield_to_readers

        yield_to_readers()
    if verb == "import":  # the parsing process starts while Django loads
        from readingroom.ingest.early_start import start_parsing

        start_parsing(rest)
    command = VERBS[verb][0]
    try:
        if command:
            run_command(verb, command, rest)
        elif not rest:  # manage: pass through
            print("usage: readingroom manage COMMAND [ARGS...]", file=sys.stderr)
            return 2
        else:
            from django.core.management import execute_from_command_line

            execute_from_command_line(["readingroom manage", *rest])
    except KeyboardInterrupt:
        return 130
    finally:
        # The process ends now: the collection Python makes as it exits need not scan
        # what is left (Django, the caches of an import: a quarter of a second after
        # an import). Everything that must reach disk has (transactions committed,
        # files written atomically, log handlers flushed at exit).
        gc.freeze()
    return 0
