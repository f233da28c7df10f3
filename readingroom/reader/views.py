"""Public pages. Each view builds one dict through `services` and renders it either as
HTML or as its JSON twin (`/x/` ↔ `/x.json`), advertised with rel="alternate". The home,
search and entity pages are in `browse_views.py`."""

from __future__ import annotations

from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from readingroom.catalogue import models as m
from readingroom.catalogue import provenance
from readingroom.files.models import Page
from readingroom.files.storage import path_for
from readingroom.interop.formats import embedded
from readingroom.interop.formats.citable import citable
from readingroom.reader import entities, services
from readingroom.web.caching import public_page, record_file, stored_file_response


def _json(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"  # public data, for any client
    return response


def _html(request: HttpRequest, template: str, data: dict[str, Any], json_url: str) -> HttpResponse:
    response = render(request, template, {"data": data, "alternate_json": json_url})
    response["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def document_for(request: HttpRequest, identifier: str) -> m.Document:
    """The document if the gate lets this user see it, else 404."""
    return get_object_or_404(services.document_detail_queryset(request.user), identifier=identifier)


_document = document_for  # the name the views below were written with


def _visible(request: HttpRequest, identifier: str) -> m.Document:
    """The document if this reader may see it, without its parts: the file and page
    views need only that (the detail's prefetches were most of a page image's time)."""
    return get_object_or_404(services.document_queryset(request.user), identifier=identifier)


@public_page
def document_page(request: HttpRequest, identifier: str) -> HttpResponse:
    document = _document(request, identifier)
    data = services.document_detail(document, request)
    # For reference managers and search engines; HTML only, so not in the JSON twin.
    data["embedded"] = embedded.for_page(citable(data, settings.SITE_NAME))
    return _html(request, "reader/document.html", data, data["json_url"])


@public_page
def document_json(request: HttpRequest, identifier: str) -> JsonResponse:
    document = _document(request, identifier)
    data = services.document_detail(document, request)
    if request.user.is_staff:  # who asserts each value: for staff only (never cached)
        data["provenance"] = provenance.summary(document)
    return _json(data)


@public_page
def document_list_page(request: HttpRequest) -> HttpResponse:
    data = services.document_list(request)
    json_url = request.build_absolute_uri(reverse("reader:documents-json"))
    if request.GET:
        json_url += "?" + request.GET.urlencode()
    return _html(request, "reader/documents.html", data, json_url)


@public_page
def document_list_json(request: HttpRequest) -> JsonResponse:
    return _json(services.document_list(request))


# The document page shows its PDF in an <object>: only our own pages may embed a file.
@record_file
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def file_download(request: HttpRequest, identifier: str, file_id: int, name: str) -> HttpResponse:
    document = _visible(request, identifier)
    record = get_object_or_404(document.files, pk=file_id)
    if not record.is_held or not path_for(record.sha256).exists():
        raise Http404("This file is not held by the archive.")
    return stored_file_response(
        request, path_for(record.sha256), record.sha256, record.media_type,
        filename=record.name, as_attachment=request.GET.get("download") == "1",
    )  # fmt: skip


def _page(request: HttpRequest, identifier: str, file_id: int, number: int) -> Page:
    record = get_object_or_404(_visible(request, identifier).files, pk=file_id)
    return get_object_or_404(Page, pdf_sha256=record.sha256 or "-", number=number)


@record_file
def page_image(request: HttpRequest, identifier: str, file_id: int, number: int,
               size: str) -> HttpResponse:  # fmt: skip
    page = _page(request, identifier, file_id, number)
    sha256, media_type = ((page.image_sha256, page.image_media_type) if size == "reading"
                          else (page.thumbnail_sha256, page.thumbnail_media_type))  # fmt: skip
    if not sha256 or not path_for(sha256).exists():
        raise Http404("This page image is not made yet.")
    # Content-addressed, so its checksum is its ETag; revalidated at every use, as
    # the record may stop being public at any moment (web/caching.py).
    return stored_file_response(request, path_for(sha256), sha256, media_type)


@record_file
def page_words(request: HttpRequest, identifier: str, file_id: int, number: int) -> JsonResponse:
    """The machine-read words of a page with their boxes (pixels of the reading image's
    source at 300 dpi), for highlighting and for tools; hidden text is not served."""
    page = _page(request, identifier, file_id, number)
    if page.text_hidden or page.words is None:
        raise Http404("No public text for this page.")
    return _json({"number": page.number, "source": page.text_source, "engine": page.engine,
                  "uncorrected": page.text_source == "ocr", **page.words})  # fmt: skip


def _collection(identifier: str) -> m.Collection:
    return get_object_or_404(m.Collection, identifier=identifier)


@public_page
def collection_page(request: HttpRequest, identifier: str) -> HttpResponse:
    data = entities.collection_detail(_collection(identifier), request)
    return _html(request, "reader/collection.html", data, data["json_url"])


@public_page
def collection_json(request: HttpRequest, identifier: str) -> JsonResponse:
    return _json(entities.collection_detail(_collection(identifier), request))


@public_page
def collection_list_page(request: HttpRequest) -> HttpResponse:
    json_url = request.build_absolute_uri(reverse("reader:collections-json"))
    return _html(request, "reader/collections.html", entities.collection_list(request), json_url)


@public_page
def collection_list_json(request: HttpRequest) -> JsonResponse:
    return _json(entities.collection_list(request))
