"""Search benchmark: both backends, the raw engines and Datasette on the same documents.

    .venv/bin/python bench/search.py [--sizes 10000,100000,1000000] [--skip-postgres]
        [--skip-datasette] [--write-docs]

Corpora of N documents are built from the real FRUS documents (bench/search_corpus.py:
their index dicts cycled with new ids and dates shifted by whole years) and indexed by
each system; then a fixed mix of queries (bench/search_queries.py: rare word, common
word, phrase, boolean, field, date range, each with all facets) is timed, p50/p95 per
kind, for:
- our tantivy backend (`TantivyBackend.search`) and the raw engine on the same index
  (tantivy's own parse_query + top 20 with count + the same terms aggregation), taking
  turns in the same run;
- our PostgreSQL backend and bare SQL on its tables (a throw-away cluster, Debian's
  PostgreSQL: bench/search_postgres.py), up to --peers-up-to documents;
- Datasette 0.65 over HTTP (SQLite FTS5, same documents, every facet) and the SQL it
  runs timed in process, up to --peers-up-to documents;
- on the real catalogue (16,997 imported documents), our /search.json over HTTP
  (`readingroom serve`) next to Datasette over HTTP: the fair HTTP comparison.
Indexing throughput and index size on disk are reported for every system.

Progress goes to stderr, the results (the docs section, Markdown) to stdout; raw figures
are kept in /tmp/bench-search/results.json (--reuse skips the stages found there).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

from search_corpus import corpus_text_bytes, ensure_base, generated, load_base  # noqa: E402
from search_queries import PAGE, QUERIES, Case, time_systems  # noqa: E402

WORK = Path("/tmp/bench-search")  # --work: every file this benchmark writes
RESULTS = WORK / "results.json"
INDEX_BYTES_PER_DOC = 4_000  # tantivy, FRUS text (3.7 KB measured): for the disk check


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def setup_django() -> None:
    """Our backends import Django models; this process's own home is never used."""
    import django

    home = WORK / "bench-home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["READINGROOM_HOME"] = str(home)
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    django.setup()


def machine() -> dict[str, Any]:
    from importlib.metadata import version

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").open()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024**2),
        "python": platform.python_version(),
        "tantivy": version("tantivy"),
        "sqlite": sqlite3.sqlite_version,
        "load_start": os.getloadavg()[0],
        **code_version(),
    }


