"""One caching policy for every response, chosen by what the view declares.

A record can stop being public at any moment (withdrawn, returned to draft, put under
embargo), so nothing whose visibility can change is kept for long by anyone:

- `public_page` (pages, JSON twins, lists, search): shared caches may keep the answer
  for READINGROOM_CACHE_SECONDS, and must revalidate after (ETag from
  ConditionalGetMiddleware, which answers 304 when it still matches);
- `record_file` (a record's files, page images, thumbnails, page words): cached with a
  strong ETag (the content's SHA-256) but revalidated on every use, so the file stops
  being served the moment its record stops being public;
- anything a signed-in user gets: `private, no-cache`, never in a shared cache;
- anything not declared (errors, redirects, the admin, forms): `private, no-cache`.

Every answer varies by Cookie: staff and anonymous readers get different pages at one
URL. The policy is applied by `CachePolicyMiddleware`; views only declare.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag

PUBLIC_PAGE = "public-page"
RECORD_FILE = "record-file"
POLICY_ATTRIBUTE = "cache_policy"

PRIVATE = "private, no-cache"


def _declaring(policy: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            setattr(response, POLICY_ATTRIBUTE, policy)
            return response

        setattr(wrapped, POLICY_ATTRIBUTE, policy)  # for the test that checks each URL
        return wrapped

    return decorator


public_page = _declaring(PUBLIC_PAGE)
record_file = _declaring(RECORD_FILE)


def cache_control(request: HttpRequest, response: HttpResponse) -> str:
    """The Cache-Control value the policy gives this response."""
    policy = getattr(response, POLICY_ATTRIBUTE, None)
    user = getattr(request, "user", None)
    if policy is None or response.status_code not in (200, 304) or (user and user.is_authenticated):
        return PRIVATE
    if policy == RECORD_FILE:
        return "public, no-cache"
    return f"public, max-age={settings.CACHE_SECONDS}, must-revalidate"


class CachePolicyMiddleware:
    """Applies the policy above to every response that has not set its own (the
    admin's `never_cache` views do)."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = cache_control(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response


def stored_file_response(request: HttpRequest, path: Path, sha256: str, content_type: str,
                         **kwargs) -> HttpResponse:  # fmt: skip
    """A content-addressed file with its checksum as a strong ETag; a 304 when the
    client holds these bytes already (the caller has passed the gate first)."""
    etag = quote_etag(sha256)
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = FileResponse(path.open("rb"), content_type=content_type, **kwargs)
    response["ETag"] = etag
    return response
