"""Small public answers of the interop app (the rest live with their protocol)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from readingroom.interop.formats.readingroom_xml import SCHEMA_FILE
from readingroom.web.caching import public_page


@public_page
def document_schema(request: HttpRequest) -> HttpResponse:
    """The XML Schema of the `readingroom` metadata format, for harvesters to validate."""
    return HttpResponse(SCHEMA_FILE.read_bytes(), content_type="application/xml; charset=utf-8")
