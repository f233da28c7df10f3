"""The PostgreSQL side of the search benchmark: our backend against bare SQL on the
same tables. Run by `bench/search.py` under a throw-away cluster:

    python -m readingroom.testing.postgres -- python bench/search_postgres.py \
        --sizes 10000,100000 --out results.json

(DATABASE_URL comes from the cluster; the database is created and migrated here).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from search_corpus import batches, generated, load_base  # noqa: E402
from search_queries import PAGE, QUERIES, Case, time_systems  # noqa: E402

SERVER_SETTINGS = (
    "server_version",
    "shared_buffers",
    "work_mem",
    "jit",
    "max_parallel_workers_per_gather",
)


def create_database(url: str) -> None:
    """The cluster starts with only `postgres`; the URL names `readingroom`."""
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(home: Path) -> None:
    import django

    home.mkdir(parents=True, exist_ok=True)
    os.environ["READINGROOM_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def sql(query: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def index_size(base: list[dict], n: int, batch: int) -> dict[str, Any]:
    """Empty the tables, index N documents through `PostgresBackend.index` in batches
    (one transaction each, as the reindex does), then VACUUM ANALYZE (timed apart: a
    deployment's autovacuum does it on its own time)."""
    from readingroom.search.backends.postgres_backend import PostgresBackend

    backend = PostgresBackend()
    sql("TRUNCATE search_searchfacet, search_searchentry")
    started, done = time.perf_counter(), 0
    for chunk in batches(generated(base, n), batch):
        backend.index(chunk)
        done += len(chunk)
        if done % 10_000 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"  postgres: {done:,}/{n:,} indexed ({rate:,.0f} docs/s)", file=sys.stderr)
    seconds = time.perf_counter() - started
    t = time.perf_counter()
    sql("VACUUM ANALYZE search_searchentry")
    sql("VACUUM ANALYZE search_searchfacet")
    vacuum = time.perf_counter() - t
    size = sql(
        "SELECT pg_total_relation_size('search_searchentry') "
        "+ pg_total_relation_size('search_searchfacet')"
    )[0][0]
    return {"seconds": seconds, "docs": done, "bytes": size, "vacuum_seconds": vacuum}


def raw(case: Case, facets: bool) -> Callable[[], int]:
    """Bare SQL, one text search configuration (ours ORs five: English and the four
    stemmed languages), no snippets: the count, the top 20 by ts_rank, and (facets=True)
    the same GROUP BY over the facet rows that our backend runs."""
    where, params = case.pg_where, list(case.pg_params)
    if case.pg_rank:
        order = "ts_rank(e.vector, websearch_to_tsquery('rr_english', %s)) DESC"
        order_params = [case.pg_rank]
    else:
        order, order_params = "e.document_pk", []
    count_sql = f"SELECT count(*) FROM search_searchentry e WHERE {where}"
    top_sql = (
        f"SELECT e.document_pk FROM search_searchentry e WHERE {where} "
        f"ORDER BY {order} LIMIT {PAGE}"
    )
    facet_sql = (
        "SELECT f.facet, f.value, count(*) FROM search_searchfacet f WHERE f.entry_id "
        f"IN (SELECT e.document_pk FROM search_searchentry e WHERE {where}) "
        "GROUP BY f.facet, f.value"
    )

    def run() -> int:
        total = sql(count_sql, params)[0][0]
        sql(top_sql, [*params, *order_params])
        if facets:
            sql(facet_sql, params)
        return total

    return run


def ours(case: Case) -> Callable[[], int]:
    from readingroom.search.backends.base import SearchQuery
    from readingroom.search.backends.postgres_backend import PostgresBackend

    backend = PostgresBackend()
    return lambda: backend.search(SearchQuery(text=case.ours, limit=PAGE)).total


def measure_size(base: list[dict], n: int, args: argparse.Namespace) -> dict[str, Any]:
    print(f"postgres: indexing {n:,} documents", file=sys.stderr)
    indexed = index_size(base, n, args.batch)
    print(
        f"  postgres: {n / indexed['seconds']:,.0f} docs/s, {indexed['bytes'] / 1e6:,.0f} MB",
        file=sys.stderr,
    )
    queries = {}
    for case in QUERIES:
        timings = time_systems(
            {
                "postgres": ours(case),
                "postgres_raw": raw(case, True),
                "postgres_raw_nofacets": raw(case, False),
            },
            args.repeat,
            args.budget,
        )
        queries[case.kind] = {name: t.as_dict() for name, t in timings.items()}
        summary = ", ".join(f"{k} p95 {t.p95:.1f} ms" for k, t in timings.items())
        print(f"  postgres {n:,} {case.kind}: {summary}", file=sys.stderr)
    return {"index": indexed, "queries": queries}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--dicts", type=Path, required=True, help="base index dicts (JSON lines)")
    parser.add_argument("--corpus", default="frus", choices=["frus", "all"])
    parser.add_argument("--home", type=Path, required=True, help="READINGROOM_HOME to use")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--budget", type=float, default=20.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    create_database(os.environ["DATABASE_URL"])
    setup_django(args.home)
    base = load_base(args.dicts, args.corpus)
    settings = {name: sql(f"SHOW {name}")[0][0] for name in SERVER_SETTINGS}
    results: dict[str, Any] = {"settings": settings, "sizes": {}}
    for n in (int(s) for s in args.sizes.split(",")):
        results["sizes"][str(n)] = measure_size(base, n, args)
        args.out.write_text(json.dumps(results, indent=1))  # kept as it goes
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
