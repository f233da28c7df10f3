"""Citations and exports of one document, in every format of the registry.

    /documents/<identifier>/cite/                  every format on one page (no JavaScript)
    /documents/<identifier>/cite/?style=mla        one format as an HTML fragment, or as
                                                   text/plain by Accept or &format=text;
                                                   &download=1 saves it as a file;
                                                   &anchor=p12 (or &page=3, &para=12) adds
                                                   the locator ("para. 12")
    /documents/<identifier>.ris, .bib, .csl.json   the formats reference managers fetch

Every view starts from the public gate (through `views.document_for`): a draft's
citation is a 404 for anyone who may not see the draft.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from readingroom.interop.formats import registry
from readingroom.interop.formats.citable import citable, locator_for
from readingroom.reader import services
from readingroom.reader.views import document_for
from readingroom.web.caching import public_page

PLAIN = "text/plain; charset=utf-8"


def _file(text: str, f: registry.Format, identifier: str, download: bool) -> HttpResponse:
    response = HttpResponse(text, content_type=f.media_type)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{f.filename(identifier)}"'
    response["Access-Control-Allow-Origin"] = "*"  # public data, for any client
    return response


@public_page
def cite(request: HttpRequest, identifier: str) -> HttpResponse:
    data = services.document_detail(document_for(request, identifier), request)
    g = request.GET
    locator = locator_for(g.get("anchor", ""), g.get("page", ""), g.get("para", ""))
    name = g.get("style")
    if not name:
        if locator:
            data["citations"] = services.citations(data, locator)
        return render(request, "reader/citations.html",
                      {"data": data, "alternate_json": data["json_url"], "locator": locator})
    f = registry.BY_NAME.get(name)
    if f is None:
        return HttpResponseBadRequest(
            f"Unknown style {name!r}; one of: {', '.join(registry.BY_NAME)}",
            content_type=PLAIN,
        )
    c = citable(data, settings.SITE_NAME, locator)
    if g.get("download") == "1":
        return _file(f.text(c), f, identifier, download=True)
    as_text = (g.get("format") == "text"
               or request.get_preferred_type(["text/html", "text/plain"]) == "text/plain")
    if as_text:
        response = HttpResponse(f.text(c), content_type=PLAIN)
    else:
        response = render(request, "reader/_citation.html",
                          {"format": f, "html": f.html(c), "kind": f.kind})  # fmt: skip
    patch_vary_headers(response, ["Accept"])
    return response


@public_page
def export(request: HttpRequest, identifier: str, format_name: str) -> HttpResponse:
    f = registry.BY_NAME[format_name]
    data = services.document_detail(document_for(request, identifier), request)
    return _file(f.text(citable(data, settings.SITE_NAME)), f, identifier, download=False)