def code_version() -> dict[str, Any]:
    """The commit measured, and how many files under readingroom/ differ from it (others
    work in the same checkout)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout

    dirty = git("status", "--porcelain", "--", "readingroom").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "dirty": len(dirty)}


def progress(label: str, total: int) -> Callable[[int], None]:
    started = time.perf_counter()

    def report(done: int) -> None:
        if done % 50_000 == 0 or done == total:
            rate = done / (time.perf_counter() - started)
            log(f"  {label}: {done:,}/{total:,} ({rate:,.0f} docs/s)")

    return report


def disk_check(n: int, results: dict[str, Any]) -> str | None:
    """None when there is room for the index (and the raw engine's, built first and
    removed after, plus merges), else why not."""
    need = 2.5 * n * INDEX_BYTES_PER_DOC
    free = shutil.disk_usage(WORK).free
    results.setdefault("disk", {})[str(n)] = [free / 1e9, need / 1e9]
    log(
        f"disk: {free / 1e9:,.1f} GB free in {WORK}, about {need / 1e9:,.1f} GB needed "
        f"for {n:,} documents"
    )
    if free < need:
        return f"{free / 1e9:,.1f} GB free, about {need / 1e9:,.1f} GB needed"
    return None


def stage_embedded(n: int, base: list[dict], args: argparse.Namespace) -> dict[str, Any]:
    """Tantivy (ours and raw) and, up to --peers-up-to, Datasette: indexing, then every
    query kind with all of them taking turns."""
    import search_tantivy as st

    peers = not args.skip_datasette and n <= args.peers_up_to
    index: dict[str, Any] = {}
    log(f"tantivy raw engine: indexing {n:,} documents (one writer, one commit)")
    raw_dir = WORK / f"tantivy-raw-{n}"
    index["tantivy_raw"] = st.index_raw(raw_dir, generated(base, n), progress("raw", n))
    shutil.rmtree(raw_dir)  # only its indexing time is compared; queries use ours
    log(f"tantivy ours: indexing {n:,} documents, {args.batch} a call")
    root = WORK / f"tantivy-{n}"
    index["tantivy"] = st.index_ours(root, generated(base, n), args.batch, progress("ours", n))
    log(
        f"  {n / index['tantivy']['seconds']:,.0f} docs/s, "
        f"{index['tantivy']['bytes'] / 1e6:,.0f} MB on disk"
    )
    tantivy = st.TantivySystems(root)
    if not peers:
        return {"index": index, "queries": run_queries(n, tantivy.systems, args)}
    import search_datasette as sd

    db = WORK / f"datasette-{n}.db"
    log(f"datasette: building SQLite FTS5 over {n:,} documents")
    index["datasette"] = sd.build_database(db, generated(base, n))
    with sd.DatasetteServer(db) as server:

        def systems(case: Case) -> dict[str, Callable[[], int]]:
            return {
                **tantivy.systems(case),
                "datasette": server.http(case),
                "datasette_sql": sd.in_process(db, case),
            }

        queries = run_queries(n, systems, args)
    return {"index": index, "queries": queries}


def run_queries(
    n: int, systems: Callable[[Case], dict[str, Callable[[], int]]], args: argparse.Namespace
) -> dict[str, Any]:
    results = {}
    for case in QUERIES:
        timings = time_systems(systems(case), args.repeat, args.budget)
        results[case.kind] = {name: t.as_dict() for name, t in timings.items()}
        summary = ", ".join(f"{k} {t.p50:.1f}/{t.p95:.1f} ms" for k, t in timings.items())
        log(f"  {n:,} {case.kind} (p50/p95): {summary}")
    return results


def stage_breakdown(n: int, queries: dict[str, Any]) -> dict[str, Any]:
    """Where our time goes, on the index the embedded stage left, for the kind with
    our worst p95 and every kind more than 3× the raw engine's time (or, if none is,
    the furthest from it)."""
    import search_tantivy as st

    root = WORK / f"tantivy-{n}"
    if not st.TantivyBackend.path_for(root).exists():
        return {"skipped": f"no index in {root}"}
    ours = {k: row["tantivy"]["p95"] for k, row in queries.items()}
    ratio = {k: row["tantivy"]["p95"] / row["tantivy_raw"]["p95"] for k, row in queries.items()}
    far = [k for k, r in ratio.items() if r > 3] or [max(ratio, key=ratio.get)]
    kinds = dict.fromkeys([max(ours, key=ours.get), *far])
    result = {}
    for kind in kinds:
        log(f"  {n:,}: where the time of {kind!r} goes")
        result[kind] = st.breakdown(root, next(c for c in QUERIES if c.kind == kind))
    return result


def stage_postgres(sizes: list[int], args: argparse.Namespace, dump: Path) -> dict[str, Any]:
    """Our PostgreSQL backend and bare SQL, in a child process under a throw-away
    cluster (its data folder under WORK/tmp, removed afterwards)."""
    out, tmp = WORK / "postgres-results.json", WORK / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "readingroom.testing.postgres",
        "--",
        sys.executable,
        str(BENCH / "search_postgres.py"),
        "--sizes",
        ",".join(map(str, sizes)),
        "--dicts",
        str(dump),
        "--corpus",
        args.corpus,
        "--home",
        str(WORK / "pg-home"),
        "--batch",
        str(args.batch),
        "--repeat",
        str(args.repeat),
        "--budget",
        str(args.budget),
        "--out",
        str(out),
    ]
    subprocess.run(command, env={**os.environ, "TMPDIR": str(tmp)}, check=True, cwd=REPO)
    return json.loads(out.read_text())


def stage_catalogue(home: Path, dump: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The imported catalogue itself over HTTP: our /search.json (`readingroom serve`,
    the same code a reader's browser reaches: backend, gate, where-matched, JSON) next
    to Datasette's JSON over the same documents, and both in process."""
    import search_datasette as sd
    import search_tantivy as st

    docs = load_base(dump, "all")  # every imported document, with its own pk and id
    db = WORK / "catalogue.db"
    index = {"datasette": sd.build_database(db, docs)}
    tantivy = st.TantivySystems(home / "index" / "tantivy")
    with ReadingRoomServer(home) as ours, sd.DatasetteServer(db) as datasette:

        def systems(case: Case) -> dict[str, Callable[[], int]]:
            return {
                "tantivy": tantivy.ours(case),
                "tantivy_raw": tantivy.raw(case, True),
                "ours_http": ours.http(case),
                "datasette": datasette.http(case),
                "datasette_sql": sd.in_process(db, case),
            }

        queries = run_queries(len(docs), systems, args)
    return {"docs": len(docs), "index": index, "queries": queries}


