"""Page benchmark: the reader's pages over HTTP at 100,000 documents, beside the search
engine's own time for the same query.

    .venv/bin/python bench/pages.py [--documents 100000] [--runs 30] [--reuse] [--write-docs]

Builds (once; --reuse keeps it) a site in --work from the generated FRUS corpus of
`bench/import_frus.py` (copies of the six shared volumes, every id and date shifted),
imported by `readingroom import frus`, plus one generated organization linked to 50,000
of its documents (the CIA of the real corpus, five times over); the worker's step
(`readingroom process-outbox`) indexes it all. Then it serves the site as `make demo`
does (`readingroom serve`), and times each kind of page — home, search with all facets,
an entity's page (the 50,000-document organization among them), the index pages, a
facet's values, a document — as p50/p95 over --runs requests each, the pages taking
turns; beside each, the search engine's own time for the page's query (our backend's
`search()` in this process, on the same index: the same query, hits, snippets and
facet counts), taking turns with the requests. Sizes are the HTML, CSS and JavaScript
a browser fetches for the page, as sent to a client that accepts gzip and Brotli.
Progress goes to stderr, the Markdown section to stdout.
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
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

WORK = Path("/tmp/bench-pages")
ORGANIZATION = "Generated Benchmark Organization"
LINKED = 50_000
# p95 targets (ms) per kind of page, and the most a page may weigh as sent.
TARGETS = {"home": 50, "search": 80, "entity": 80, "index": 50}
MAX_BYTES = 100_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def site_env(home: Path) -> dict[str, str]:
    return {**os.environ, "READINGROOM_HOME": str(home), "DATABASE_URL": "",
            "READINGROOM_SEARCH_BACKEND": "tantivy"}  # fmt: skip


def run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "readingroom", *args], env=env,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"readingroom {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def build(home: Path, documents: int) -> None:
    """A fresh site: the generated corpus imported, the organization linked, indexed."""
    from import_frus import generate_corpus

    env = site_env(home)
    home.mkdir(parents=True, exist_ok=True)
    run(["migrate", "--no-input"], env)
    with tempfile.TemporaryDirectory(prefix="rr-bench-pages-") as tmp:
        n = generate_corpus(documents, Path(tmp))
        log(f"importing {n:,} generated FRUS documents")
        started = time.perf_counter()
        run(["import", "frus", tmp, "--no-progress"], env)
        log(f"imported in {time.perf_counter() - started:.0f} s")
    # Every other document of the first 100,000 gets the organization as its
    # originator, written as the loader writes links (one statement); the import's
    # outbox rows are still pending, so the indexing below takes the links in.
    script = (
        "import django; django.setup()\n"
        "from django.db import connection, transaction\n"
        "from readingroom.catalogue import models as m\n"
        f"agent = m.Agent.objects.create(kind='organization', name={ORGANIZATION!r})\n"
        "pks = list(m.Document.objects.order_by('pk').values_list('pk', flat=True)[::2])\n"
        f"pks = pks[:{LINKED}]\n"
        "with transaction.atomic(), connection.cursor() as c:\n"
        "    c.executemany('INSERT INTO catalogue_documentagent (document_id, agent_id, role, "
        "name_as_written, position) VALUES (%s, %s, %s, %s, %s)', "
        "[(pk, agent.pk, 'originator', '', 99) for pk in pks])\n"
        "print(len(pks))\n"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "readingroom.settings"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    log(f"linked {done.stdout.strip()} documents to {ORGANIZATION!r}")
    started = time.perf_counter()
    run(["process-outbox"], env)
    log(f"indexed in {time.perf_counter() - started:.0f} s")


def get(url: str) -> tuple[float, bytes, dict[str, str]]:
    """Seconds to the last byte, the body as sent, the headers."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read()
        return time.perf_counter() - started, body, dict(response.headers)


@dataclass
class Case:
    kind: str  # home | search | entity | index | facet | document
    label: str
    path: str
    query: Any = None  # the SearchQuery the page asks the engine, if any
    page_ms: list[float] = field(default_factory=list)
    engine_ms: list[float] = field(default_factory=list)
    bytes_sent: int = 0


