"""OAI-PMH response documents, written with lxml (section 3.2 of the protocol): the
envelope with responseDate and request, one verb's element or the errors, headers,
records and resumption tokens. Valid against OAI-PMH.xsd (the tests check each verb
and each error)."""

from __future__ import annotations

from datetime import UTC, datetime

from lxml import etree

from readingroom.interop.formats.dublin_core import XSI, xml_text
from readingroom.interop.oai.arguments import datestamp

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = (f"{OAI_IDENTIFIER} "
                         "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")  # fmt: skip
_ = f"{{{OAI}}}"


def sub(parent: etree._Element, name: str, text: str | None = None, **attributes: str
        ) -> etree._Element:  # fmt: skip
    node = etree.SubElement(parent, _ + name, attributes)
    if text is not None:
        node.text = xml_text(text)
    return node


def envelope(base_url: str, echo: dict[str, str]) -> etree._Element:
    """The response with its date and the request it answers (`echo`: the attributes;
    none for badVerb and badArgument, as the protocol says)."""
    root = etree.Element(_ + "OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", OAI_SCHEMA)
    sub(root, "responseDate", datestamp(datetime.now(UTC)))
    sub(root, "request", base_url, **echo)
    return root


def errors(root: etree._Element, code: str, message: str) -> None:
    sub(root, "error", message, code=code)


def header(parent: etree._Element, identifier: str, moment: datetime, specs: list[str],
           deleted: bool) -> None:  # fmt: skip
    node = sub(parent, "header", **({"status": "deleted"} if deleted else {}))
    sub(node, "identifier", identifier)
    sub(node, "datestamp", datestamp(moment))
    for spec in specs:
        sub(node, "setSpec", spec)


def resumption(parent: etree._Element, token: str | None, expires: datetime | None,
               cursor: int, total: int) -> None:  # fmt: skip
    """The list's resumptionToken: a token with its expiry while more follow; empty
    (with the counts) on the last page of a list that had more than one."""
    attributes = {"completeListSize": str(total), "cursor": str(cursor)} if total else {}
    if token is not None and expires is not None:
        attributes["expirationDate"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    sub(parent, "resumptionToken", token or "", **attributes)


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
