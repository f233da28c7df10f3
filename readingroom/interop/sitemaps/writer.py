"""Write the sitemaps: an index and parts of at most READINGROOM_SITEMAP_URLS URLs (the
protocol allows 50,000), every public document once with its effective modification
time as `lastmod`, and the collection pages. Run by the task worker after catalogue
changes (`tasks.py`), never inside a request: at 100,000 documents a run takes a few
seconds (docs/benchmarks.md).

A run writes a new generation folder and then swaps a manifest (`current.json`)
naming it, so a reader sees one whole generation or the one before; the generation
before the current one is kept for readers that read the manifest just before the swap.
Each `<url>` is one line, so that serving can correct single records (`views.py`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.conf import env

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
URLSET_OPEN = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
URLSET_CLOSE = "</urlset>\n"
MANIFEST = "current.json"


@dataclass(frozen=True)
class Part:
    name: str  # file name, also its URL's last segment
    kind: str  # "documents" | "collections"
    first_id: int  # documents: the record IDs this part covers, both included
    last_id: int
    lastmod: str  # W3C datetime, or "" when the part has no dated URL
    count: int


@dataclass(frozen=True)
class Manifest:
    generation: str
    generated_at: str  # ISO 8601: changes after this are corrected when served
    base_url: str  # the address the URLs were written with
    parts: list[Part]

    @classmethod
    def load(cls, root: Path) -> Manifest | None:
        try:
            data = json.loads((root / MANIFEST).read_text())
        except (FileNotFoundError, ValueError):
            return None
        return cls(**{**data, "parts": [Part(**p) for p in data["parts"]]})

    def folder(self, root: Path) -> Path:
        return root / self.generation


def base_url() -> str:
    """The site's public address; without one, the address `make demo` serves (the
    views write URLs again for the address a request came to)."""
    return settings.BASE_URL or f"http://127.0.0.1:{env('PORT')}"


def w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def url_line(base: str, path: str, lastmod: str = "") -> str:
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(base + path)}</loc>{modified}</url>\n"


def document_path(identifier: str) -> str:
    """The document page's path (reversed once, not once per record)."""
    return _document_path_pattern().replace("IDENTIFIER0", identifier)


@cache
def _document_path_pattern() -> str:
    return reverse("reader:document", args=["IDENTIFIER0"])


def _document_rows(now: datetime) -> Iterator[tuple[int, str, datetime]]:
    # A public record's embargo, if any, has ended: the stored column is its effective
    # modification time. Read in id order, in batches of the part size.
    qs = public_documents(now).order_by("id").values_list("id", "identifier",
                                                          "effective_modified_at")  # fmt: skip
    return qs.iterator(chunk_size=2000)


def write(root: Path | None = None) -> Manifest:
    """Write a new generation and make it current; returns its manifest."""
    root = root or settings.SITEMAPS_DIR
    root.mkdir(parents=True, exist_ok=True)
    now = timezone.now()  # before reading: a change from here on is corrected when served
    generation = now.strftime("%Y%m%dT%H%M%S%f")
    folder = root / generation
    folder.mkdir()
    base = base_url()
    size = settings.SITEMAP_URLS
    parts: list[Part] = []
    batch: list[tuple[int, str, datetime]] = []
    highest = m.Document.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def flush(last_id: int) -> None:
        first_id = parts[-1].last_id + 1 if parts else 1
        name = f"documents-{len(parts) + 1}.xml"
        lines = [url_line(base, document_path(i), w3c(t)) for _, i, t in batch]
        (folder / name).write_text(URLSET_OPEN + "".join(lines) + URLSET_CLOSE)
        newest = max((t for _, _, t in batch), default=None)
        parts.append(Part(name, "documents", first_id, last_id,
                          w3c(newest) if newest else "", len(batch)))  # fmt: skip
        batch.clear()

    for row in _document_rows(now):
        batch.append(row)
        if len(batch) == size:
            flush(row[0])
    if batch or not parts:
        flush(highest)  # the last part also covers records added since (corrected later)
    else:
        parts[-1] = Part(**{**asdict(parts[-1]), "last_id": highest})
    parts += _collection_parts(folder, base, size)
    manifest = Manifest(generation, now.isoformat(), base, parts)
    tmp = root / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(asdict(manifest), indent=1))
    previous = Manifest.load(root)
    tmp.replace(root / MANIFEST)
    _remove_old(root, keep={generation, previous.generation if previous else ""})
    return manifest


def _collection_parts(folder: Path, base: str, size: int) -> list[Part]:
    paths = [reverse("reader:documents"), reverse("reader:collections")]
    paths += [reverse("reader:collection", args=[i]) for i in
              m.Collection.objects.order_by("id").values_list("identifier", flat=True)]  # fmt: skip
    parts = []
    for start in range(0, len(paths), size):
        name = f"collections-{len(parts) + 1}.xml"
        chunk = paths[start : start + size]
        (folder / name).write_text(URLSET_OPEN + "".join(url_line(base, p) for p in chunk)
                                   + URLSET_CLOSE)  # fmt: skip
        parts.append(Part(name, "collections", 0, 0, "", len(chunk)))
    return parts


def _remove_old(root: Path, keep: set[str]) -> None:
    for child in root.iterdir():
        if child.is_dir() and child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)
