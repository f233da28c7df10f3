"""Metadata embedded in a document's page, for reference managers and search engines.

What Zotero reads (its *Embedded Metadata* translator, observed with Zotero's own
translation server, `../shared/tools/zotero/README.md`): Highwire Press `citation_*`
tags for title, author, date, language, abstract, the page URL and the PDF; Dublin Core
`DC.type` for the item type and `DC.coverage` for the archive location, `DC.rights`;
and its own `z.archive` and `z.callNumber`, which no other tag fills. schema.org JSON-LD
is for search engines (Zotero ignores it). No COinS: on a page with COinS Zotero reads
only the COinS and drops everything above.
"""

from __future__ import annotations

import json
from typing import Any

from readingroom.interop.formats import dates, dublin_core
from readingroom.interop.formats.citable import Citable


def meta_tags(c: Citable) -> list[tuple[str, str]]:
    tags = [("citation_title", c.title)]
    # Persons only: Zotero splits any name from a meta tag into given and family names
    # ("Agency, Central Intelligence"), and a wrong creator is worse than none. The
    # JSON-LD and the exports name organizations as such.
    people = [n for n in c.authors if n.is_person]
    tags += [("citation_author", n.inverted()) for n in people]
    tags += [("citation_date", dates.highwire(c))]
    tags += [("citation_language", lang) for lang in c.languages]
    tags += [("citation_abstract", c.abstract), ("citation_abstract_html_url", c.url),
             ("citation_pdf_url", c.pdf_url)]  # fmt: skip
    # Zotero takes its item type from DC.type (without it: a journal article).
    tags += [("DC.type", "manuscript")]
    tags += [(f"DC.{name}", value) for name, value in dublin_core.elements(c, people)
             if name not in ("type", "format")]  # fmt: skip
    tags += [("z.archive", c.archive), ("z.callNumber", c.call_number)]
    return [(name, " ".join(value.split())) for name, value in tags if value]


def _thing(kind: str, name: str) -> dict[str, str]:
    return {"@type": kind, "name": name}


def json_ld(c: Citable) -> dict[str, Any]:
    """schema.org: an ArchiveComponent held by an ArchiveOrganization."""
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ArchiveComponent",
        "@id": c.url,
        "url": c.url,
        "name": c.title,
        "dateCreated": dates.edtf(c) if dates.edtf(c).replace("-", "").isdigit() else None,
        "temporalCoverage": dates.edtf(c) or None,
        "creator": [_thing("Person" if n.is_person else "Organization", n.direct())
                    for n in c.authors] or None,
        "inLanguage": c.languages or None,
        "description": c.abstract or None,
        "genre": c.genre or None,
        "identifier": c.call_number or c.identifier,
        "license": c.rights_uri or None,
        "publisher": _thing("Organization", c.site),
        "holdingArchive": _thing("ArchiveOrganization", c.archive) if c.archive else None,
        "itemLocation": c.archive_location or None,
        "isPartOf": {"@type": "Book", "name": c.volume.title} if c.volume else None,
        "encoding": {"@type": "MediaObject", "contentUrl": c.pdf_url,
                     "encodingFormat": "application/pdf"} if c.pdf_url else None,
    }  # fmt: skip
    return {k: v for k, v in out.items() if v is not None}


def json_ld_text(c: Citable) -> str:
    """JSON for a <script type="application/ld+json"> block: <, > and & escaped, so no
    value can close the element (as Django's json_script does)."""
    text = json.dumps(json_ld(c), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def for_page(c: Citable) -> dict[str, Any]:
    return {"meta": meta_tags(c), "json_ld": json_ld_text(c)}
