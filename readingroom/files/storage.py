"""Content-addressed file store: a file lives at files/<sha256[:2]>/<sha256>, is
written atomically (temporary file, fsync, rename) and never overwritten."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def path_for(sha256: str) -> Path:
    return Path(settings.FILES_DIR) / sha256[:2] / sha256


def store_bytes(data: bytes) -> str:
    """Store derived content (a page image, an hOCR file); returns its sha256. Idempotent."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = path_for(sha256)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return sha256


def store(source: Path) -> tuple[str, int]:
    """Copy `source` into the store; returns (sha256, size). Idempotent."""
    sha256 = sha256_of(source)
    target = path_for(sha256)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            if sha256_of(Path(tmp)) != sha256:
                raise OSError(f"{source}: file changed while it was being stored")
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return sha256, target.stat().st_size
