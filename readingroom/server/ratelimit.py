"""Per-client rate limits on search, JSON and files: past the limit, 429 with Retry-After.

Fixed windows counted in the cache (settings.CACHES: each server process's memory, so
no database write per request; a client spread over N processes gets at most N times
the limit in the worst case, which the deployment guide's nginx caps in front). Limits
are read from settings at each request, so tests and operators can raise or lift them
(READINGROOM_RATE_LIMIT_*; `off`), and READINGROOM_RATE_LIMIT_EXEMPT names clients
never limited. Logged-in editors are never limited.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.cache import cache as counters
from django.http import HttpRequest, HttpResponse, JsonResponse

from readingroom.server.proxies import address_in, client_ip

# Which views count against which limit; any other view name ending in "-json" is JSON.
LIMITED_VIEWS = {
    "reader:search": "search",
    "reader:search-json": "search",
    # A facet's values and an entity's documents are searches too.
    "reader:search-facet": "search",
    "reader:search-facet-json": "search",
    "reader:entity": "search",
    "reader:entity-json": "search",
    "reader:agent": "search",
    "reader:agent-json": "search",
    "reader:file": "files",
    "reader:page-image": "files",
    "reader:page-thumbnail": "files",
    "reader:page-words": "json",
}


def limit_class(view_name: str) -> str | None:
    if view_name in LIMITED_VIEWS:
        return LIMITED_VIEWS[view_name]
    return "json" if view_name.endswith("-json") else None


@cache
def parse_rate(rate: str) -> tuple[int, int] | None:
    """"120/60" → (120 requests, 60 seconds); empty or "off" → None (no limit)."""
    rate = rate.strip().lower()
    if rate in {"", "off", "0"}:
        return None
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 1)


def check(kind: str, client: str, now: float | None = None) -> float | None:
    """Count one request of `client` against the `kind` limit: None when allowed, else
    the seconds until its window ends."""
    rate = parse_rate(settings.RATE_LIMITS.get(kind, ""))
    if rate is None:
        return None
    limit, period = rate
    now = time.time() if now is None else now
    window = int(now // period)
    key = f"rl:{kind}:{client}:{window}"
    counters.add(key, 0, timeout=period + 1)
    try:
        count = counters.incr(key)
    except ValueError:  # expired between add and incr: a fresh window
        counters.add(key, 1, timeout=period + 1)
        count = 1
    if count <= limit:
        return None
    return (window + 1) * period - now


def too_many(request: HttpRequest, kind: str, retry_after: float) -> HttpResponse:
    seconds = max(1, math.ceil(retry_after))
    message = f"Too many {kind} requests from your address; try again in {seconds} s."
    if kind == "json" or request.path.endswith(".json"):
        response: HttpResponse = JsonResponse({"error": message}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        match = request.resolver_match
        kind = limit_class(match.view_name) if match else None
        if kind is None:
            return None
        client = client_ip(request)
        if address_in(client, settings.RATE_LIMIT_EXEMPT):
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return None
        retry_after = check(kind, client)
        return None if retry_after is None else too_many(request, kind, retry_after)
