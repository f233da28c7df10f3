"""Keep a few processes running: start each, restart any that dies, stop all on Ctrl-C
or SIGTERM. What `readingroom run` (and so `make demo`) uses for the server and one
worker; a production site has systemd do the same (docs/deploy.md).

A restart waits a little, longer each time a process dies soon after its start, so a
process that cannot start (a port in use) does not spin.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

FIRST_DELAY, MAX_DELAY = 1.0, 30.0
STABLE_AFTER = 10.0  # a process that lived this long restarts at once next time
STOP_GRACE = 25.0  # seconds a process gets to finish after SIGTERM


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started: float = 0.0
    delay: float = 0.0
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)
        self.started = time.monotonic()


class Supervisor:
    def __init__(self, children: list[Child], say: Callable[[str], None]) -> None:
        self.children = {c.name: c for c in children}
        self.say = say
        self.stopping = False

    def _stop_signal(self, signum: int, frame: object) -> None:
        self.stopping = True
        raise KeyboardInterrupt

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop_signal)
        try:
            for child in self.children.values():
                child.start()
                self.say(f"{child.name} started (pid {child.process.pid})")
            while True:
                pid, status = os.wait()  # until any child ends
                child = next((c for c in self.children.values()
                              if c.process and c.process.pid == pid), None)  # fmt: skip
                if child is None:
                    continue
                child.process.returncode = os.waitstatus_to_exitcode(status)
                self._restart(child)
        except KeyboardInterrupt:
            self.stopping = True
        finally:
            self.stop_all()
        return 0

    def _restart(self, child: Child) -> None:
        lived = time.monotonic() - child.started
        child.delay = 0.0 if lived >= STABLE_AFTER else min(MAX_DELAY, max(FIRST_DELAY,
                                                                         child.delay * 2))
        self.say(f"{child.name} (pid {child.process.pid}) exited with status "
                 f"{child.process.returncode} after {lived:.0f} s; restarting"
                 + (f" in {child.delay:.0f} s" if child.delay else ""))  # fmt: skip
        if child.delay:
            time.sleep(child.delay)
        child.restarts += 1
        child.start()
        self.say(f"{child.name} started again (pid {child.process.pid})")

    def stop_all(self) -> None:
        running = [c.process for c in self.children.values()
                   if c.process and c.process.poll() is None]  # fmt: skip
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def readingroom_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "readingroom", *args]
