"""Read services for what a scan adds to a document: its pages (images, machine-read
text, where a search hit lies on the image) and its release history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from readingroom.catalogue import models as m
from readingroom.files.models import Page, TextState
from readingroom.files.scans import SCAN_MEDIA_TYPES
from readingroom.search.analysis import highlight_terms


def release_history(d: m.Document) -> list[dict[str, Any]]:
    """Oldest first: the timeline a reader follows from redacted to (more) open."""
    return [
        {
            "released_on": r.released_on.isoformat(),
            "year": r.released_on.year,
            "list": r.list_name,
            "file_name": r.file_name or None,
            "prior_status": r.prior_status or None,
            "review_date": r.review_date.isoformat() if r.review_date else None,
            "pages_released": r.pages_released,
            "differences": [line for line in r.differences.splitlines() if line],
        }
        for r in d.releases.all()
    ]


def _box(word, width: int, height: int) -> dict[str, float]:
    # Percentages of the page, so the marks sit right on an image of any size.
    return {
        "left": round(100 * word.x0 / width, 3),
        "top": round(100 * word.y0 / height, 3),
        "width": round(100 * (word.x1 - word.x0) / width, 3),
        "height": round(100 * (word.y1 - word.y0) / height, 3),
    }


def page_dict(d: m.Document, f: m.File, page: Page, request: HttpRequest,
              terms: list[str]) -> dict[str, Any]:  # fmt: skip
    def url(name: str) -> str:
        return request.build_absolute_uri(
            reverse(f"reader:page-{name}", args=[d.identifier, f.pk, page.number])
        )

    read = page.text_state == TextState.DONE and not page.text_hidden
    hits: list[dict[str, float]] = []
    if read and terms and page.words:
        from readingroom.files.ocr import PageText

        text = PageText.from_json(page.words)
        hits = [_box(w, text.width, text.height) for w in text.find(terms)]
    return {
        "number": page.number,
        "id": f"page-{page.number}",
        "image": url("image") if page.image_sha256 else None,
        "thumbnail": url("thumbnail") if page.thumbnail_sha256 else None,
        "width": page.image_width,
        "height": page.image_height,
        "text_state": page.text_state,
        "text_source": page.text_source or None,
        "text_source_label": page.get_text_source_display() if page.text_source else None,
        "text": page.text if read else None,
        "text_hidden": page.text_hidden,
        # Tesseract's mean word confidence (0-100) and the models it read with.
        "confidence": page.confidence if read and page.confidence is not None else None,
        "ocr_languages": page.ocr_languages if read else None,
        "words_url": url("words") if read else None,
        "hits": hits,
    }


def scanned_pages(d: m.Document, request: HttpRequest, query: str = "") -> list[dict[str, Any]]:
    """Pages of each held scan (PDF or page image) of the document, in order."""
    files = [f for f in d.files.all() if f.is_held and f.media_type in SCAN_MEDIA_TYPES]
    if not files:
        return []
    by_pdf: dict[str, list[Page]] = {}
    for page in Page.objects.filter(pdf_sha256__in=[f.sha256 for f in files]).defer("words"):
        by_pdf.setdefault(page.pdf_sha256, []).append(page)
    terms = highlight_terms(query)
    if terms:  # the word boxes are needed only to place the hits
        wanted = [p.pk for pages in by_pdf.values() for p in pages]
        words = dict(Page.objects.filter(pk__in=wanted).values_list("pk", "words"))
        for pages in by_pdf.values():
            for p in pages:
                p.words = words[p.pk]
    return [
        {
            "file": f.name,
            "media_type": f.media_type,
            "pages": [page_dict(d, f, p, request, terms) for p in by_pdf.get(f.sha256, [])],
        }
        for f in files
    ]


def machine_read_text(pages: list[dict[str, Any]]) -> bool:
    return any(p["text"] for scan in pages for p in scan["pages"])
