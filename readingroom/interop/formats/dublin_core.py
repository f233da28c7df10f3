"""Simple Dublin Core as an `oai_dc:dc` record (the OAI-PMH metadata format, so the
harvesting interface can serve the same record), valid against `oai_dc.xsd`."""

from __future__ import annotations

import re

from lxml import etree

from readingroom.interop.formats import dates
from readingroom.interop.formats.citable import Citable, Name

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
SCHEMA_LOCATION = f"{OAI_DC} {SCHEMA}"

# Characters XML 1.0 cannot carry (C0 controls but tab and newlines, lone surrogates,
# U+FFFE/F): a source's stray control character must not make a record unservable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def elements(c: Citable, creators: list[Name] | None = None) -> list[tuple[str, str]]:
    """(element, value) pairs, in the order Dublin Core lists them; also the page's
    `DC.*` meta tags (which name fewer creators)."""
    pairs = [("title", c.title)]
    pairs += [("creator", n.inverted()) for n in (c.authors if creators is None else creators)]
    pairs += [("subject", s) for s in c.subjects]
    pairs += [("description", c.abstract), ("publisher", c.site), ("date", dates.edtf(c)),
              ("type", "Text"), ("type", c.genre), ("format", "text/html")]  # fmt: skip
    pairs += [("identifier", c.url), ("identifier", c.call_number)]
    where = ", ".join(p for p in (c.archive_location, c.archive) if p)
    pairs += [("source", c.volume.title if c.volume else where)]
    pairs += [("language", lang) for lang in c.languages]
    pairs += [("relation", c.collection), ("coverage", c.archive_location)]
    pairs += [("rights", c.rights_uri), ("rights", c.rights_text)]
    return [(name, value) for name, value in pairs if value]


def element(c: Citable) -> etree._Element:
    """The `oai_dc:dc` element: the export below, and OAI-PMH's `oai_dc` metadata."""
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    for name, value in elements(c):
        etree.SubElement(root, f"{{{DC}}}{name}").text = xml_text(value)
    return root


def render(c: Citable) -> str:
    return etree.tostring(element(c), encoding="unicode", pretty_print=True)
