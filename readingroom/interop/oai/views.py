"""The OAI-PMH endpoint: /oai, GET or POST (the `oaipmh` client posts), answering every
request — errors included — with an OAI-PMH document and status 200, as the protocol
says (section 3.1.2.2), never one of the site's HTML or JSON error pages."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from readingroom.catalogue.gate import public_documents
from readingroom.interop import harvest_records
from readingroom.interop.formats.dublin_core import XSI
from readingroom.interop.formats.registry import BY_PREFIX, HARVESTED, MetadataFormat
from readingroom.interop.oai import arguments, listing, tokens
from readingroom.interop.oai import responses as xml
from readingroom.interop.oai.arguments import OAIError, Request
from readingroom.interop.oai.sets import SetTree
from readingroom.reader import paths, services
from readingroom.web.caching import public_page

# The domain part of our identifiers (oai-identifier.xsd's repositoryIdentifierType).
_DOMAIN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
# Without a public address with a domain name, identifiers still need one: this names
# no host (RFC 2606), so no one else's records are named.
NO_DOMAIN = "readingroom.invalid"


def repository_identifier() -> str:
    host = urlsplit(settings.BASE_URL).hostname or ""
    return host if _DOMAIN.fullmatch(host) else NO_DOMAIN


def oai_identifier(identifier: str) -> str:
    return f"oai:{repository_identifier()}:{identifier}"


def local_identifier(oai_id: str) -> str | None:
    prefix = f"oai:{repository_identifier()}:"
    return oai_id[len(prefix):] if oai_id.startswith(prefix) else None


def absolute(request: HttpRequest, path: str) -> str:
    return settings.BASE_URL + path if settings.BASE_URL else request.build_absolute_uri(path)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@public_page
def endpoint(request: HttpRequest) -> HttpResponse:
    base_url = absolute(request, reverse("interop:oai"))
    params = request.POST if request.method == "POST" else request.GET
    try:
        parsed = arguments.read(params)
    except OAIError as error:  # badVerb, badArgument: the request is echoed bare
        root = xml.envelope(base_url, {})
        xml.errors(root, error.code, error.message)
        return _answer(root)
    root = xml.envelope(base_url, parsed.echo())
    try:
        Verb(request, parsed, root).answer()
    except OAIError as error:
        root = xml.envelope(base_url, {} if error.code == "badArgument" else parsed.echo())
        xml.errors(root, error.code, error.message)
    return _answer(root)


def _answer(root: etree._Element) -> HttpResponse:
    return HttpResponse(xml.serialize(root), content_type="text/xml; charset=utf-8")


class Verb:
    """One request's answer, written into `root`."""

    def __init__(self, request: HttpRequest, parsed: Request, root: etree._Element) -> None:
        self.request, self.parsed, self.root = request, parsed, root
        self.now = timezone.now()

    def answer(self) -> None:
        getattr(self, self.parsed.verb)()

    # ---- Identify, ListMetadataFormats, ListSets ----------------------------------

    # Each verb is a method of its own name.
    def Identify(self) -> None:
        node = xml.sub(self.root, "Identify")
        xml.sub(node, "repositoryName", settings.SITE_NAME)
        xml.sub(node, "baseURL", self.root.find(xml._ + "request").text)
        xml.sub(node, "protocolVersion", "2.0")
        xml.sub(node, "adminEmail", settings.ADMIN_EMAIL or f"archive@{repository_identifier()}")
        earliest = listing.earliest(self.now) or self.now
        xml.sub(node, "earliestDatestamp", arguments.datestamp(earliest))
        xml.sub(node, "deletedRecord", "persistent")
        xml.sub(node, "granularity", arguments.SECONDS)
        description = xml.sub(node, "description")
        ns = xml.OAI_IDENTIFIER
        ident = etree.SubElement(description, f"{{{ns}}}oai-identifier", nsmap={None: ns})
        ident.set(f"{{{XSI}}}schemaLocation", xml.OAI_IDENTIFIER_SCHEMA)
        parts = {"scheme": "oai", "repositoryIdentifier": repository_identifier(),
                 "delimiter": ":", "sampleIdentifier": oai_identifier("frus1961-63v05-d196")}
        for name, value in parts.items():
            etree.SubElement(ident, f"{{{ns}}}{name}").text = value

    def ListMetadataFormats(self) -> None:
        if "identifier" in self.parsed.args:
            row = self._row(self.parsed.args["identifier"])
            if row.deleted:
                raise OAIError("noMetadataFormats",
                               "This record is no longer public: it has no metadata.")  # fmt: skip
        node = xml.sub(self.root, "ListMetadataFormats")
        for f in HARVESTED:
            entry = xml.sub(node, "metadataFormat")
            xml.sub(entry, "metadataPrefix", f.prefix)
            xml.sub(entry, "schema", self._schema_url(f))
            xml.sub(entry, "metadataNamespace", f.namespace)

    def ListSets(self) -> None:
        tree = SetTree()
        if tree.empty:
            raise OAIError("noSetHierarchy", "This repository has no sets.")
        every = tree.all()
        position = self._position(len(every))
        after = position.after[0] if position.after else ""
        remaining = [s for s in every if s.spec > after]
        size = settings.OAI_PAGE_SIZE
        shown = remaining[:size]
        if not shown:
            raise OAIError("badResumptionToken", "The sets changed: start ListSets again.")
        node = xml.sub(self.root, "ListSets")
        for s in shown:
            entry = xml.sub(node, "set")
            xml.sub(entry, "setSpec", s.spec)
            xml.sub(entry, "setName", s.name)
        self._resume(node, position, len(shown), (shown[-1].spec, ""), len(remaining) > size)

    # ---- GetRecord, ListIdentifiers, ListRecords ----------------------------------

    def GetRecord(self) -> None:
        row = self._row(self.parsed.args["identifier"])
        f = self._format(self.parsed.args["metadataPrefix"])
        tree = SetTree()
        node = xml.sub(self.root, "GetRecord")
        self._records(node, [row], tree, f)

    def ListIdentifiers(self) -> None:
        self._list(with_metadata=False)

    def ListRecords(self) -> None:
        self._list(with_metadata=True)

    def _list(self, with_metadata: bool) -> None:
        token = self.parsed.args.get("resumptionToken")
        args = tokens.read(token, self.parsed.verb).args if token else self.parsed.args
        f = self._format(args["metadataPrefix"])
        start, end = arguments.date_range(args)
        tree = SetTree()
        members = tree.members(args["set"]) if "set" in args else None
        selection = listing.Selection(start, end, members)
        position = self._position(None, selection, args)
        after = None
        if position.after is not None:
            after = (datetime.fromisoformat(position.after[0]), int(position.after[1]))
        rows, more = listing.page(self.now, selection, after, settings.OAI_PAGE_SIZE)
        if not rows:
            raise OAIError("noRecordsMatch", "No record matches these arguments.")
        node = xml.sub(self.root, self.parsed.verb)
        if with_metadata:
            self._records(node, rows, tree, f)
        else:
            specs = tree.specs_of(r.pk for r in rows)
            for r in rows:
                xml.header(node, oai_identifier(r.identifier), r.key, specs[r.pk], r.deleted)
        last = rows[-1]
        self._resume(node, position, len(rows), (last.key.isoformat(), last.pk), more)

    # ---- helpers ------------------------------------------------------------------

    def _row(self, oai_id: str) -> listing.Row:
        identifier = local_identifier(oai_id)
        row = listing.one(self.now, identifier) if identifier else None
        if row is None:
            raise OAIError("idDoesNotExist", f"No record has the identifier {oai_id[:200]!r}.")
        return row

    def _format(self, prefix: str) -> MetadataFormat:
        if prefix not in BY_PREFIX:
            raise OAIError("cannotDisseminateFormat",
                           f"No format {prefix[:40]!r} here; one of: {', '.join(BY_PREFIX)}.")
        return BY_PREFIX[prefix]

    def _schema_url(self, f: MetadataFormat) -> str:
        return f.schema if "://" in f.schema else absolute(self.request, f.schema)

    def _position(self, total: int | None, selection: listing.Selection | None = None,
                  args: dict[str, str] | None = None) -> tokens.Position:  # fmt: skip
        token = self.parsed.args.get("resumptionToken")
        if token:
            return tokens.read(token, self.parsed.verb)
        if total is None:
            total = listing.count(self.now, selection)
            if total == 0:
                raise OAIError("noRecordsMatch", "No record matches these arguments.")
        return tokens.Position(self.parsed.verb, dict(args or {}), None, 0, total)

    def _resume(self, node: etree._Element, position: tokens.Position, shown: int,
                last: tuple[str, Any], more: bool) -> None:  # fmt: skip
        if more:
            following = tokens.Position(position.verb, position.args, last,
                                        position.cursor + shown, position.total)  # fmt: skip
            token, expires = tokens.issue(following)
            xml.resumption(node, token, expires, position.cursor, position.total)
        elif position.cursor:  # the last page of a list sent in several
            xml.resumption(node, None, None, position.cursor, position.total)

    def _records(self, node: etree._Element, rows: list[listing.Row], tree: SetTree,
                 f: MetadataFormat) -> None:  # fmt: skip
        specs = tree.specs_of(r.pk for r in rows)
        base = paths.absolute(self.request, "")
        # What the worker wrote ahead and is still current; the rest is built here.
        ready = harvest_records.current(f, base, {r.pk: r.key for r in rows if not r.deleted})
        wanted = [r.pk for r in rows if not r.deleted and r.pk not in ready]
        found = services.metadata_of(public_documents(self.now).filter(pk__in=wanted))
        documents = {d.pk: d for d in found}
        schema_url = self._schema_url(f)
        for r in rows:
            document = documents.get(r.pk)
            written = ready.get(r.pk) if not r.deleted else None
            record = xml.sub(node, "record")
            # Hidden since the page was read: reported as what it now is.
            xml.header(record, oai_identifier(r.identifier), r.key, specs[r.pk],
                       document is None and written is None)  # fmt: skip
            if written is not None:
                xml.sub(record, "metadata").append(etree.fromstring(written))
            elif document is not None:
                metadata = xml.sub(record, "metadata")
                data = services.document_metadata(document, self.request)
                metadata.append(f.element(data, settings.SITE_NAME, schema_url))
