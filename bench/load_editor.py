"""The editor of bench/load.py: saves one document a second, as the admin would (a new
version, an outbox row, the worker re-indexing it), until the file --until exists;
prints a summary.

    READINGROOM_HOME=... python bench/load_editor.py --until STOP_FILE IDENTIFIER...
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--until", type=Path, required=True, help="stop once this file exists")
    parser.add_argument("identifiers", nargs="+")
    args = parser.parse_args()
    django.setup()
    from django.db import OperationalError, transaction

    from readingroom.catalogue.models import Document

    saves, errors, locked, slowest = 0, 0, 0, 0.0
    start = time.monotonic()
    n = -1
    while not args.until.exists():
        n += 1
        # One save a second, on the second: a slow save does not shift the next ones.
        delay = start + n - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        identifier = args.identifiers[n % len(args.identifiers)]
        began = time.monotonic()
        try:
            with transaction.atomic():
                document = Document.objects.get(identifier=identifier)
                document.summary = f"{document.summary.split(' [edit ')[0]} [edit {n}]"
                document.save()
            saves += 1
        except OperationalError as error:
            errors += 1
            locked += "database is locked" in str(error)
            print(f"editor: {error}", file=sys.stderr)
        slowest = max(slowest, time.monotonic() - began)
    print(json.dumps({"saves": saves, "errors": errors, "locked": locked,
                      "slowest_save_s": round(slowest, 3)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
