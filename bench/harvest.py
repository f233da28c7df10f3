"""OAI-PMH harvest benchmark.

    .venv/bin/python bench/harvest.py [--demo-home DIR] [--documents 100000] [--port 8731]

For each site — the demo corpus (a site built in a temporary home with `load-corpus`,
or the one at --demo-home) and a generated FRUS corpus of --documents documents
(bench/import_frus.py's generator, imported into a fresh home) — in one run:
- harvest: a full `oai_dc` ListRecords harvest over HTTP from `readingroom serve`,
  following every resumption token: records/s, the p95 of the page times, and the
  median page time of the first and of the last tenth of the pages (flat: a keyset
  costs the same at the first token and the last). Twice: first with every record
  built in its request (the records the worker writes ahead removed), then after the
  worker's step has written them (`write_harvest_records`, timed: records/s);
- baseline: a plain SQL dump of the same records (the public documents' own columns,
  one SELECT through sqlite3, written to a file), records/s;
- sitemaps: writing every sitemap file of the site (the task's work), seconds.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]
RR = str(REPO / ".venv" / "bin" / "readingroom")
OAI = "{http://www.openarchives.org/OAI/2.0/}"


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "READINGROOM_HOME": str(home), "DATABASE_URL": ""}


def build_demo(home: Path) -> None:
    subprocess.run([RR, "migrate", "--no-input"], env=_env(home), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([RR, "load-corpus"], env=_env(home), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def build_generated(home: Path, documents: int) -> None:
    from import_frus import generate_corpus

    with tempfile.TemporaryDirectory(prefix="rr-bench-corpus-") as tmp:
        generate_corpus(documents, Path(tmp))
        subprocess.run([RR, "migrate", "--no-input"], env=_env(home), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        files = sorted(str(p) for p in Path(tmp).glob("*.xml"))
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run([RR, "import", "frus", *files, "--no-progress"], env=_env(home),
                       check=True, **quiet)  # fmt: skip


def sql_dump(home: Path, out: Path) -> tuple[int, float]:
    """The public records' own columns, one SELECT, written as tab-separated lines."""
    start = time.perf_counter()
    db = sqlite3.connect(home / "readingroom.sqlite3")
    rows = db.execute(
        "SELECT identifier, title, summary, date_start, date_end, date_precision, "
        "rights_uri, rights_text, effective_modified_at FROM catalogue_document "
        "WHERE state = 'published' AND (embargo_until IS NULL OR embargo_until <= "
        "strftime('%Y-%m-%d %H:%M:%f', 'now')) ORDER BY effective_modified_at, id")
    n = 0
    with out.open("w") as f:
        for row in rows:
            f.write("\t".join("" if v is None else str(v) for v in row) + "\n")
            n += 1
    db.close()
    return n, time.perf_counter() - start


def harvest(base: str) -> tuple[int, float, list[float]]:
    from lxml import etree

    url = f"{base}?verb=ListRecords&metadataPrefix=oai_dc"
    n, pages = 0, []
    start = time.perf_counter()
    while url:
        t = time.perf_counter()
        body = urllib.request.urlopen(url).read()
        pages.append(time.perf_counter() - t)
        root = etree.fromstring(body)
        n += sum(1 for _ in root.iter(f"{OAI}record"))
        token = root.findtext(f".//{OAI}resumptionToken")
        url = (f"{base}?verb=ListRecords&resumptionToken={urllib.parse.quote(token)}"
               if token else None)  # fmt: skip
    return n, time.perf_counter() - start, pages


