"""Waiting for a condition in tests: polled, with a bound on the number of looks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], what: str, looks: int = 1200) -> T:
    """Return the condition's first true value; fail after `looks` looks (a pause of
    50 ms between them, so the bound is about a minute on an idle machine)."""
    for _ in range(looks):
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"still waiting for {what} after {looks} looks")
