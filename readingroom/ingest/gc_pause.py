"""Holding Python's cyclic garbage collector while an import builds many objects.

A release set is some 700,000 container objects (calamine's rows, then the records)
and a loader batch some 200,000 more (instances, rows, JSON). With the collector
running, the ones alive at a collection are promoted and then traversed again and again
by full collections: half of the parse time and a quarter of the writing for nothing.
Reference counting still frees everything that is not a cycle. Used by the parsers and
the loader alike, so it imports nothing of Django.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
