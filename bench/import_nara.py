"""NARA JFK release-list import benchmark.

    .venv/bin/python bench/import_nara.py [--repeat 3] [--write-docs]

Measures, in one run and on the same files (the shared corpus: three release lists,
17,447 rows for 14,666 records, and 45 scans):
- baseline: python-calamine reading the three lists alone, every cell of every row
  (the floor: no parser can read the lists faster);
- parse: our parser (`parse_release_set`: rows merged per record, scans checked) and
  the mapping tables every record passes (`ingest/names.py`, `ingest/repositories.py`),
  records built, nothing written;
- import: `readingroom import nara-jfk` in a fresh SQLite home (parse, catalogue rows,
  outbox, page rows of the scans; versions are kept at a document's first change), with its peak
  memory (the importing and parsing processes together: bench/process_tree.py);
- re-import: the same command again on that home, every record unchanged.
Each step runs --repeat times and the fastest run is kept: the machine is shared, and
the fastest run is the one least slowed by whatever else ran.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from process_tree import report_own_peak, run_measured  # noqa: E402

from readingroom.conf import corpus  # noqa: E402

NARA = corpus() / "nara-jfk"
SECTION = "## NARA JFK release-list import"


def read_lists_calamine() -> int:
    """Every cell of every list, as calamine gives them; returns the data rows."""
    from python_calamine import CalamineWorkbook

    rows = 0
    for path in sorted((NARA / "releases").glob("*.xlsx")):
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
        rows += sum(1 for row in cells if any(c not in ("", None) for c in row)) - 1  # header
    return rows


def parse_only() -> int:
    """The importer's parse: the parser, then the shared mapping tables (names,
    repositories), records built, nothing written."""
    from readingroom.ingest.importers import IMPORTERS

    # One record per list (and per scan) a record number appears in: the documents are
    # the distinct identifiers (the loader folds a number's records into one).
    return len({r.identifier for r in IMPORTERS["nara-jfk"].parse_set([NARA]).documents})


def fastest_and_median(repeat: int, fn: Callable[[], tuple]) -> tuple[tuple, float]:
    """The run of `fn` (returning seconds first) with the fewest seconds, and the
    median seconds of all the runs."""
    results = [fn() for _ in range(repeat)]
    return min(results, key=lambda r: r[0]), statistics.median(r[0] for r in results)


def timed(fn: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    n = fn()
    return time.perf_counter() - start, n


Run = tuple[float, dict[str, int], float]  # seconds, counts by outcome, peak MB


def run_import(env: dict[str, str]) -> Run:
    """`readingroom import nara-jfk` in a child process: seconds, counts, peak MB (the
    importing process and its parsing process together)."""
    command = [sys.executable, "-m", "readingroom", "import", "nara-jfk", str(NARA),
               "--no-progress"]  # fmt: skip
    run = run_measured(command, env)
    if run.returncode:
        raise RuntimeError(f"import failed: {run.stderr[-2000:]}")
    summary = run.stderr.strip().splitlines()[-1]
    outcomes = re.findall(r"(\d+) (created|updated|unchanged|failed)", summary)
    counts = {outcome: int(n) for n, outcome in outcomes}
    return run.seconds, counts, run.peak_tree_mb


def import_twice() -> tuple[Run, Run]:
    """A fresh home: the first import, then the same again (every record unchanged)."""
    with tempfile.TemporaryDirectory(prefix="rr-bench-home-") as home:
        env = {**os.environ, "READINGROOM_HOME": home, "DATABASE_URL": "",
               "READINGROOM_SEARCH_BACKEND": "noop"}  # fmt: skip
        subprocess.run([sys.executable, "-m", "readingroom", "migrate", "--no-input"],
                       env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        return run_import(env), run_import(env)


def measure(repeat: int) -> list[dict]:
    (base_s, rows), base_median = fastest_and_median(repeat, lambda: timed(read_lists_calamine))
    (parse_s, records), parse_median = fastest_and_median(repeat, lambda: timed(parse_only))
    runs = [import_twice() for _ in range(repeat)]
    first = min((run[0] for run in runs), key=lambda r: r[0])
    again = min((run[1] for run in runs), key=lambda r: r[0])
    for run in runs:
        assert run[0][1].get("created") == records and not run[0][1].get("failed"), run[0]
        assert run[1][1].get("unchanged") == records, run[1]
    table = [
        ("python-calamine reading the lists alone (baseline)", base_s, base_median, None),
        ("our parser and the mapping tables, nothing written", parse_s, parse_median, None),
        ("full import into a fresh SQLite home", first[0],
         statistics.median(run[0][0] for run in runs), first[2]),
        ("re-import, every record unchanged", again[0],
         statistics.median(run[1][0] for run in runs), again[2]),
    ]  # fmt: skip
    result = []
    for step, seconds, median, peak in table:
        row = {"step": step, "seconds": seconds, "median_s": median, "rows_per_s": rows / seconds,
               "median_rows_per_s": rows / median, "records_per_s": records / seconds,
               "peak_mb": peak, "rows": rows, "records": records}  # fmt: skip
        result.append(row)
        memory = f", peak {peak:,.0f} MB" if peak else ""
        print(f"{step}: {seconds:.2f} s (median {median:.2f} s), {row['rows_per_s']:,.0f} rows/s, "
              f"{row['records_per_s']:,.0f} records/s{memory}", file=sys.stderr)  # fmt: skip
    return result


def write_docs(rows: list[dict], repeat: int) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    first = rows[0]
    section = [
        f"{SECTION} (`bench/import_nara.py`)",
        "",
        f"Run on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, SQLite (WAL), the "
        f"fastest of {repeat} runs of each step (and their median: the machine is "
        "shared, and other work slows some runs by a quarter). The shared corpus: three "
        "release lists, "
        f"{first['rows']:,} rows for {first['records']:,} records, and 45 scans (143 pages). "
        "Baseline: python-calamine reading the lists alone in the same run. Import: "
        "`readingroom import nara-jfk` end to end in a fresh home, as a user runs it "
        "(parse, catalogue rows, outbox, page rows of the scans; no version rows: an "
        "imported document's state is kept as a version when it first changes), its parser "
        "started before Django loads and running in a second process; peak memory: the "
        "two processes together. Target: at least 5,000 rows/s for the full import: "
        f"**{'met' if rows[2]['rows_per_s'] >= 5_000 else 'not met'}** by the fastest run "
        f"({rows[2]['rows_per_s']:,.0f}), "
        f"{'met' if rows[2]['median_rows_per_s'] >= 5_000 else 'not met'} by the median run "
        f"({rows[2]['median_rows_per_s']:,.0f}).",
        "",
        "| step | time (fastest) | median | rows/s (fastest) | records/s | peak memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        peak = f"{r['peak_mb']:,.0f} MB" if r["peak_mb"] else ""
        section.append(
            f"| {r['step']} | {r['seconds']:.2f} s | {r['median_s']:.2f} s | "
            f"{r['rows_per_s']:,.0f} | {r['records_per_s']:,.0f} | {peak} |"
        )
    section.append("")
    pattern = rf"{re.escape(SECTION)}.*?(?=\n## |\Z)"
    if re.search(pattern, text, flags=re.S):
        text = re.sub(pattern, "\n".join(section).rstrip("\n") + "\n", text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + "\n".join(section)
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (fastest kept)")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    rows = measure(max(1, args.repeat))
    if args.write_docs:
        write_docs(rows, max(1, args.repeat))
    report_own_peak()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
