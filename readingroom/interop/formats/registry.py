"""The one table of output formats: name → media type → suffix → renderer.

Every surface that writes a document in a format (citations, downloads, the `.ris`,
`.bib` and `.csl.json` URLs, OAI-PMH; later content negotiation, exports) looks it up
here, so adding a format is one entry and one module. Renderers are handed the public
document dict (`reader.services.document_detail`, or `document_metadata` for many
records at once), never a query.

`HARVESTED` lists the formats harvesters take as OAI-PMH metadata: Dublin Core from the
same mapping as the `dublin-core` export, and the archive's own richer record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from readingroom.interop.formats import (
    apa,
    bibtex,
    chicago,
    csl_json,
    dublin_core,
    mla,
    plain_text,
    readingroom_xml,
    ris,
)
from readingroom.interop.formats.citable import Citable, citable
from readingroom.interop.formats.prose import Runs, as_html, as_text


@dataclass(frozen=True)
class Format:
    name: str  # ?style= value
    label: str
    media_type: str
    suffix: str  # of a downloaded file, and of the document's URL when `route`
    render: Callable[[Citable], Runs | str]
    kind: str = "export"  # "style": prose with italics (HTML or text); "export": a file
    route: bool = False  # served at /documents/<identifier><suffix>

    def text(self, c: Citable) -> str:
        out = self.render(c)
        return out if isinstance(out, str) else as_text(out)

    def html(self, c: Citable) -> str:
        """Escaped HTML: italics for a style; an export is its text, escaped."""
        out = self.render(c)
        return as_html(out) if not isinstance(out, str) else as_html([(out, False)])

    def filename(self, identifier: str) -> str:
        return identifier + (self.suffix if self.route else f".{self.name}{self.suffix}")


TEXT = "text/plain; charset=utf-8"
FORMATS: tuple[Format, ...] = (
    Format("chicago-note", "Chicago (note)", TEXT, ".txt", chicago.note, "style"),
    Format("chicago-bibliography", "Chicago (bibliography)", TEXT, ".txt",
           chicago.bibliography, "style"),
    Format("mla", "MLA 9", TEXT, ".txt", mla.entry, "style"),
    Format("apa", "APA 7", TEXT, ".txt", apa.entry, "style"),
    Format("bibtex", "BibTeX", "application/x-bibtex; charset=utf-8", ".bib", bibtex.bibtex,
           route=True),
    Format("biblatex", "BibLaTeX", "application/x-bibtex; charset=utf-8", ".bib",
           bibtex.biblatex),
    Format("ris", "RIS (EndNote, Zotero, Mendeley)",
           "application/x-research-info-systems; charset=utf-8", ".ris", ris.render, route=True),
    Format("csl-json", "CSL-JSON", "application/vnd.citationstyles.csl+json; charset=utf-8",
           ".csl.json", csl_json.render, route=True),
    Format("dublin-core", "Dublin Core (XML)", "application/xml; charset=utf-8", ".xml",
           dublin_core.render),
    Format("text", "Plain text", TEXT, ".txt", plain_text.render),
)  # fmt: skip

BY_NAME = {f.name: f for f in FORMATS}
ROUTED = tuple(f for f in FORMATS if f.route)
DEFAULT_STYLE = "chicago-note"


def rendered(document: dict[str, Any], site: str, locator: str = "") -> list[dict[str, Any]]:
    """Every format of one document, in the table's order: name, label, kind, text, and
    HTML for styles."""
    c = citable(document, site, locator)
    return [
        {"name": f.name, "label": f.label, "kind": f.kind, "text": f.text(c),
         **({"html": f.html(c)} if f.kind == "style" else {})}
        for f in FORMATS
    ]  # fmt: skip


@dataclass(frozen=True)
class MetadataFormat:
    """A format served as OAI-PMH metadata: one XML element per record."""

    prefix: str  # metadataPrefix
    namespace: str
    schema: str  # an absolute URL, or a path on this site (made absolute when served)
    # (document dict, site name, absolute schema URL) -> the record's metadata element
    element: Callable[[dict[str, Any], str, str], etree._Element]


def _dublin_core(document: dict[str, Any], site: str, schema_url: str) -> etree._Element:
    return dublin_core.element(citable(document, site))


def _readingroom(document: dict[str, Any], site: str, schema_url: str) -> etree._Element:
    return readingroom_xml.element(document, schema_url)


HARVESTED: tuple[MetadataFormat, ...] = (
    MetadataFormat("oai_dc", dublin_core.OAI_DC, dublin_core.SCHEMA, _dublin_core),
    MetadataFormat("readingroom", readingroom_xml.NAMESPACE, readingroom_xml.SCHEMA_PATH,
                   _readingroom),
)  # fmt: skip
BY_PREFIX = {f.prefix: f for f in HARVESTED}
