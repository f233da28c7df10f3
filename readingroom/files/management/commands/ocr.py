"""readingroom ocr — render and read every pending page now, in the foreground."""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from readingroom.files.pages import claim, do_page_work, pages_to_do, save_result, works_for


class Command(BaseCommand):
    help = (
        "Make page images and read the text of every pending page (the PDF's text layer "
        "where it has one, Tesseract OCR otherwise), one process per core; exits when done."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--retry-failed", action="store_true", help="also retry pages whose reading failed"
        )
        parser.add_argument(
            "--jobs", type=int, default=os.cpu_count() or 1,
            help="processes reading at once (default: one per core)",
        )  # fmt: skip
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, retry_failed: bool, jobs: int, no_progress: bool, **opts) -> None:
        total = pages_to_do(retry_failed=retry_failed)
        started, done, failed = time.monotonic(), 0, []
        progress = tqdm(total=total, unit="page", file=sys.stderr, desc="ocr",
                        disable=no_progress or None)  # fmt: skip
        # One process per core; each Tesseract runs single-threaded (files/ocr.py sets
        # its thread limit): with OpenMP threads it is ~9x slower here (13 s a page).
        with progress, ProcessPoolExecutor(max_workers=max(jobs, 1)) as pool:
            # Claim a few pages per process at a time: small enough that a second
            # reader (the worker) shares the work, large enough to keep processes busy.
            while pages := claim(max(jobs, 1) * 2, retry_failed=retry_failed):
                for result in pool.map(do_page_work, works_for(pages)):
                    page = save_result(result)
                    done += 1
                    if result.error:
                        failed.append(f"page {page.number} of {page.pdf_sha256[:12]}: {page.error}")
                    progress.update()
        elapsed = time.monotonic() - started
        for line in failed:
            self.stderr.write(f"error: {line}")
        rate = f" ({done / elapsed * 60:,.0f} pages/min)" if done and elapsed else ""
        self.stderr.write(f"{done} page(s) in {elapsed:.1f}s{rate}, {len(failed)} failed")
        if failed:
            raise CommandError(
                f"{len(failed)} page(s) failed; retry with `readingroom ocr --retry-failed`",
                returncode=1,
            )
