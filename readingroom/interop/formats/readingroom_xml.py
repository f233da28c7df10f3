"""The archive's own XML record: every public field of the document dict, typed, for
harvesters that want more than Dublin Core (OAI-PMH metadataPrefix `readingroom`).

Its schema (`schemas/readingroom-document-1.0.xsd`) is served by the site at
SCHEMA_PATH and validates every record the tests harvest. Texts and page words are not
included: a harvest page stays small, and both are at the record's URL and JSON twin.
Elements follow the schema's order; empty values are left out, never written empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from readingroom.interop.formats.dublin_core import XSI, xml_text

NAMESPACE = "urn:x-readingroom:document:1.0"
SCHEMA_PATH = "/schemas/readingroom-document-1.0.xsd"
SCHEMA_FILE = Path(__file__).parent / "schemas" / "readingroom-document-1.0.xsd"
_ = f"{{{NAMESPACE}}}"


def _add(parent: etree._Element, element_name: str, text: Any = None, **attributes: Any
         ) -> etree._Element:  # fmt: skip
    """A child element with its text and the attributes that have a value; nothing at
    all when it would be empty."""
    given = {k: xml_text(str(v)) for k, v in attributes.items() if v not in (None, "")}
    if text in (None, "") and not given:
        return etree.Element("unused")  # a detached element: children added to it vanish
    node = etree.SubElement(parent, _ + element_name, given)
    if text not in (None, ""):
        node.text = xml_text(str(text))
    return node


def _term(parent: etree._Element, name: str, term: dict[str, Any] | None) -> None:
    if term:
        _add(parent, name, term["label"], slug=term["slug"], asWritten=term["as_written"])


def element(d: dict[str, Any], schema_url: str) -> etree._Element:
    """The `document` element of one record (`d`: reader.services.document_metadata)."""
    root = etree.Element(_ + "document", nsmap={"rr": NAMESPACE, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NAMESPACE} {schema_url}")
    root.set("identifier", d["identifier"])
    root.set("recordId", str(d["record_id"]))
    _add(root, "title", d["title"])
    date = d["date"]
    _add(root, "date", date["display"], precision=date["precision"], start=date["start"],
         end=date["end"], timeStart=date["time_start"], timeEnd=date["time_end"],
         utcOffsetMinutes=date["utc_offset_minutes"], asWritten=date["as_written"])  # fmt: skip
    _term(root, "documentType", d["document_type"])
    _term(root, "physicalForm", d["physical_form"])
    c = d["classification"]
    classification = _add(root, "classification", c["label"], level=c["level"],
                          marking=c["marking"])  # fmt: skip
    for caveat in c["caveats"]:
        _add(classification, "caveat", caveat)
    _add(root, "summary", d["summary"])
    _add(root, "extentPages", d["extent_pages"])
    for lang in d["languages"]:
        _add(root, "language", lang["name"], code=lang["code"])
    for person in d["contributors"]:
        _add(root, "contributor", person["name"], role=person["role"], kind=person["kind"],
             sortName=person["sort_name"], asWritten=person["name_as_written"],
             url=person["url"])  # fmt: skip
    for place in d["places"]:
        _add(root, "place", place["name"], role=place["role"])
    for subject in d["subjects"]:
        _add(root, "subject", subject)
    for i in d["identifiers"]:
        _add(root, "otherIdentifier", i["value"], scheme=i["scheme"])
    for ref in d["archival_references"]:
        repository = ref["repository"] or {}
        node = etree.SubElement(root, _ + "archivalReference")
        for key, value in (("repository", repository.get("name")),
                           ("repositoryAbbreviation", repository.get("abbreviation")),
                           ("repositoryLocation", repository.get("location"))):  # fmt: skip
            if value:
                node.set(key, xml_text(value))
        _add(node, "asWritten", ref["as_written"])
        for name, value in ref["parts"].items():
            _add(node, "part", value, name=name)
    for m in d["collections"]:
        _add(root, "collection", m["title"], identifier=m["identifier"], kind=m["kind"],
             root=m["root"]["identifier"], url=m["url"])  # fmt: skip
    for r in d["releases"]:
        _add(root, "release", r["prior_status"], date=r["released_on"], list=r["list"],
             reviewDate=r["review_date"], pagesReleased=r["pages_released"])  # fmt: skip
    for f in d["files"]:
        _add(root, "file", f["note"], name=f["name"], mediaType=f["media_type"], size=f["size"],
             sha256=f["sha256"], url=f["url"])  # fmt: skip
    for funder in d["funders"]:
        _add(root, "funder", funder)
    rights = d["rights"]
    _add(root, "rights", rights["text"] or rights["label"], uri=rights["uri"])
    source = d["source"]
    _add(root, "source", source["citation_as_written"], recordId=source["record_id"],
         uploadedOn=source["uploaded_on"])  # fmt: skip
    _add(root, "url", d["canonical_url"] or d["url"])
    _add(root, "publicSince", d["public_since"])
    _add(root, "modified", d["modified_at"])
    return root
