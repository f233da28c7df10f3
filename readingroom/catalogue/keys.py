"""The natural keys of a document's parts and the empty values of its fields, in plain
Python: the parsing process (which runs before Django loads) keys a record's parts with
them, and `catalogue/provenance.py` keys the stored rows the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from hashlib import blake2b
from typing import Any

# A field holding one of these asserts nothing (a source that says nothing of it).
EMPTY: tuple[Any, ...] = ("", None, ["undated", "", None, None, None, None, None],
                          ["not-recorded", ""], ["", ""])  # fmt: skip


def empty_value(name: str) -> Any:
    """The value a field takes when nobody asserts it."""
    return {"date": EMPTY[2], "classification": EMPTY[3], "rights": EMPTY[4],
            "title_original": EMPTY[4], "extent_pages": None,
            "source_uploaded_on": None}.get(name, "")  # fmt: skip


def iso(value: date | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def agent_key(role: str, name: str, office: str, note: str, withheld: bool) -> str:
    return "|".join((role, name or "", office or "", note or "",
                     "withheld" if withheld else "")).rstrip("|")  # fmt: skip


def base_key(kind: str, values: Sequence[Any]) -> str:
    """A stored part's key before numbering, from its `Kind.key_columns` values: what
    `ingest/assertions.py` makes of the same part of a record."""
    if kind == "agents":
        return agent_key(*values)
    if kind == "files":
        sha256, name = values
        return sha256 or f"name:{name}"
    if kind == "releases":
        day, listed = values
        return f"{day if isinstance(day, str) else iso(day)}|{listed}"
    if kind == "relations":  # the target by its id in the (same) source: importer: left out
        relation, target_key = values
        return f"{relation}|{(target_key or '').partition(':')[2]}"
    if len(values) == 1:
        return str(values[0] or "")
    return "|".join(str(v or "") for v in values)


def short(key: str) -> str:
    """A key as stored: whole up to LONGEST characters (most are: a day and a list, a
    role and a name), else its start and a digest of the rest (an archival reference as
    written), so that a source's assertions stay small."""
    if len(key) <= LONGEST:
        return key
    return f"{key[:32]}…{blake2b(key.encode(), digest_size=5).hexdigest()}"


LONGEST = 48


def numbered(bases: Iterable[str]) -> list[str]:
    """Keys in order (shortened), a key given before numbered `#1`, `#2`... (so each
    is one part)."""
    keys = [short(base) for base in bases]
    if len(keys) < 2 or len(set(keys)) == len(keys):
        return keys
    seen: dict[str, int] = {}
    for i, key in enumerate(keys):
        n = seen.get(key, 0)
        seen[key] = n + 1
        if n:
            keys[i] = f"{key}#{n}"
    return keys