def cases(base: str) -> list[Case]:
    """The pages, each with the query it sends the engine (as the service builds it)."""
    from django.conf import settings

    from readingroom.catalogue import models as m
    from readingroom.reader import home
    from readingroom.search.service import Asked, Visibility, facet_values

    at = Visibility.read()
    size = settings.PAGE_SIZE

    def busiest(facet: str) -> str:
        return facet_values(facet, Asked())[0][0]

    org = m.Agent.objects.get(name=ORGANIZATION).pk
    person, place = busiest("people"), busiest("places")
    subject, archive = busiest("subjects"), busiest("repository")
    document = m.Document.objects.order_by("pk").values_list("identifier", flat=True)[500]

    def entity(facet: str, value: str | int) -> Any:
        return Asked(within=(facet, str(value))).query(at, limit=size, sort="date")

    def words(text: str, **filters: list[str]) -> Any:
        return Asked(text, filters).query(at, limit=size, sort="relevance" if text else "date")

    out = [
        Case("home", "home", "/", Asked().query(at, limit=home.RECENT, sort="added",
                                                facets=home.FACETS)),
        Case("search", "search, a common word", "/search/?q=president", words("president")),
        Case("search", "search, a rare word", "/search/?q=Khrushchev", words("Khrushchev")),
        Case("search", "search, every document", "/search/", words("")),
        Case("search", "search, two facets, two values of one",
             "/search/?q=Berlin&type=telegram&type=memorandum&classification=secret",
             words("Berlin", type=["telegram", "memorandum"], classification=["secret"])),
        Case("entity", f"organization, {LINKED:,} documents", f"/agents/{org}/",
             entity("organizations", org)),
        Case("entity", "person with the most documents", f"/agents/{person}/",
             entity("people", person)),
        Case("entity", "place with the most documents", f"/places/{place}/",
             entity("places", place)),
        Case("entity", "subject with the most documents", f"/subjects/{subject}/",
             entity("subjects", subject)),
        Case("entity", "archive with the most documents", f"/repositories/{archive}/",
             entity("repository", archive)),
    ]  # fmt: skip
    for kind, facet in (("people", "people"), ("organizations", "organizations"),
                        ("places", "places"), ("subjects", "subjects"),
                        ("repositories", "repository")):  # fmt: skip
        out.append(Case("index", f"index of {kind}", f"/{kind}/",
                        Asked().query(at, limit=0, facets=(facet,))))  # fmt: skip
    out.append(Case("facet", "a facet's values (people)", "/search/facets/people/",
                    Asked().query(at, limit=0, facets=("people",))))  # fmt: skip
    out.append(Case("document", "a document", f"/documents/{document}/"))
    for case in out:
        case.path = base + case.path
    return out


