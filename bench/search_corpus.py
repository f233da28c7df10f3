"""Corpora for the search benchmark (`bench/search.py`): the real documents' index dicts,
cycled into any number of documents.

    .venv/bin/python bench/search_corpus.py dump --home HOME --out FILE   (used by search.py)

The real documents are imported once into a SQLite home (the six FRUS volumes and
NARA's JFK release lists, as `make demo` does), and their index dicts, exactly what
`search.indexer` hands a backend, are dumped as JSON lines. A corpus of N documents
cycles through them: copy c of a document gets pk, identifier `<id>-g<c>` and its date
shifted by whole years (date, year, decade), every other field kept as it is, so every
generated document carries the full text of a real one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from readingroom.conf import corpus  # noqa: E402

Doc = dict[str, Any]
# Fields whose text is indexed, for the corpus's text size (what "4 GB of text" counts).
TEXT_FIELDS = (
    "title",
    "summary",
    "body",
    "body_ru",
    "body_es",
    "body_de",
    "body_fr",
    "ocr",
    "person",
    "place",
    "archive",
)


def readingroom(home: Path, *args: str, database_url: str = "") -> None:
    """Run the `readingroom` command on a home (stderr kept for failures)."""
    env = {**os.environ, "READINGROOM_HOME": str(home), "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "-m", "readingroom", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def ensure_base(work: Path) -> tuple[Path, Path]:
    """The imported home and its dumped index dicts, built once and reused after;
    returns (home, dicts file)."""
    home, dump = work / "base", work / "base-dicts.jsonl"
    if not (home / "imported").exists():
        home.mkdir(parents=True, exist_ok=True)
        shared = corpus()
        print(f"importing the real documents into {home}", file=sys.stderr)
        readingroom(home, "migrate", "--no-input")
        readingroom(home, "import", "frus", str(shared / "frus"), "--no-progress")
        readingroom(home, "import", "nara-jfk", str(shared / "nara-jfk"), "--no-progress")
        # The worker's job after an import: the base home's own tantivy index, which
        # `readingroom serve` answers /search.json from in the HTTP comparison.
        readingroom(home, "process-outbox")
        (home / "imported").touch()
        dump.unlink(missing_ok=True)
    if not dump.exists():
        env = {**os.environ, "READINGROOM_HOME": str(home), "DATABASE_URL": ""}
        tmp = dump.with_suffix(".tmp")
        subprocess.run(
            [sys.executable, __file__, "dump", "--home", str(home), "--out", str(tmp)],
            env=env,
            check=True,
        )
        tmp.replace(dump)
    return home, dump


def dump_index_dicts(out: Path, batch: int = 500) -> int:
    """Every public document's index dict as one JSON line (Django set up on the home)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    django.setup()
    from readingroom.catalogue.gate import public_documents
    from readingroom.search.fields import documents_for_index, iter_index_fields

    pks = list(public_documents().order_by("pk").values_list("pk", flat=True))
    with out.open("w", encoding="utf-8") as f:
        for start in range(0, len(pks), batch):
            chunk = public_documents().filter(pk__in=pks[start : start + batch]).order_by("pk")
            for fields in iter_index_fields(documents_for_index(chunk)):
                f.write(json.dumps(fields, ensure_ascii=False) + "\n")
    return len(pks)


def load_base(dump: Path, which: str) -> list[Doc]:
    """The real documents to cycle: `frus` (the issue's corpus: 2,331 documents of about
    4 KB of text each) or `all` (with NARA's 14,666 records of about 330 bytes each).
    Shuffled with a fixed seed, so a corpus smaller than one cycle is still a fair mix."""
    with dump.open(encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    if which == "frus":
        docs = [d for d in docs if d["identifier"].startswith("frus")]
    random.Random(0).shuffle(docs)
    return docs


def year_shift(copy: int) -> int:
    """Whole years to shift copy `copy` by: 0 for the first (the real dates), then
    spread over -20..+20 so the date facets and date ranges see varied years."""
    return 0 if copy == 0 else (copy * 7) % 41 - 20


def generated(base: list[Doc], n: int) -> Iterator[Doc]:
    """N documents cycling through `base`, streamed (no list of N dicts is ever held)."""
    for i in range(n):
        copy, src = divmod(i, len(base))
        yield derive(base[src], copy, pk=i + 1)


def derive(src: Doc, copy: int, pk: int) -> Doc:
    doc = {**src, "pk": pk, "identifier": f"{src['identifier']}-g{copy:06d}"}
    shift = year_shift(copy)
    if src.get("date"):
        year = src["date"] // 10000 + shift
        doc["date"] = year * 10000 + src["date"] % 10000
        doc["year"] = str(year)
        doc["decade"] = f"{year // 10 * 10}s"
    return doc


def batches(items: Iterable[Doc], size: int) -> Iterator[list[Doc]]:
    batch: list[Doc] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def text_bytes(doc: Doc) -> int:
    """UTF-8 bytes of the indexed text of one document."""
    total = 0
    for name in TEXT_FIELDS:
        value = doc.get(name) or ""
        for part in value if isinstance(value, list) else [value]:
            total += len(part.encode("utf-8"))
    return total


def corpus_text_bytes(base: list[Doc], n: int) -> int:
    """Text bytes of the N-document corpus, from the base (copies carry the same text)."""
    sizes = [text_bytes(d) for d in base]
    full, rest = divmod(n, len(base))
    return full * sum(sizes) + sum(sizes[:rest])


def main() -> int:
    parser = argparse.ArgumentParser(description="Dump the index dicts of a home's documents.")
    parser.add_argument("command", choices=["dump"])
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    os.environ["READINGROOM_HOME"] = str(args.home)
    n = dump_index_dicts(args.out)
    print(f"dumped {n:,} index dicts to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
