"""The production server's cache of public answers (`readingroom serve` turns it on).

Readers ask for the same pages again and again (a document page, its JSON twin, the
searches of the day); an answer costs 3 to 30 ms of a core to build and nothing to
send again. This keeps, in files under the data directory that the server's processes
share (a page one process built, the others send), what the caching policy
(`web/caching.py`) already lets shared caches keep: public pages and JSON answers to
readers who are not signed in, for READINGROOM_PAGE_CACHE_SECONDS at most — and, unlike
a shared cache, never past a change that may end a record's publicity: answers are
keyed on the catalogue's count of such changes (`catalogue/publicity.py`: a withdrawal,
a return to draft, a new embargo, a deletion, a hidden page text), read at each
request, so the next request after one builds its answer afresh. An edit that leaves a
record public shows within the same time as through any shared cache.

Kept only: GET answers with status 200 that a view declared `public_page`, that set no
cookie and hold no CSRF token, to requests without a session or messages cookie.
Editors (signed in) are never served from it and never fill it. Keys follow Django's
cache keys (the URL with its host and query, and the request headers the answer varies
on).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_cache_key, learn_cache_key, patch_vary_headers

from readingroom.catalogue.models import Document
from readingroom.catalogue.publicity import publicity_changes
from readingroom.interop.harvest_records import name_changes
from readingroom.web.caching import POLICY_ATTRIBUTE, PUBLIC_PAGE

logger = logging.getLogger(__name__)

CACHE = "pages"
# Cookies that change what a page shows: a signed-in editor, a message to show once.
_PERSONAL_COOKIES = ("sessionid", "messages")


class PageFiles(FileBasedCache):
    """Django's file cache, which counts its files at every write to see whether some
    must go (5 ms with 4,000 of them here, a sixth of building a page): counted here
    at most once a second per process. Files are written private (0600, in 0700
    folders) and in one rename each, so a reader never sees half of one."""

    CULL_EVERY_SECONDS = 1.0
    _last_cull = 0.0

    def _cull(self) -> None:
        now = time.monotonic()
        if now - self._last_cull >= self.CULL_EVERY_SECONDS:
            self._last_cull = now
            super()._cull()


def active() -> bool:
    return settings.PAGE_CACHE_SERVING and settings.PAGE_CACHE_SECONDS > 0


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not active() or not _may_use(request):
            return self.get_response(request)
        cache = caches[CACHE]
        prefix, seconds = _version(request)
        try:
            key = get_cache_key(request, prefix, "GET", cache=cache)
            kept = cache.get(key) if key is not None else None
        except OSError as error:  # the store failing costs the copy, never the answer
            logger.warning("page cache: %s not read: %s", request.path, error)
            kept = None
        if kept is not None:
            return kept
        response = self.get_response(request)
        # A page that holds this reader's CSRF token (a form that posts) is theirs alone.
        if _may_keep(response) and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            patch_vary_headers(response, ("Cookie",))  # as the policy's middleware will
            try:
                cache.set(learn_cache_key(request, response, seconds, prefix, cache=cache),
                          response, seconds)  # fmt: skip
            except OSError as error:  # a full disk, a folder removed under the server
                logger.warning("page cache: %s not kept: %s", request.path, error)
        return response


# A document's own page and JSON twin: kept longer, under the record's own version.
_DOCUMENT_VIEWS = {"reader:document", "reader:document-json"}


def _version(request: HttpRequest) -> tuple[str, int]:
    """What an answer to `request` is kept under (besides its URL and varying headers),
    and for how long. Every answer: the count of publicity changes. A document's page
    and JSON twin also: when the record last changed, and the count of changes to the
    names records show (interop.HarvestState, kept for the harvest records): an edit
    or a rename shows at once, so they may be kept for PAGE_CACHE_DOCUMENT_SECONDS."""
    prefix = f"p{publicity_changes()}"
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return prefix, settings.PAGE_CACHE_SECONDS
    if match.view_name not in _DOCUMENT_VIEWS:
        return prefix, settings.PAGE_CACHE_SECONDS
    changed = (Document.objects.filter(identifier=match.kwargs["identifier"])
               .values_list("modified_at", flat=True).first())  # fmt: skip
    stamp = changed.timestamp() if changed else 0
    return f"{prefix}-d{stamp}-n{name_changes()}", settings.PAGE_CACHE_DOCUMENT_SECONDS


def _may_use(request: HttpRequest) -> bool:
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and not any(
        name in cookies for name in _PERSONAL_COOKIES)  # fmt: skip


def _may_keep(response: HttpResponse) -> bool:
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and getattr(response, POLICY_ATTRIBUTE, None) == PUBLIC_PAGE
            and "Cache-Control" not in response)  # fmt: skip
