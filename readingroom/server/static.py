"""Static files collected only when they changed: compressing them all again (Brotli at
its best) takes seconds of CPU at every server start, for nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

STAMP = ".collected-from"


def sources_fingerprint() -> str:
    """Every source static file's name, size and modification time, hashed."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_if_changed() -> bool:
    """Run collectstatic unless the collected files came from these very sources; True
    when it ran."""
    root = Path(settings.STATIC_ROOT)
    stamp, fingerprint = root / STAMP, sources_fingerprint()
    manifest = root / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True
