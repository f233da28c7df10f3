"""One page of any list the reading room shows, within the limits (web/limits.py):
the rows, the count, and links to the pages beside it in HTML and JSON."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse

from readingroom.web.limits import Window, bounded_page_link


def page_link(request: HttpRequest, view: str, args: tuple, number: int | None) -> str | None:
    """The same request (filters, sort, size) at another page of `view`."""
    if number is None:
        return None
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{reverse(view, args=args)}?{params.urlencode()}")


def paged(request: HttpRequest, rows: QuerySet, window: Window, html_view: str,
          json_view: str, args: tuple = ()) -> tuple[list, dict[str, Any]]:  # fmt: skip
    """The rows of `window` (an ordered queryset) and what a page says about paging."""
    count = rows.count()
    found = list(rows[window.offset : window.offset + window.size])
    pages = max(1, -(-count // window.size))
    if window.page > pages:
        raise Http404(f"page={window.page}: this list has {pages:,} page(s).")
    following = bounded_page_link(window, count)
    before = window.page - 1 or None
    return found, {
        "count": count,
        "page": window.page,
        "pages": pages,
        "page_size": window.size,
        "next": page_link(request, json_view, args, following),
        "previous": page_link(request, json_view, args, before),
        "next_html": page_link(request, html_view, args, following),
        "previous_html": page_link(request, html_view, args, before),
    }