def serve(home: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen([RR, "serve", "--port", str(port)], env=_env(home),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(600):  # until it answers (a bounded number of tries)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/oai?verb=Identify").read()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the server did not start")


def write_sitemaps(home: Path) -> float:
    code = ("import time, django; django.setup(); "
            "from readingroom.interop.sitemaps import writer; "
            "t = time.perf_counter(); writer.write(); print(time.perf_counter() - t)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=REPO,
                         env={**_env(home), "DJANGO_SETTINGS_MODULE": "readingroom.settings"})
    return float(out.stdout.strip().splitlines()[-1])


def forget_written_records(home: Path) -> None:
    """Remove the records the worker wrote ahead (a cache it writes again), so that the
    first harvest builds every record in its request."""
    db = sqlite3.connect(home / "readingroom.sqlite3")
    with db:
        db.execute("DELETE FROM interop_harvestrecord")
    db.close()


def write_records(home: Path, port: int) -> tuple[int, float]:
    """The worker's work after changes, run now for the address the server answers at."""
    start = time.perf_counter()
    out = subprocess.run([RR, "manage", "write_harvest_records"], check=True, text=True,
                         capture_output=True, env={**_env(home), "PORT": str(port)})  # fmt: skip
    written = int(out.stderr.strip().splitlines()[-1].split()[1])
    return written, time.perf_counter() - start


def _harvest_row(pages: list[float], harvested: int, seconds: float) -> dict:
    tenth = max(1, len(pages) // 10)
    ordered = sorted(pages)
    return {"records": harvested, "rps": harvested / seconds, "pages": len(pages),
            "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
            "first_ms": 1000 * statistics.median(pages[:tenth]),
            "last_ms": 1000 * statistics.median(pages[-tenth:])}  # fmt: skip


def _line(name: str, h: dict) -> str:
    return (f"{name} {h['rps']:,.0f} records/s, p95 {h['p95_ms']:.0f} ms a page of "
            f"{h['pages']} (median first tenth {h['first_ms']:.0f} ms, last tenth "
            f"{h['last_ms']:.0f} ms)")  # fmt: skip


def measure(label: str, home: Path, port: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        dumped, dump_s = sql_dump(home, Path(tmp) / "dump.tsv")
    forget_written_records(home)
    server = serve(home, port)
    try:
        built = _harvest_row(*_swap(harvest(f"http://127.0.0.1:{port}/oai")))
        written, write_s = write_records(home, port)
        ready = _harvest_row(*_swap(harvest(f"http://127.0.0.1:{port}/oai")))
    finally:
        server.terminate()
        server.wait()
    row = {"label": label, "dumped": dumped, "dump_rps": dumped / dump_s, "built": built,
           "ready": ready, "written": written, "write_rps": written / write_s,
           "sitemaps_s": write_sitemaps(home)}  # fmt: skip
    print(f"{label}: {ready['records']:,} records harvested ({dumped:,} dumped) | "
          f"{_line('harvest, records written ahead:', ready)} | "
          f"{_line('harvest, each record built in its request:', built)} | "
          f"records written ahead by the worker's step: {written:,} at "
          f"{row['write_rps']:,.0f} records/s | SQL dump {row['dump_rps']:,.0f} records/s "
          f"(harvest/dump {ready['rps'] / row['dump_rps']:.3f}) | sitemaps "
          f"{row['sitemaps_s']:.1f} s", flush=True)  # fmt: skip
    return row


def _swap(result: tuple[int, float, list[float]]) -> tuple[list[float], int, float]:
    n, seconds, pages = result
    return pages, n, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-home", type=Path, help="an existing demo site (else built)")
    parser.add_argument("--documents", type=int, default=100_000,
                        help="size of the generated corpus (0 skips it)")  # fmt: skip
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    if args.demo_home:
        measure("demo corpus", args.demo_home, args.port)
    else:
        with tempfile.TemporaryDirectory(prefix="rr-bench-home-") as home:
            build_demo(Path(home))
            measure("demo corpus", Path(home), args.port)
    if args.documents:
        with tempfile.TemporaryDirectory(prefix="rr-bench-home-") as home:
            build_generated(Path(home), args.documents)
            measure(f"generated FRUS corpus ({args.documents:,})", Path(home), args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
