"""Archivists' sheets and OCR in the documents' languages, on the un-ussr set.

    .venv/bin/python bench/sheet_ocr.py [--copies 50] [--repeat 3] [--write-docs]

Measures, in one run:
- sheet import: the real catalogue.csv repeated --copies times (each copy's rows with
  an identifier of their own, the same scans: stored once, but each row's files still
  checked), as rows/s of
  - baseline: Python's csv module reading the sheet alone;
  - parse: `parse_sheet` and the mapping tables (every cell checked, every file
    inspected and hashed), nothing written;
  - import: `readingroom import sheet` in a fresh SQLite home, end to end;
  - re-import: the same again, every row unchanged;
- OCR per language: real pages in Russian (`rus+eng`) and English (`eng`), each read by
  the plain `tesseract` command (the baseline: hOCR out, on the very image ours reads,
  written to PNG beforehand, untimed) and by ours (`image_for_ocr` + `recognize`:
  hOCR parsed into words), in turn page by page (A B A B), one process, one thread:
  pages/min by wall time and by CPU time (ours: Python and Tesseract).
Each sheet step runs --repeat times, the fastest kept (and the median shown).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from readingroom.conf import corpus  # noqa: E402

UN_USSR = corpus() / "un-ussr"
MAPPING = REPO / "readingroom" / "ingest" / "data" / "sheets" / "un-ussr.json"
SECTION = "## Archivists' sheets and OCR in the documents' languages"
ONE_THREAD = {**os.environ, "OMP_THREAD_LIMIT": "1"}
OCR_PAGES = {
    "rus+eng": [("1991-12-08-belovezh-agreement-ru.pdf", 1),
                ("1991-12-24-yeltsin-letter-to-secretary-general-ru.pdf", 1),
                ("1971-10-25-ga-resolution-2758-ru.pdf", 1)],
    "eng": [("1947-10-11-a-c1-212-sixth-committee-letter.pdf", 1),
            ("1991-12-19-fleischhauer-memorandum.pdf", 1),
            ("1991-12-30-a-47-60-s-23329-belarus-letter.pdf", 2)],
}  # fmt: skip


def big_sheet(folder: Path, copies: int) -> tuple[Path, int]:
    with (UN_USSR / "catalogue.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, header = list(reader), ["Identifier", *(reader.fieldnames or [])]
    path = folder / "catalogue.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        for k in range(copies):
            for row in rows:
                stem = Path(row["File"]).stem
                writer.writerow({**row, "Identifier": f"copy{k}-{stem}",
                                 "Language version of": "", "Translation of": ""})  # fmt: skip
    return path, copies * len(rows)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best(repeat: int, fn) -> tuple[float, float]:
    runs = [fn() for _ in range(repeat)]
    return min(runs), statistics.median(runs)


def read_csv(sheet: Path) -> None:
    with sheet.open(encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle):
            pass


def parse(sheet: Path, rows: int) -> None:
    from readingroom.ingest.importers import IMPORTERS

    records = IMPORTERS["sheet"].parse_sheet([sheet], UN_USSR / "scans", MAPPING)
    assert len(records.documents) == rows and not records.errors, records.errors[:3]


def import_twice(sheet: Path, rows: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="rr-bench-home-") as home:
        env = {**os.environ, "READINGROOM_HOME": home, "DATABASE_URL": "",
               "READINGROOM_SEARCH_BACKEND": "noop"}  # fmt: skip
        subprocess.run([sys.executable, "-m", "readingroom", "migrate", "--no-input"],
                       env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        command = [sys.executable, "-m", "readingroom", "import", "sheet", str(sheet),
                   "--files", str(UN_USSR / "scans"), "--mapping", str(MAPPING),
                   "--no-progress"]  # fmt: skip
        times = []
        for outcome in ("created", "unchanged"):
            start = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            assert done.returncode == 0 and f"{rows} {outcome}" in done.stderr, done.stderr[-500:]
        return times[0], times[1]


def measure_sheet(copies: int, repeat: int) -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    import django

    django.setup()
    with tempfile.TemporaryDirectory(prefix="rr-bench-sheet-") as folder:
        sheet, rows = big_sheet(Path(folder), copies)
        steps = [("Python's csv module reading the sheet alone (baseline)",
                  best(repeat, lambda: timed(lambda: read_csv(sheet)))),
                 ("our parser and the mapping tables (cells and files checked), nothing written",
                  best(repeat, lambda: timed(lambda: parse(sheet, rows))))]  # fmt: skip
        runs = [import_twice(sheet, rows) for _ in range(repeat)]
        steps.append(("`readingroom import sheet` into a fresh SQLite home",
                      (min(r[0] for r in runs), statistics.median(r[0] for r in runs))))
        steps.append(("re-import, every row unchanged",
                      (min(r[1] for r in runs), statistics.median(r[1] for r in runs))))
    out = []
    for step, (fastest, median) in steps:
        out.append({"step": step, "seconds": fastest, "median": median, "rows": rows})
        print(f"{step}: {fastest:.2f} s (median {median:.2f}), {rows / fastest:,.0f} rows/s",
              file=sys.stderr)  # fmt: skip
    return out


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_ocr() -> list[dict]:
    from readingroom.files.images import image_for_ocr
    from readingroom.files.ocr import recognize

    out = []
    with tempfile.TemporaryDirectory(prefix="rr-bench-ocr-") as folder:
        for language, pages in OCR_PAGES.items():
            totals = {"plain tesseract": [0.0, 0.0, 0], "ours": [0.0, 0.0, 0]}
            for name, number in pages:
                image = image_for_ocr(UN_USSR / "scans" / name, number)
                png = Path(folder) / f"{Path(name).stem}-{number}.png"
                image.save(png, dpi=image.info.get("dpi", (300, 300)))
                dpi = str(round(image.info.get("dpi", (300, 300))[0]))
                # A: the plain command on the same image.
                cpu, start = children_cpu(), time.perf_counter()
                plain = subprocess.run(["tesseract", str(png), "stdout", "-l", language, "--dpi",
                                        dpi, "hocr"], env=ONE_THREAD, capture_output=True,
                                       check=True)  # fmt: skip
                totals["plain tesseract"][0] += time.perf_counter() - start
                totals["plain tesseract"][1] += children_cpu() - cpu
                totals["plain tesseract"][2] += plain.stdout.count(b"ocrx_word")
                # B: ours, from the scan.
                cpu, start = children_cpu() + own_cpu(), time.perf_counter()
                page = recognize(image_for_ocr(UN_USSR / "scans" / name, number),
                                 language=language)  # fmt: skip
                totals["ours"][0] += time.perf_counter() - start
                totals["ours"][1] += children_cpu() + own_cpu() - cpu
                totals["ours"][2] += len(page.words)
            for who, (wall, cpu, words) in totals.items():
                row = {"language": language, "who": who, "pages": len(pages), "wall": wall,
                       "cpu": cpu, "words": words}  # fmt: skip
                out.append(row)
                print(f"{language} {who}: {len(pages)} pages, {60 * len(pages) / wall:.1f} "
                      f"pages/min wall, {60 * len(pages) / cpu:.1f} per CPU-minute, {words} "
                      "words", file=sys.stderr)  # fmt: skip
    return out


def write_docs(sheet_rows: list[dict], ocr_rows: list[dict], copies: int, repeat: int,
               load: tuple[float, float]) -> None:  # fmt: skip
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text()
    rows = sheet_rows[0]["rows"]
    section = [
        f"{SECTION} (`bench/sheet_ocr.py`)",
        "",
        f"Run on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores shared with other work "
        f"(load average {load[0]:.1f} at the start, {load[1]:.1f} at the end), SQLite (WAL), "
        f"Tesseract 5.3 with OMP_THREAD_LIMIT=1. Sheet: the un-ussr catalogue.csv repeated "
        f"{copies} times ({rows:,} rows, each with its own identifier, the same 12 scans: "
        "stored once, each row's files still inspected and hashed), the fastest of "
        f"{repeat} runs of each step (median beside). Baseline: Python's csv module reading "
        "the sheet alone.",
        "",
        "| step | time (fastest) | median | rows/s (fastest) | rows/s (median) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in sheet_rows:
        section.append(f"| {r['step']} | {r['seconds']:.2f} s | {r['median']:.2f} s | "
                       f"{r['rows'] / r['seconds']:,.0f} | {r['rows'] / r['median']:,.0f} |")
    section += [
        "",
        "OCR per language, on real un-ussr pages (Russian: the Belovezh Agreement p. 1, the "
        "Yeltsin letter, the Russian page of resolution 2758; English: A/C.1/212 p. 1, the "
        "19 December memorandum p. 1, A/47/60 p. 2), at 300 dpi. Baseline: the plain "
        "`tesseract IMAGE stdout -l LANGS hocr` on the very image ours reads (written to PNG "
        "beforehand, untimed); ours: `image_for_ocr` + `recognize` from the scan, hOCR "
        "parsed into words. The two take turns page by page in one process.",
        "",
        "| languages | OCR | pages | pages/min (wall) | pages/min per CPU "
        "| ours/baseline (CPU) | words |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    base = {r["language"]: r for r in ocr_rows if r["who"] == "plain tesseract"}
    for r in ocr_rows:
        ratio = f"{r['cpu'] / base[r['language']]['cpu']:.2f}"
        section.append(f"| `{r['language']}` | {r['who']} | {r['pages']} | "
                       f"{60 * r['pages'] / r['wall']:.1f} | {60 * r['pages'] / r['cpu']:.1f} | "
                       f"{ratio} | {r['words']:,} |")  # fmt: skip
    section.append("")
    pattern = rf"{re.escape(SECTION)}.*?(?=\n## |\Z)"
    block = "\n".join(section).rstrip("\n") + "\n"
    if re.search(pattern, text, flags=re.S):
        text = re.sub(pattern, lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50, help="copies of the real sheet")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each sheet step")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    sheet_rows = measure_sheet(max(1, args.copies), max(1, args.repeat))
    ocr_rows = measure_ocr()
    if args.write_docs:
        write_docs(sheet_rows, ocr_rows, args.copies, args.repeat,
                   (load_before, os.getloadavg()[0]))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
