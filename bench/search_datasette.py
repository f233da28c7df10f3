"""The peer in the search benchmark: Datasette's full-text search (SQLite FTS5) over the
same documents, timed over HTTP, and the SQL it runs timed in process.

Datasette is not a dependency of Reading Room: `bench/search.py` installs it into the
virtualenv when missing (`pip install datasette`), for the benchmark only.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from search_corpus import TEXT_FIELDS, Doc, batches
from search_queries import PAGE, Case

# The same text the corpus counts, plus the identifier (known-item lookups).
FTS_COLUMNS = ("identifier", *TEXT_FIELDS)
SCALAR_FACETS = ("type", "classification", "translated", "decade", "year")
# JSON arrays, faceted with ?_facet_array=
ARRAY_FACETS = (
    "language",
    "collection",
    "repository",
    "people",
    "places",
    "release_year",
    "prior_status",
)
COLUMNS = ("pk", *FTS_COLUMNS, "date", *SCALAR_FACETS, *ARRAY_FACETS)
FACET_SIZE = 100  # values shown per facet, as our search page shows (FACET_VALUES_SHOWN)
# Limits raised so Datasette computes every facet instead of giving up (its defaults:
# 1 s per query, 200 ms per facet); facet suggestions off (we suggest none either).
SETTINGS = {"sql_time_limit_ms": "600000", "facet_time_limit_ms": "600000", "suggest_facets": "off"}


def ensure_installed() -> str:
    """Datasette's version, installing it into this virtualenv first if needed."""
    try:
        import datasette.version
    except ImportError:
        print("installing datasette into the virtualenv (benchmark only)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "datasette"], check=True)
        import datasette.version
    return datasette.version.__version__


def _row(doc: Doc) -> tuple:
    def text(name: str) -> str:
        value = doc.get(name) or ""
        return " ; ".join(value) if isinstance(value, list) else str(value)

    arrays = [json.dumps(doc.get(name) or [], ensure_ascii=False) for name in ARRAY_FACETS]
    scalars = [doc.get(name) for name in SCALAR_FACETS]
    return (doc["pk"], *(text(c) for c in FTS_COLUMNS), doc.get("date") or 0, *scalars, *arrays)


def build_database(path: Path, docs: Iterable[Doc]) -> dict[str, Any]:
    """A table of the documents and an FTS5 index over its text (Porter stemming,
    accents folded: the nearest FTS5 gets to our English analyzer), laid out as
    `sqlite-utils enable-fts` does, so Datasette finds it; returns seconds, docs, bytes."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    started, n = time.perf_counter(), 0
    db.execute(
        f"CREATE TABLE docs (pk INTEGER PRIMARY KEY, "
        f"{', '.join(c + ' TEXT' for c in FTS_COLUMNS)}, date INTEGER, "
        f"{', '.join(c + ' TEXT' for c in (*SCALAR_FACETS, *ARRAY_FACETS))})"
    )
    insert = f"INSERT INTO docs VALUES ({', '.join('?' * len(COLUMNS))})"
    for chunk in batches(docs, 1000):
        db.executemany(insert, [_row(d) for d in chunk])
        n += len(chunk)
    db.execute(
        f"CREATE VIRTUAL TABLE docs_fts USING fts5({', '.join(FTS_COLUMNS)}, "
        "content=\"docs\", tokenize='porter unicode61 remove_diacritics 2')"
    )
    db.execute("INSERT INTO docs_fts(docs_fts) VALUES ('rebuild')")
    db.execute("CREATE INDEX docs_date ON docs(date)")  # the date range's filter
    db.commit()
    db.execute("VACUUM")
    db.close()
    return {"seconds": time.perf_counter() - started, "docs": n, "bytes": path.stat().st_size}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=900) as response:
        return json.loads(response.read())


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


class DatasetteServer:
    """`datasette serve -i DB` on a free loopback port, for a `with` block."""

    def __init__(self, db: Path) -> None:
        self.db, self.port = db, free_port()
        self.base = f"http://127.0.0.1:{self.port}/{db.stem}/docs.json"

    def __enter__(self) -> DatasetteServer:
        settings = [a for k, v in SETTINGS.items() for a in ("--setting", k, v)]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "datasette",
                "serve",
                "-i",
                str(self.db),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *settings,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(f"http://127.0.0.1:{self.port}/-/versions.json", self.process)
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def url(self, case: Case) -> str:
        params: list[tuple[str, str]] = []
        if case.fts5:
            params += [("_search", case.fts5), ("_searchmode", "raw")]
        params += list(case.sqlite_filters.items())
        params += [("_size", str(PAGE)), ("_facet_size", str(FACET_SIZE))]
        params += [("_facet", name) for name in SCALAR_FACETS]
        params += [("_facet_array", name) for name in ARRAY_FACETS]
        return f"{self.base}?{urllib.parse.urlencode(params)}"

    def http(self, case: Case) -> Callable[[], int]:
        url = self.url(case)

        def run() -> int:
            data = get_json(url)
            if data.get("facets_timed_out"):  # never measure a facet Datasette skipped
                raise RuntimeError(f"Datasette facets timed out: {data['facets_timed_out']}")
            return data["filtered_table_rows_count"]

        return run


def _where(case: Case) -> tuple[str, dict[str, Any]]:
    clauses, params = [], {}
    if case.fts5:
        clauses.append("rowid in (select rowid from docs_fts where docs_fts match :search)")
        params["search"] = case.fts5
    for i, (key, value) in enumerate(case.sqlite_filters.items()):
        column, op = key.split("__")
        clauses.append(f"{column} {'>=' if op == 'gte' else '<='} :p{i}")
        params[f"p{i}"] = int(value)
    return (" and ".join(clauses) or "1"), params


def in_process(db: Path, case: Case) -> Callable[[], int]:
    """The statements Datasette 0.65 runs for the same request (count, the page of
    rows in primary key order, one GROUP BY per facet), in this process, no HTTP."""
    conn = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    where, params = _where(case)
    columns = ", ".join(COLUMNS)
    inner = f"select {columns} from docs where {where}"
    limit = FACET_SIZE + 1
    statements = [
        f"select count(*) from docs where {where}",
        f"{inner} order by pk limit {PAGE + 1}",
    ]
    statements += [
        f"select {c} as value, count(*) as count from ({inner}) where {c} is not null "
        f"group by {c} order by count desc, value limit {limit}"
        for c in SCALAR_FACETS
    ]
    statements += [
        f"with inner as ({inner}), deduped_array_items as (select distinct j.value, "
        f"inner.* from json_each([inner].{c}) j join inner) select value as value, "
        f"count(*) as count from deduped_array_items group by value "
        f"order by count(*) desc, value limit {limit}"
        for c in ARRAY_FACETS
    ]

    def run() -> int:
        total = conn.execute(statements[0], params).fetchone()[0]
        for statement in statements[1:]:
            conn.execute(statement, params).fetchall()
        return total

    return run
