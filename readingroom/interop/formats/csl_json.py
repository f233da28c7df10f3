"""CSL-JSON (the Citation Style Language's data model): one `manuscript` item in a list,
as citeproc-js, Pandoc and Zotero read it; valid against the CSL data schema. A reader's
own CSL processor turns it into any of the CSL styles."""

from __future__ import annotations

import json
from typing import Any

from readingroom.interop.formats import dates
from readingroom.interop.formats.citable import Citable, Name


def _name(n: Name) -> dict[str, str]:
    if not n.is_person:
        return {"literal": n.literal}
    out = {"family": n.family, "given": n.given}
    return {**out, "suffix": n.suffix} if n.suffix else out


def item(c: Citable) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.key, "type": "manuscript", "title": c.title}
    if c.authors:
        out["author"] = [_name(n) for n in c.authors]
    if parts := dates.parts(c):
        out["issued"] = {"date-parts": parts, **({"circa": True} if c.precision == "circa" else {})}
    if v := c.volume:
        out |= {"container-title": v.title, "editor": [_name(e) for e in v.editors],
                "publisher": v.publisher, "publisher-place": v.place, "number": v.number,
                "ISBN": v.isbn}  # fmt: skip
    out |= {
        "genre": c.genre,
        "archive": c.archive,
        "archive_location": c.archive_location,
        "archive-place": c.archive_place,
        "archive_collection": c.collection,
        "call-number": c.call_number,
        "language": c.languages[0] if c.languages else "",
        "abstract": c.abstract,
        "source": c.site,
        "URL": c.url,
        "page": c.locator.removeprefix("p. ") if c.locator.startswith("p. ") else "",
    }
    return {k: v for k, v in out.items() if v not in ("", [], None)}


def render(c: Citable) -> str:
    return json.dumps([item(c)], ensure_ascii=False, indent=2) + "\n"
