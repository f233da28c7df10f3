"""Pages of stored scans: created when a scan is imported, filled in the background.

At import a scan (a PDF, or a PNG, JPEG or TIFF page image) gets one `Page` row per page
(PDFium or Pillow reads the page count in milliseconds). Page images and text (a PDF's
own text layer, or Tesseract OCR in the languages of the documents holding the scan,
`languages.py`) are made later, never in a web request: by the task worker
(`files/tasks.py`) or by `readingroom ocr` in the foreground, through the same three
steps here: `claim` pages, `do_page_work` on them (no database: it runs in worker
processes), `save_result`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from readingroom.files.languages import languages_of_scans
from readingroom.files.models import MarkingSuggestion, Page, TextSource, TextState
from readingroom.files.scans import inspect_scan
from readingroom.files.storage import path_for, store_bytes

# A page claimed longer ago than this was left by a crashed run: claim it again.
STALE_CLAIM = timedelta(minutes=30)


def add_pages(pdfs: dict[str, Path]) -> int:
    """Page rows for stored scans that have none yet (inside the import's transaction);
    pages machine-read in other languages than their documents' now are read again.
    Wakes the worker after commit. Returns the number of pages added or to read again."""
    known = set(
        Page.objects.filter(pdf_sha256__in=list(pdfs))
        .values_list("pdf_sha256", flat=True)
        .distinct()
    )
    rows = []
    for sha256 in pdfs:
        if sha256 in known:
            continue
        _media_type, pages = inspect_scan(path_for(sha256))
        rows += [
            Page(pdf_sha256=sha256, number=p.number, width_pt=p.width_pt,
                 height_pt=p.height_pt, has_text_layer=p.has_text_layer)
            for p in pages
        ]  # fmt: skip
    Page.objects.bulk_create(rows)
    again = read_again_in_new_languages(known)
    if rows or again:
        transaction.on_commit(enqueue_page_work)
    return len(rows) + again


def read_again_in_new_languages(shas: set[str]) -> int:
    """Pages of these scans read by OCR in other languages than their documents are
    catalogued in now (a record re-imported with its language corrected) go back to be
    read; their old text stays out of sight and of the index until then."""
    if not shas:
        return 0
    wanted = languages_of_scans(shas)
    read = Page.objects.filter(pdf_sha256__in=shas, text_source=TextSource.OCR)
    stale = [pk for pk, sha, used in read.values_list("pk", "pdf_sha256", "ocr_languages")
             if used and used != wanted[sha]]  # fmt: skip
    return Page.objects.filter(pk__in=stale).update(
        text_state=TextState.PENDING, text_source="", words=None, confidence=None
    )


def enqueue_page_work() -> None:
    from readingroom.files.tasks import process_pages

    process_pages.enqueue()


def work_filter(*, retry_failed: bool = False) -> Q:
    """Pages with something left to do: text not read yet, or images not made."""
    states = [TextState.PENDING, *([TextState.FAILED] if retry_failed else [])]
    stale = Q(text_state=TextState.RUNNING, claimed_at__lt=timezone.now() - STALE_CLAIM)
    # A read page may still lack its images (made by an older version, or lost); a
    # failed page waits for --retry-failed whatever it lacks.
    waiting = Q(text_state__in=states) | Q(text_state=TextState.DONE, image_sha256="")
    return waiting | stale


def pages_to_do(*, retry_failed: bool = False) -> int:
    return Page.objects.filter(work_filter(retry_failed=retry_failed)).count()


def claim(limit: int, *, retry_failed: bool = False) -> list[Page]:
    """Mark up to `limit` pages as being read by this process and return them.

    The update only takes pages still unclaimed, so a worker and `readingroom ocr`
    running at once never read the same page twice.
    """
    with transaction.atomic():
        candidates = list(
            Page.objects.filter(work_filter(retry_failed=retry_failed))
            .order_by("pdf_sha256", "number")
            .values_list("pk", flat=True)[:limit]
        )
        Page.objects.filter(pk__in=candidates).filter(work_filter(retry_failed=retry_failed)).update(
            text_state=TextState.RUNNING, claimed_at=timezone.now()
        )
    claimed = Page.objects.filter(pk__in=candidates, text_state=TextState.RUNNING)
    return list(claimed.order_by("pdf_sha256", "number"))


@dataclass
class PageWork:
    pk: int
    pdf_path: str
    number: int
    images: bool  # derivatives still to make
    text: bool  # text still to read
    language: str = "eng"  # Tesseract's models for it (languages.py)


@dataclass
class PageResult:
    pk: int
    derivatives: list = field(default_factory=list)  # images.Derivative
    text: dict | None = None  # ocr.PageText.to_json()
    plain: str = ""
    source: str = ""
    engine: str = ""
    hocr: str = ""
    language: str = ""  # the models OCR read it with; empty for a text layer
    confidence: float | None = None
    error: str = ""


def work_for(page: Page, language: str | None = None) -> PageWork:
    """What is left to do on a claimed page; `language` (Tesseract's `-l`) is that of
    the documents holding its scan unless given."""
    # A claimed page whose text is done only lacks its images.
    text_done = bool(page.text_source) and page.words is not None
    if language is None:
        language = languages_of_scans([page.pdf_sha256])[page.pdf_sha256]
    return PageWork(
        pk=page.pk,
        pdf_path=str(path_for(page.pdf_sha256)),
        number=page.number,
        images=not page.image_sha256,
        text=not text_done,
        language=language,
    )


def works_for(pages: list[Page]) -> list[PageWork]:
    """`work_for` of each page, their languages read in one query."""
    languages = languages_of_scans({p.pdf_sha256 for p in pages})
    return [work_for(p, languages[p.pdf_sha256]) for p in pages]


def do_page_work(work: PageWork) -> PageResult:
    """Render and read one page. No database: safe in a worker process."""
    from readingroom.files.images import render_derivatives
    from readingroom.files.ocr import read_page

    result = PageResult(pk=work.pk)
    try:
        if work.images:
            result.derivatives = render_derivatives(Path(work.pdf_path), work.number)
        if work.text:
            page_text = read_page(Path(work.pdf_path), work.number, work.language)
            result.text, result.plain = page_text.to_json(), page_text.text()
            result.source, result.engine, result.hocr = (
                page_text.source, page_text.engine, page_text.hocr)  # fmt: skip
            if page_text.source == TextSource.OCR:
                result.language, result.confidence = work.language, page_text.mean_confidence()
    except Exception as exc:  # recorded on the page, retried with --retry-failed
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def save_result(result: PageResult) -> Page:
    """Store a page's images and text; a PDF whose last page is read gets its marking
    suggestions and goes back to the index (through the outbox) with its text."""
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=result.pk)
        for d in result.derivatives:
            sha256 = store_bytes(d.data)
            if d.size == "reading":
                page.image_sha256, page.image_media_type = sha256, d.media_type
                page.image_width, page.image_height = d.width, d.height
            else:
                page.thumbnail_sha256, page.thumbnail_media_type = sha256, d.media_type
        page.attempts += 1
        page.claimed_at = None
        if result.error:
            page.text_state, page.error = TextState.FAILED, result.error
        else:
            if result.text is not None:
                page.words, page.text = result.text, result.plain
                page.text_source, page.engine = result.source, result.engine
                page.ocr_languages, page.confidence = result.language, result.confidence
                page.hocr_sha256 = store_bytes(result.hocr.encode()) if result.hocr else ""
                page.read_at = timezone.now()
            page.text_state, page.error = TextState.DONE, ""
        page.save()
        if not result.error and pdf_is_read(page.pdf_sha256):
            pdf_finished(page.pdf_sha256)
    return page


def pdf_is_read(sha256: str) -> bool:
    return not Page.objects.filter(pdf_sha256=sha256).exclude(text_state=TextState.DONE).exists()


def pdf_finished(sha256: str) -> None:
    from readingroom.files.markings import detect_markings
    from readingroom.files.ocr import PageText

    pages = list(Page.objects.filter(pdf_sha256=sha256, words__isnull=False))
    found = detect_markings([(p.number, PageText.from_json(p.words)) for p in pages])
    MarkingSuggestion.objects.filter(pdf_sha256=sha256).delete()
    MarkingSuggestion.objects.bulk_create(
        MarkingSuggestion(pdf_sha256=sha256, page=mk.page, level=mk.level,
                          marking=mk.marking[:200], evidence=mk.evidence,
                          boxes=[list(b) for b in mk.boxes])
        for mk in found
    )  # fmt: skip
    suggest_type_from_header(sha256, pages)
    documents_changed(sha256)


def suggest_type_from_header(sha256: str, pages: list[Page]) -> None:
    """The document type the scan's form header suggests (DISPATCH, MEMORANDUM FOR THE
    RECORD…), offered to the editors of each document holding it that has no type."""
    from readingroom.catalogue import models as m
    from readingroom.catalogue.type_cues import header_cue
    from readingroom.files.ocr import PageText

    holders = m.Document.objects.filter(files__sha256=sha256).distinct()
    m.TypeSuggestion.objects.filter(document__in=holders, source="scan").delete()
    cue = header_cue([(p.number, _lines(PageText.from_json(p.words)))
                      for p in sorted(pages, key=lambda p: p.number)])  # fmt: skip
    document_type = cue and m.DocumentType.objects.filter(slug=cue.slug).first()
    if document_type is None:
        return
    m.TypeSuggestion.objects.bulk_create(
        m.TypeSuggestion(document=d, document_type=document_type, source="scan",
                         evidence=cue.evidence[:300], page=cue.page)
        for d in holders.filter(document_type__isnull=True)
    )  # fmt: skip


def _lines(text) -> list[tuple[int, str]]:
    """(top of the line in thousandths of the page height, its words) of a read page,
    the release banner left out."""
    lines: dict[int, list] = {}
    for word in text.words:
        if not word.boilerplate:
            lines.setdefault(word.line, []).append(word)
    height = max(text.height, 1)
    return [(1000 * min(w.y0 for w in words) // height, " ".join(w.text for w in words))
            for words in lines.values()]  # fmt: skip


def documents_changed(sha256: str) -> None:
    """Every document holding this PDF goes through the outbox again (its index entry
    carries the page text)."""
    from readingroom.catalogue import models as m
    from readingroom.catalogue.outbox import record_changes

    holders = m.Document.objects.filter(files__sha256=sha256).distinct()
    record_changes(list(holders.values_list("pk", "identifier")))
