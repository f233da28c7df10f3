"""The limits of a request, declared once as settings (docs/settings.md): page number,
page size, deepest result window, query length and the number of filters.

Each reader of a parameter here either returns a value within its limit or raises
`BadRequest` with a message a person can act on; the error handlers answer it as a
400 in HTML or JSON. Nothing a client sends reaches a backend unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict

# Longer than any whole number a page could need; keeps int() off huge strings.
_MAX_DIGITS = 9


@dataclass(frozen=True)
class Window:
    """One page of a list: its number (from 1), its size and the rows before it."""

    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def _whole_number(params: QueryDict, name: str, default: int) -> int:
    raw = params.get(name, "")
    if raw.strip() == "":
        return default
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > _MAX_DIGITS or int(raw) < 1:
        raise BadRequest(f"{name}={raw[:20]!r}: expected a whole number from 1.")
    return int(raw)


def window(params: QueryDict, default_size: int | None = None) -> Window:
    """`page` and `size` from the query string, within the page size and result window.

    A page past the deepest window is refused rather than computed: engines allocate
    for offset + size (tantivy tried 80 GB for page 100,000,000)."""
    size = _whole_number(params, "size", default_size or settings.PAGE_SIZE)
    if size > settings.MAX_PAGE_SIZE:
        raise BadRequest(f"size={size}: at most {settings.MAX_PAGE_SIZE} rows per page.")
    page = _whole_number(params, "page", 1)
    if page * size > settings.MAX_RESULT_WINDOW:
        deepest = settings.MAX_RESULT_WINDOW // size
        raise BadRequest(
            f"page={page}: only the first {settings.MAX_RESULT_WINDOW:,} results are served "
            f"(page {deepest:,} at {size} a page). Narrow the query — a filter, a date "
            "range — or sort the other way."
        )
    return Window(page=page, size=size)


def query_text(params: QueryDict, name: str = "q") -> str:
    text = params.get(name, "")
    if len(text) > settings.MAX_QUERY_LENGTH:
        raise BadRequest(
            f"{name}: {len(text):,} characters; a query may have at most "
            f"{settings.MAX_QUERY_LENGTH:,}."
        )
    return text


# A facet value longer than this cannot exist (the index stores at most 300 characters).
MAX_FILTER_VALUE = 300


def filters(params: QueryDict, names) -> dict[str, list[str]]:
    """The facet filters among `names` (each may repeat), within their limits."""
    found = {name: params.getlist(name) for name in names if params.getlist(name)}
    count = sum(len(values) for values in found.values())
    if count > settings.MAX_FILTERS:
        raise BadRequest(f"{count} filters: a search may combine at most {settings.MAX_FILTERS}.")
    for name, values in found.items():
        for value in values:
            if len(value) > MAX_FILTER_VALUE:
                raise BadRequest(f"{name}: a value of {len(value):,} characters matches nothing.")
    return found


def bounded_page_link(window: Window, total: int) -> int | None:
    """The next page's number, if it has rows and lies within the result window."""
    following = window.page + 1
    if window.page * window.size >= total:
        return None
    if following * window.size > settings.MAX_RESULT_WINDOW:
        return None
    return following


class QueryStringGuard:
    """Refuses a NUL character anywhere in the query string before any view reads it:
    PostgreSQL cannot store or compare one (a 500 from deep in a query otherwise), and
    no real search or filter contains one."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("The query string contains a NUL character.")
        return self.get_response(request)
