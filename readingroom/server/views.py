from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from readingroom.server import health


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: 200 while this server can serve readers (database and index
    answer), 503 otherwise; the body also reports the worker and the outbox."""
    report = health.report()
    return JsonResponse(report, status=200 if report["serving"] else 503)
