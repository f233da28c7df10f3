"""Run a command and measure it as a user would feel it: wall time, and peak memory
of the command together with every process it starts (the import parses in a child
process alongside the writing: the machine holds both at once).

Memory is sampled from /proc every 20 ms: the sum of the resident set sizes of the
process and its descendants, the largest sum seen. RSS counts pages a forked child
still shares with its parent twice, so the figure errs high, never low. Also reported:
the largest single process seen.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_KB = resource.getpagesize() // 1024


@dataclass
class Measured:
    seconds: float
    returncode: int
    stderr: str
    peak_tree_mb: float  # the largest sum over the process tree, sampled
    peak_process_mb: float  # the largest single process, sampled


def run_measured(command: list[str], env: dict[str, str]) -> Measured:
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    peak = [0, 0]  # KB: the tree's sum, the largest process
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            sizes = _tree_rss_kb(process.pid)
            peak[0] = max(peak[0], sum(sizes))
            peak[1] = max(peak[1], max(sizes, default=0))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return Measured(seconds, process.returncode, stderr, peak[0] / 1024, peak[1] / 1024)


def _tree_rss_kb(pid: int) -> list[int]:
    """The resident size (KB) of the process and of each of its descendants."""
    sizes = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            sizes.append(int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE_KB)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # it ended between two reads
    return sizes


def report_own_peak() -> None:
    """The benchmark's own peak memory (its in-process baselines), on stderr."""
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "MB peak (this process)",
          file=sys.stderr)  # fmt: skip
