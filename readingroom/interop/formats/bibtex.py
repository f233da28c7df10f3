"""BibTeX and BibLaTeX entries.

Both use `@unpublished`, the entry type for archival documents that Zotero reads as a
manuscript. BibTeX gets year/month and the archive in `note`; BibLaTeX its own fields:
an ISO 8601-2 `date` (circa as `1962~`), `library` for the archive and `langid`.
Values are UTF-8; the characters TeX treats as commands are escaped, and names of
organizations are braced so that BibTeX does not split them into given and family.
"""

from __future__ import annotations

import re

from readingroom.interop.formats import dates
from readingroom.interop.formats.citable import Citable, Name

_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
            "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}  # fmt: skip
_SPECIAL_RE = re.compile("|".join(re.escape(k) for k in _SPECIAL))
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def escape(text: str) -> str:
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], " ".join(text.split()))


def _name(n: Name) -> str:
    if not n.is_person:
        return "{" + escape(n.literal) + "}"
    suffix = f", {escape(n.suffix)}" if n.suffix else ""
    return f"{escape(n.family)}{suffix}, {escape(n.given)}" if n.given else escape(n.family)


def names(people: list[Name]) -> str:
    return " and ".join(_name(n) for n in people)


def _where(c: Citable) -> str:
    """The source in one line: the volume, or the archive and where in it."""
    if v := c.volume:
        eds = f", ed. {' and '.join(e.direct() for e in v.editors)}" if v.editors else ""
        imprint = ", ".join(p for p in (f"{v.place}: {v.publisher}" if v.place else v.publisher,
                                        v.year) if p)  # fmt: skip
        return ", ".join(p for p in (f"{v.title}{eds}" + (f" ({imprint})" if imprint else ""),
                                     v.number) if p)  # fmt: skip
    return ", ".join(p for p in (c.archive_location, c.archive) if p)


def _entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def bibtex(c: Citable) -> str:
    month = ""
    if not dates.undated(c) and c.start and c.precision in ("day", "time", "month", "range"):
        month = MONTHS[c.start.month - 1]
    fields = [
        ("author", names(c.authors)),
        ("title", "{" + escape(c.title) + "}"),  # braced: keeps its capitals
        ("year", str(c.start.year) if c.start and not dates.undated(c) else ""),
        ("month", month),
        ("note", escape("; ".join(p for p in (c.genre, _where(c), c.locator) if p))),
        ("howpublished", escape(c.site)),
        ("url", c.url),
    ]
    out = _entry("unpublished", c.key, fields)
    # `month` takes BibTeX's three-letter macros, unbraced.
    return out.replace(f"month = {{{month}}}", f"month = {month}") if month else out


def biblatex(c: Citable) -> str:
    fields = [
        ("author", names(c.authors)),
        ("title", escape(c.title)),
        ("date", dates.edtf(c)),
        ("type", escape(c.genre)),
        ("howpublished", escape(c.site)),
        ("library", escape(c.archive)),
        ("location", escape(c.archive_place)),
        ("note", escape(_where(c) if c.volume else c.archive_location)),
        ("pages", escape(c.locator.removeprefix("p. ")) if c.locator.startswith("p. ") else ""),
        ("langid", c.languages[0] if c.languages else ""),
        ("abstract", escape(c.abstract)),
        ("url", c.url),
    ]
    return _entry("unpublished", c.key, fields)
