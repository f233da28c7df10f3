"""Precedence between the parties that assert a record's values, declared as data
(`data/precedence.json`): which claim wins a field, which source of a record gives its
parts, so that the catalogue is the same whatever the order of the imports.

A `Claim` is what one party asserts: a source (as stored on its DocumentSource, or the
record being imported) or, above every source, an editor (catalogue/provenance.py).
The decisions here read claims only; the loader (`ingest/merge.py`) and the admin's
provenance display both use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from readingroom.catalogue.vocabularies import load_data

PLACEHOLDER, LEGACY, FULL = "placeholder", "legacy", "full"
UNION, RECORD = "union", "record"
EARLIEST = "earliest"


@cache
def table() -> dict[str, Any]:
    return load_data("precedence.json")


@cache
def field_rule(name: str) -> str:
    """`earliest` for a field whose earliest value wins (a record's first release), else
    `precedence`."""
    return table()["fields"].get(name, "precedence") if name != "about" else "precedence"


@cache
def part_rule(kind: str) -> str:
    """`union` (every source's parts, one per key) or `record` (the top source's)."""
    parts = table()["parts"]
    return parts.get(kind, parts["default"]) if kind not in ("about", "default") else RECORD


@cache
def _importer_score(importer: str) -> int:
    order = table()["importers"]["order"]
    return -order.index(importer) if importer in order else -len(order)


@dataclass(eq=False)
class Claim:
    """What one source asserts of one document: field values (as the source gives
    them: `provenance.value_of` terms) and part keys with a digest of their content."""

    importer: str
    id_in_source: str
    origin: str
    rank: str
    tier: str  # placeholder | legacy | full
    fields: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, list[str]] = field(default_factory=dict)  # kind → keys
    source_pk: int | None = None
    record: Any = None  # the record being imported (its content at hand), or None
    before: Claim | None = None  # what the same source asserted before this import

    @cached_property
    def precedence(self) -> tuple:
        return precedence(self.importer, self.id_in_source, self.origin, self.rank, self.tier)

    @property
    def chain(self) -> tuple[str, str]:
        """The record it speaks of, in its importer's terms: its sources form a chain."""
        return (self.importer, self.id_in_source)

    @property
    def label(self) -> str:
        return label(self.importer, self.origin, self.id_in_source)

    def asserted(self) -> dict[str, Any]:
        """What DocumentSource.asserted stores."""
        return {"t": self.tier, "f": self.fields, "p": self.parts}


def precedence(importer: str, id_in_source: str, origin: str, rank: str, tier: str) -> tuple:
    """Compared as a whole: the greater wins (tier, importer, rank, then the tie rule)."""
    return (table()["tiers"][tier], _importer_score(importer), rank, origin, id_in_source)


def label(importer: str, origin: str, id_in_source: str) -> str:
    return f"{importer} {origin or id_in_source}".strip()


def winner(name: str, claims: list[Claim]) -> Claim | None:
    """The claim whose value of field `name` the document takes (editors aside)."""
    asserting = [c for c in claims if name in c.fields]
    if not asserting:
        return None
    if field_rule(name) == EARLIEST:
        best_tier = max(c.precedence[0] for c in asserting)
        tier = [c for c in asserting if c.precedence[0] == best_tier]
        earliest = min(str(c.fields[name]) for c in tier)
        return max((c for c in tier if str(c.fields[name]) == earliest),
                   key=lambda c: c.precedence)  # fmt: skip
    return max(asserting, key=lambda c: c.precedence)


def chain_tops(claims: list[Claim]) -> dict[tuple[str, str], Claim]:
    """The top claim of each record chain: whose parts of the `record` kinds count."""
    tops: dict[tuple[str, str], Claim] = {}
    for c in claims:
        top = tops.get(c.chain)
        if top is None or c.precedence > top.precedence:
            tops[c.chain] = c
    return tops


def providers(kind: str, claims: list[Claim],
              tops: dict[tuple[str, str], Claim]) -> dict[str, Claim]:  # fmt: skip
    """Each key of `kind` the sources give the document, with the claim whose content
    it takes (the highest-precedence one asserting it), in the order they give them."""
    given = claims if part_rule(kind) == UNION else list(tops.values())
    found: dict[str, Claim] = {}
    for c in sorted(given, key=lambda c: c.precedence, reverse=True):
        for key in c.parts.get(kind, ()):
            found.setdefault(key, c)
    return found
