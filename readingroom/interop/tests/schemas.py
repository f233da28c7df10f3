"""The official schemas (../shared/schemas), loaded offline: every URL a schema imports
(openarchives.org, dublincore.org, w3.org) resolved to the shared copies, and no network.
OAI-PMH.xsd validates `<metadata>` strictly, so whole responses are validated through a
driver schema that imports it with every metadata namespace the site serves."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from readingroom.conf import corpus
from readingroom.interop.formats.readingroom_xml import NAMESPACE, SCHEMA_FILE

SCHEMAS = corpus().parent / "schemas"
OAI = SCHEMAS / "oai-pmh"
_LOCAL = {
    "OAI-PMH.xsd": OAI / "OAI-PMH.xsd",
    "oai_dc.xsd": OAI / "oai_dc.xsd",
    "oai-identifier.xsd": OAI / "oai-identifier.xsd",
    "simpledc20021212.xsd": OAI / "simpledc20021212.xsd",
    "xml.xsd": OAI / "xml.xsd",
    SCHEMA_FILE.name: SCHEMA_FILE,
}


class _Local(etree.Resolver):
    def resolve(self, url, public_id, context):
        local = _LOCAL.get(url.rsplit("/", 1)[-1])
        return self.resolve_filename(str(local), context) if local else None


def _load(source: Path | str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    if isinstance(source, Path):
        return etree.XMLSchema(etree.parse(str(source), parser))
    return etree.XMLSchema(etree.fromstring(source.encode(), parser))


@cache
def oai_dc() -> etree.XMLSchema:
    return _load(OAI / "oai_dc.xsd")


@cache
def oai_pmh() -> etree.XMLSchema:
    """OAI-PMH.xsd with oai_dc, oai-identifier and the archive's own record format."""
    imports = {
        "http://www.openarchives.org/OAI/2.0/": "OAI-PMH.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/": "oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai-identifier": "oai-identifier.xsd",
        NAMESPACE: SCHEMA_FILE.name,
    }
    lines = "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>'
                    for ns, name in imports.items())  # fmt: skip
    return _load('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                 f'targetNamespace="urn:x-driver">{lines}</xs:schema>')  # fmt: skip


@cache
def sitemap(name: str) -> etree.XMLSchema:
    """`sitemap.xsd` (a urlset) or `siteindex.xsd` (an index)."""
    return _load(SCHEMAS / "sitemaps" / name)


def valid(schema: etree.XMLSchema, body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    assert schema.validate(root), schema.error_log
    return root