def weigh(case: Case, base: str) -> None:
    """The page and the CSS and JavaScript it links, as sent."""
    _, body, _ = get(case.path)
    total = len(body)
    text = body.decode("utf-8", "replace")
    for asset in re.findall(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"', text):
        total += len(get(base + asset if asset.startswith("/") else asset)[1])
    case.bytes_sent = total


def measure(all_cases: list[Case], runs: int) -> None:
    from readingroom.search.indexer import get_backend

    backend = get_backend()
    for case in all_cases:  # warm up: caches, the index's pages, connections
        for _ in range(2):
            get(case.path)
            if case.query is not None:
                backend.search(case.query)
    for n in range(runs):
        for case in all_cases:
            seconds, _, _ = get(case.path)
            case.page_ms.append(seconds * 1000)
            if case.query is not None:
                started = time.perf_counter()
                backend.search(case.query)
                case.engine_ms.append((time.perf_counter() - started) * 1000)
        log(f"round {n + 1}/{runs}")


def p(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(all_cases: list[Case], documents: int, runs: int, load: tuple[str, str]) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    lines = [
        "## Pages (`bench/pages.py`)",
        "",
        f"Run on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores shared with other work "
        f"(load average {load[0]} at the start, {load[1]} at the end), SQLite (WAL), tantivy; "
        f"code at {commit}. Site: {documents:,} generated FRUS documents "
        "(`bench/import_frus.py`'s copies of the six shared volumes) imported by `readingroom "
        f"import frus`, one organization linked to {LINKED:,} of them, indexed by the "
        "worker's step; served by `readingroom serve` (what `make demo` runs), one request "
        f"at a time. Each page {runs} times after warm-up, the pages taking turns; p50 / p95 "
        "in ms to the last byte. Engine: our backend's `search()` for the page's query in "
        "the benchmark's process, on the same index (hits, snippets, every facet the page "
        "counts), taking turns with the requests: what the page spends beyond it is the "
        "catalogue's rows, names for the facet values and the template. Size: the HTML, "
        "CSS and JavaScript a browser fetches for the page, as sent to a client that "
        "accepts gzip and Brotli.",
        "",
        "| page | p50 | p95 | engine p50 | engine p95 | page / engine (p95) | size as sent "
        "| target (p95) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]  # fmt: skip
    verdicts = {}
    for c in all_cases:
        target = TARGETS.get(c.kind)
        p95 = p(c.page_ms, 95)
        met = target is None or p95 < target
        if target:
            verdicts.setdefault(c.kind, []).append((met, c.label, p95))
        engine = (f"{p(c.engine_ms, 50):.1f} | {p(c.engine_ms, 95):.1f} | "
                  f"{p95 / p(c.engine_ms, 95):.1f}×") if c.engine_ms else "– | – | –"  # fmt: skip
        verdict = f"< {target} ms: **{'met' if met else 'not met'}**" if target else ""
        lines.append(f"| {c.label} | {p(c.page_ms, 50):.1f} | {p95:.1f} | {engine} | "
                     f"{c.bytes_sent / 1000:.1f} KB | {verdict} |")  # fmt: skip
    lines += ["", "Targets (p95):"]
    for kind, rows in verdicts.items():
        worst = max(rows, key=lambda r: r[2])
        state = "met" if all(m for m, _, _ in rows) else "not met"
        lines.append(f"- {kind} < {TARGETS[kind]} ms: **{state}** (slowest: {worst[1]}, "
                     f"{worst[2]:.1f} ms)")  # fmt: skip
    heaviest = max(all_cases, key=lambda c: c.bytes_sent)
    size_state = "met" if heaviest.bytes_sent < MAX_BYTES else "not met"
    lines.append(f"- every page's HTML + CSS + JS under {MAX_BYTES // 1000} KB as sent: "
                 f"**{size_state}** (heaviest: {heaviest.label}, "
                 f"{heaviest.bytes_sent / 1000:.1f} KB)")  # fmt: skip
    return "\n".join(lines) + "\n"


def write_docs(section: str) -> None:
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text()
    text = re.sub(r"## Pages \(`bench/pages.py`\).*?(?=\n## |\Z)", "", text, flags=re.S)
    path.write_text(text.rstrip() + "\n\n" + section)


def serve(home: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "readingroom", "serve", "--port", str(port)],
                              env=site_env(home), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(600):  # up to a minute, looking every 0.1 s
        try:
            get(f"http://127.0.0.1:{port}/search.json?size=1")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not answer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reuse", action="store_true", help="keep a site built before")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    home = args.work / "home"
    if not (args.reuse and (home / "readingroom.sqlite3").exists()):
        if home.exists():
            subprocess.run(["rm", "-rf", str(home)], check=True)
        build(home, args.documents)
    os.environ.update(site_env(home))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    import django

    django.setup()
    from readingroom.catalogue.gate import public_documents

    documents = public_documents().count()
    load_start = f"{os.getloadavg()[0]:.1f}"
    server = serve(home, args.port)
    try:
        base = f"http://127.0.0.1:{args.port}"
        all_cases = cases(base)
        for case in all_cases:
            weigh(case, base)
        measure(all_cases, args.runs)
    finally:
        server.terminate()
        server.wait(timeout=30)
    section = report(all_cases, documents, args.runs, (load_start, f"{os.getloadavg()[0]:.1f}"))
    print(section)
    if args.write_docs:
        write_docs(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
