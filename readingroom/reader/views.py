"""Public pages. Each view builds one dict through `services` and renders it either as
HTML or as its JSON twin (`/x/` ↔ `/x.json`), advertised with rel="alternate"."""

from __future__ import annotations

from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from readingroom.catalogue import models as m
from readingroom.files.models import Page
from readingroom.files.storage import path_for
from readingroom.reader import entities, services


def _json(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"  # public data, for any client
    return response


def _html(request: HttpRequest, template: str, data: dict[str, Any], json_url: str) -> HttpResponse:
    response = render(request, template, {"data": data, "alternate_json": json_url})
    response["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


def _document(request: HttpRequest, identifier: str) -> m.Document:
    return get_object_or_404(services.document_detail_queryset(request.user), identifier=identifier)


def _visible(request: HttpRequest, identifier: str) -> m.Document:
    """The document if this reader may see it, without its parts: the file and page
    views need only that (the detail's prefetches were most of a page image's time)."""
    return get_object_or_404(services.document_queryset(request.user), identifier=identifier)


def document_page(request: HttpRequest, identifier: str) -> HttpResponse:
    document = _document(request, identifier)
    data = services.document_detail(document, request)
    return _html(request, "reader/document.html", data, data["json_url"])


def document_json(request: HttpRequest, identifier: str) -> JsonResponse:
    return _json(services.document_detail(_document(request, identifier), request))


def document_list_page(request: HttpRequest) -> HttpResponse:
    data = services.document_list(request)
    json_url = request.build_absolute_uri(reverse("reader:documents-json"))
    if request.GET:
        json_url += "?" + request.GET.urlencode()
    return _html(request, "reader/documents.html", data, json_url)


def document_list_json(request: HttpRequest) -> JsonResponse:
    return _json(services.document_list(request))


# The document page shows its PDF in an <object>: only our own pages may embed a file.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def file_download(request: HttpRequest, identifier: str, file_id: int, name: str) -> FileResponse:
    document = _visible(request, identifier)
    record = get_object_or_404(document.files, pk=file_id)
    if not record.is_held or not path_for(record.sha256).exists():
        raise Http404("This file is not held by the archive.")
    return FileResponse(
        path_for(record.sha256).open("rb"),
        content_type=record.media_type,
        filename=record.name,
        as_attachment=request.GET.get("download") == "1",
    )


def _page(request: HttpRequest, identifier: str, file_id: int, number: int) -> Page:
    record = get_object_or_404(_visible(request, identifier).files, pk=file_id)
    return get_object_or_404(Page, pdf_sha256=record.sha256 or "-", number=number)


def page_image(request: HttpRequest, identifier: str, file_id: int, number: int,
               size: str) -> FileResponse:  # fmt: skip
    page = _page(request, identifier, file_id, number)
    sha256, media_type = ((page.image_sha256, page.image_media_type) if size == "reading"
                          else (page.thumbnail_sha256, page.thumbnail_media_type))  # fmt: skip
    if not sha256 or not path_for(sha256).exists():
        raise Http404("This page image is not made yet.")
    response = FileResponse(path_for(sha256).open("rb"), content_type=media_type)
    # Content-addressed: the bytes behind this URL change only if the page is redone.
    response["Cache-Control"] = "public, max-age=86400"
    return response


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


def collection_page(request: HttpRequest, identifier: str) -> HttpResponse:
    data = entities.collection_detail(_collection(identifier), request)
    return _html(request, "reader/collection.html", data, data["json_url"])


def collection_json(request: HttpRequest, identifier: str) -> JsonResponse:
    return _json(entities.collection_detail(_collection(identifier), request))


def collection_list_page(request: HttpRequest) -> HttpResponse:
    json_url = request.build_absolute_uri(reverse("reader:collections-json"))
    return _html(request, "reader/collections.html", entities.collection_list(request), json_url)


def collection_list_json(request: HttpRequest) -> JsonResponse:
    return _json(entities.collection_list(request))


def _agent(request: HttpRequest, pk: int) -> m.Agent:
    # An agent is public only through a public document: no page for people who
    # appear in drafts alone.
    return get_object_or_404(entities.agents_with_public_documents(request), pk=pk)


def agent_page(request: HttpRequest, pk: int) -> HttpResponse:
    data = entities.agent_detail(_agent(request, pk), request)
    return _html(request, "reader/agent.html", data, data["json_url"])


def agent_json(request: HttpRequest, pk: int) -> JsonResponse:
    return _json(entities.agent_detail(_agent(request, pk), request))


def _search(request: HttpRequest) -> dict:
    from readingroom.search.service import parse_filters, search

    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    data = search(request.GET.get("q", ""), parse_filters(request.GET), page=page,
                  sort=request.GET.get("sort", "relevance"))  # fmt: skip
    data["hits"] = [
        {**services.document_summary(h["document"], request), "score": h["score"],
         "snippet": h["snippet"], "matched_texts": h["matched_texts"], "pages": h["pages"]}
        for h in data["hits"]
    ]  # fmt: skip
    return data


def search_page(request: HttpRequest) -> HttpResponse:
    json_url = request.build_absolute_uri(reverse("reader:search-json"))
    if request.GET:
        json_url += "?" + request.GET.urlencode()
    return _html(request, "reader/search.html", _search(request), json_url)


def search_json(request: HttpRequest) -> JsonResponse:
    return _json(_search(request))
