"""Cells of an archivist's sheet read as catalogue values: dates, language codes,
markings, names. Each reader returns the value or raises `CellError` with what is wrong
(the sheet parser adds the row, column and value). Pure: the vocabularies are read from
the catalogue's data files, not the database."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from functools import cache
from pathlib import Path

from readingroom.ingest.records import AgentRecord, DateRecord

DATA = Path(__file__).resolve().parents[2] / "catalogue" / "data"


class CellError(ValueError):
    """A cell that cannot become its field's value; the message says why."""


# ---- dates -------------------------------------------------------------------------

MONTHS = {name.casefold(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name}
ISO_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")
YEAR = re.compile(r"^(\d{4})$")


def iso_date(text: str) -> DateRecord:
    """`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or a range of two joined by `/` (EDTF)."""
    text = text.strip()
    if "/" in text:
        first, _, last = text.partition("/")
        start, end = iso_date(first), iso_date(last)
        if end.end < start.start:
            raise CellError(f"the range ends ({last}) before it starts ({first})")
        return DateRecord("range", text, start.start, end.end)
    m = ISO_RE.match(text)
    if not m:
        raise CellError("not an ISO date (YYYY-MM-DD, YYYY-MM, YYYY or FROM/TO)")
    year, month, day = (int(g) if g else None for g in m.groups())
    return _date(text, year, month, day)


def written_date(text: str) -> DateRecord:
    """A date as cataloguers write it in English: `11 October 1947`, `October 11, 1947`,
    `October 1947`, `1947` (an ISO date too)."""
    text = " ".join(text.split())
    for pattern, order in ((DAY_MONTH_YEAR, "dmy"), (MONTH_DAY_YEAR, "mdy")):
        m = pattern.match(text)
        if m:
            parts = dict(zip(order, m.groups(), strict=True))
            return _date(text, int(parts["y"]), _month(parts["m"]), int(parts["d"]))
    m = MONTH_YEAR.match(text)
    if m:
        return _date(text, int(m[2]), _month(m[1]), None)
    if YEAR.match(text) or ISO_RE.match(text) or "/" in text:
        return iso_date(text)
    raise CellError("not a date (e.g. 24 December 1991, December 1991, 1991-12-24)")


def _month(name: str) -> int:
    month = MONTHS.get(name.casefold())
    if month is None:
        raise CellError(f"{name!r} is not a month")
    return month


def _date(text: str, year: int, month: int | None, day: int | None) -> DateRecord:
    try:
        if day is not None and month is not None:
            day_ = date(year, month, day)
            return DateRecord("day", text, day_, day_)
        if month is not None:
            last = calendar.monthrange(year, month)[1]
            return DateRecord("month", text, date(year, month, 1), date(year, month, last))
        return DateRecord("year", text, date(year, 1, 1), date(year, 12, 31))
    except ValueError as exc:  # 1991-02-30, month 13
        raise CellError(f"no such day ({exc})") from exc


# ---- vocabularies -------------------------------------------------------------------


@cache
def language_codes() -> frozenset[str]:
    return frozenset(json.loads((DATA / "languages.json").read_text(encoding="utf-8")))


def language(code: str) -> str:
    if code not in language_codes():
        near = [c for c in language_codes() if c.casefold() == code.casefold()]
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise CellError(f"unknown language code{hint}: the catalogue's languages are ISO "
                        "639-1 codes (en, ru, zh-Hans...), "
                        "catalogue/data/languages.json")  # fmt: skip
    return code


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


@cache
def markings() -> dict[str, str]:
    """Normalized marking → classification level (`catalogue/data/markings.json`)."""
    data = json.loads((DATA / "markings.json").read_text(encoding="utf-8"))
    return {_plain(m): level for level, names in data.items() if not level.startswith("_")
            for m in names}  # fmt: skip


def classification_level(marking: str) -> str:
    level = markings().get(_plain(marking))
    if level is None:
        raise CellError("marking not in the vocabulary (catalogue/data/markings.json)")
    return level


# ---- names ----------------------------------------------------------------------------

SIGNED_BY = re.compile(r"\s+[—–-]+\s+signed by\s+", re.I)
TRAILING_NOTE = re.compile(
    r"^(?P<name>.*\S)\s+\((?P<note>sponsors?|signatories|issuing bod(?:y|ies))\)$", re.I
)


def split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at `separator` outside parentheses, each part stripped."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == separator and depth <= 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def agents(cell: str, role: str, separator: str = ";") -> list[AgentRecord]:
    """The names of a Creator or Recipient cell: agents apart at the separator; `NAME,
    OFFICE` a person with the office they held then (`Carl-August Fleischhauer,
    Under-Secretary-General for Legal Affairs`), a name without an office a body
    (`United Nations Security Council`); `… — signed by A, B` the signers, persons; a
    trailing `(sponsors)` a note on each of the list's names."""
    found: list[AgentRecord] = []
    items = split_top_level(cell, separator)
    note = ""
    if len(items) > 1 and (m := TRAILING_NOTE.match(items[-1])):
        items[-1], note = m["name"], m["note"]
    for item in items:
        signed = SIGNED_BY.split(item, maxsplit=1)
        item = signed[0].strip()
        found.append(_agent(item, role, note))
        if len(signed) > 1:
            found += [AgentRecord(name=name, role="signer", name_as_written=name)
                      for name in split_top_level(signed[1], ",")]  # fmt: skip
    return found


def _agent(item: str, role: str, note: str) -> AgentRecord:
    name, *office = split_top_level(item, ",")
    if office:
        office_text = ", ".join(office)
        return AgentRecord(name=name, role=role, kind="person", name_as_written=item,
                           office=office_text, identification=office_text, note=note)  # fmt: skip
    return AgentRecord(name=item, role=role, kind="organization", name_as_written=item,
                       note=note)  # fmt: skip
