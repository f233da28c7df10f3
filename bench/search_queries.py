"""The search benchmark's fixed query mix, declared once as data, and how a query is
timed (warm-up, then repetitions taking turns between the systems compared).

Each kind is written in each system's own language, so every system answers the same
question: what a researcher types into Reading Room (both backends), tantivy's query
language (the raw engine), bare SQL on the PostgreSQL backend's tables, and SQLite
FTS5's MATCH syntax plus column filters (Datasette).
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TS = "websearch_to_tsquery('rr_english', %s)"
PAGE = 20  # hits every system returns for a query (with the total and the facets)


@dataclass(frozen=True)
class Case:
    kind: str
    ours: str  # the query as typed into /search (both backends)
    tantivy: str  # tantivy's own query language, same fields as ours, no boosts
    pg_where: str  # bare SQL condition on search_searchentry e
    pg_params: tuple[Any, ...]
    pg_rank: str | None  # websearch text to rank by; None: no text, pk order
    fts5: str | None  # FTS5 MATCH expression (Datasette ?_search=, raw mode)
    sqlite_filters: dict[str, str] = field(default_factory=dict)  # Datasette ?col__op=


# In the 2,331 FRUS documents: Sputnik in 6, president in about 1,270, "nuclear test" in
# about 150, Castro 208, Guevara 10, Khrushchev 514; 519 dated May to October 1962.
QUERIES: tuple[Case, ...] = (
    Case(
        kind="rare word",
        ours="Sputnik",
        tantivy="Sputnik",
        pg_where=f"e.vector @@ {TS}",
        pg_params=("Sputnik",),
        pg_rank="Sputnik",
        fts5="Sputnik",
    ),
    Case(
        kind="common word",
        ours="president",
        tantivy="president",
        pg_where=f"e.vector @@ {TS}",
        pg_params=("president",),
        pg_rank="president",
        fts5="president",
    ),
    Case(
        kind="phrase",
        ours='"nuclear test"',
        tantivy='"nuclear test"',
        pg_where=f"e.vector @@ {TS}",
        pg_params=('"nuclear test"',),
        pg_rank='"nuclear test"',
        fts5='"nuclear test"',
    ),
    Case(
        kind="boolean",
        ours="Castro OR Guevara -Khrushchev",
        # As ours reads it (search/boolean.py): (Castro OR Guevara) AND NOT Khrushchev,
        # spelled out for the raw engines.
        tantivy="(Castro OR Guevara) -Khrushchev",
        pg_where=f"e.vector @@ ({TS} && !!{TS})",
        pg_params=("Castro OR Guevara", "Khrushchev"),
        pg_rank="Castro OR Guevara",
        fts5="(Castro OR Guevara) NOT Khrushchev",
    ),
    Case(
        kind="field",
        ours="title:telegram person:Rusk",
        tantivy="title:telegram person:Rusk",
        # What our backend makes of it: a condition per field column (its index).
        pg_where=f"to_tsvector('rr_english', e.title) @@ {TS} "
        f"AND to_tsvector('rr_english', e.person) @@ {TS}",
        pg_params=("telegram", "Rusk"),
        pg_rank="telegram Rusk",
        fts5="title:telegram AND person:Rusk",
    ),
    Case(
        kind="date range",
        ours="date:1962-05..1962-10",
        tantivy="date:[19620501 TO 19621031]",
        pg_where="e.date BETWEEN %s AND %s",
        pg_params=(19620501, 19621031),
        pg_rank=None,
        fts5=None,
        sqlite_filters={"date__gte": "19620501", "date__lte": "19621031"},
    ),
)


@dataclass
class Timing:
    seconds: list[float]
    hits: int  # the total the system reported (a check that all answer the same)

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95(self) -> float:
        # Nearest rank: with 20 runs, the second slowest.
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000

    def as_dict(self) -> dict[str, Any]:
        return {"p50": self.p50, "p95": self.p95, "runs": len(self.seconds), "hits": self.hits}


def time_systems(
    systems: dict[str, Callable[[], int]], repeat: int, budget: float, warmup: int = 2
) -> dict[str, Timing]:
    """Run each system `warmup` times, then up to `repeat` rounds (at least 5, fewer when
    the round takes longer than budget / repeat) in which every system runs once, in an
    order rotating from round to round, so load from other work on the shared machine
    falls on all of them alike. Each system returns its total hits."""
    hits = {name: 0 for name in systems}
    for name, run in systems.items():
        t = time.perf_counter()
        hits[name] = run()
        if time.perf_counter() - t < 1:  # one warm-up is enough for a query of seconds
            for _ in range(warmup - 1):
                run()
    seconds: dict[str, list[float]] = {name: [] for name in systems}
    names, started = list(systems), time.perf_counter()
    for r in range(repeat):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            t = time.perf_counter()
            systems[name]()
            seconds[name].append(time.perf_counter() - t)
        if r + 1 >= 5 and time.perf_counter() - started > budget:
            break
    return {name: Timing(seconds[name], hits[name]) for name in systems}
