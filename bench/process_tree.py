"""Run a command and measure it as a user would feel it: wall time, and peak memory
of the command together with every process it starts (the import parses in a child
process alongside the writing: the machine holds both at once).

Memory is sampled from /proc every 20 ms: the sum of the resident set sizes of the
process and its descendants, the largest sum seen. RSS counts pages a forked child
still shares with its parent twice, so the figure errs high, never low. Also reported:
the largest single process, as the kernel recorded it (`ru_maxrss`), which no sampling
can miss.
"""

from __future__ import annotations

import resource
import subprocess
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
    peak_process_mb: float  # the largest single process (the kernel's ru_maxrss)


def run_measured(command: list[str], env: dict[str, str]) -> Measured:
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    # The largest of any child so far: this command's processes are the largest this
    # benchmark starts (the others are `migrate`; the baselines run in this process).
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Measured(seconds, process.returncode, stderr, peak[0] / 1024, largest / 1024)


def _tree_rss_kb(pid: int) -> int:
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE_KB
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # it ended between two reads
    return total