class ReadingRoomServer:
    """`readingroom serve` on a home, on a free loopback port, for a `with` block."""

    def __init__(self, home: Path) -> None:
        from search_datasette import free_port

        self.home, self.port = home, free_port()

    def __enter__(self) -> ReadingRoomServer:
        from search_datasette import wait_until_up

        # 20 hits a page like every other system here (the site's default is 50).
        env = {
            **os.environ,
            "READINGROOM_HOME": str(self.home),
            "DATABASE_URL": "",
            "READINGROOM_PAGE_SIZE": str(PAGE),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "readingroom", "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(f"http://127.0.0.1:{self.port}/search.json?q=x", self.process)
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def http(self, case: Case) -> Callable[[], int]:
        from urllib.parse import urlencode

        from search_datasette import get_json

        url = f"http://127.0.0.1:{self.port}/search.json?{urlencode({'q': case.ours})}"
        return lambda: get_json(url)["total"]


def load_results(reuse: bool) -> dict[str, Any]:
    if reuse and RESULTS.exists():
        return json.loads(RESULTS.read_text())
    return {"stages": {}}


def save(results: dict[str, Any]) -> None:
    RESULTS.write_text(json.dumps(results, indent=1))


def run_stage(results: dict[str, Any], key: str, fn: Callable[[], Any]) -> None:
    if key in results["stages"]:
        log(f"{key}: reused from {RESULTS}")
        return
    results["stages"][key] = fn()
    results["machine"]["load_end"] = os.getloadavg()[0]  # after the last stage measured
    save(results)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )
    parser.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="corpus sizes, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--peers-up-to",
        type=int,
        default=100_000,
        help="largest size for PostgreSQL and Datasette (default: %(default)s)",
    )
    parser.add_argument(
        "--corpus",
        choices=["frus", "all"],
        default="frus",
        help="documents to cycle: frus (the issue's; about 4 KB of text "
        "each) or all (with NARA's short records) (default: frus)",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-datasette", action="store_true")
    parser.add_argument(
        "--skip-catalogue",
        action="store_true",
        help="skip the HTTP comparison on the imported catalogue",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=500,
        help="documents per backend.index() call (the reindex's batch)",
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query")
    parser.add_argument(
        "--budget",
        type=float,
        default=20.0,
        help="seconds per query kind after which fewer runs (at least 5) do",
    )
    parser.add_argument(
        "--work", type=Path, default=WORK, help="folder for all data (default: %(default)s)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help=f"reuse the stages already in {RESULTS}"
    )
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="replace the '## Search' section of docs/benchmarks.md",
    )
    return parser.parse_args()


def main() -> int:
    global WORK, RESULTS
    args = parse_args()
    WORK, RESULTS = args.work, args.work / "results.json"
    sizes = [int(s) for s in args.sizes.split(",") if s]
    WORK.mkdir(parents=True, exist_ok=True)
    results = load_results(args.reuse)
    results.setdefault("machine", machine())
    results["corpus"] = args.corpus
    home, dump = ensure_base(WORK)
    base = load_base(dump, args.corpus)
    results["base_docs"] = len(base)
    results["text_bytes"] = {str(n): corpus_text_bytes(base, n) for n in sizes}
    if not args.skip_datasette:
        import search_datasette as sd

        results["machine"]["datasette"] = sd.ensure_installed()
    setup_django()
    for n in sizes:
        fresh = f"embedded/{n}" not in results["stages"]
        if fresh and n > 100_000 and (why := disk_check(n, results)):
            log(f"{n:,} documents skipped: {why}")
            results["stages"][f"embedded/{n}"] = {"skipped": why}
            continue
        run_stage(results, f"embedded/{n}", lambda n=n: stage_embedded(n, base, args))
        queries = results["stages"][f"embedded/{n}"]["queries"]
        run_stage(results, f"breakdown/{n}", lambda n=n, q=queries: stage_breakdown(n, q))
    pg_sizes = [n for n in sizes if n <= args.peers_up_to]
    if not args.skip_postgres and pg_sizes:
        run_stage(results, "postgres", lambda: stage_postgres(pg_sizes, args, dump))
    if not args.skip_catalogue:
        run_stage(results, "catalogue", lambda: stage_catalogue(home, dump, args))
    save(results)
    from search_report import section, write_docs

    lines = section(results, sizes)
    print("\n".join(lines))
    if args.write_docs:
        write_docs(lines)
        log("docs/benchmarks.md: '## Search' section written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
