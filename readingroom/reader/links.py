"""Links that change one thing about the request and keep the rest: a facet value
added or removed, a filter chip taken away, another sort, another page, a date range.
Every link a results page makes goes through here, so none drops the other filters or
the sort (and any change but paging goes back to the first page)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, QueryDict
from django.urls import reverse

from readingroom.reader.paths import absolute

# What a results page reads from its query string and so keeps in its links.
KEPT = ("q", "from", "to", "sort", "size", "within", "letter")


class Links:
    def __init__(self, request: HttpRequest, view: str, args: tuple = (),
                 facets: Iterable[str] = ()) -> None:  # fmt: skip
        self.request = request
        self.path = reverse(view, args=args)
        self.base = absolute(request, self.path)
        self.params = QueryDict(mutable=True)
        for name in (*KEPT, *facets):
            values = [v for v in request.GET.getlist(name) if v != ""]
            if values:
                self.params.setlist(name, values)

    def url(self, params: QueryDict | None = None) -> str:
        params = self.params if params is None else params
        query = params.urlencode()
        return f"{self.base}?{query}" if query else self.base

    def _changed(self) -> QueryDict:
        return self.params.copy()

    def page(self, number: int) -> str:
        params = self._changed()
        if number > 1:
            params["page"] = str(number)
        return self.url(params)

    def toggle(self, facet: str, value: str) -> str:
        """With `value` among the facet's values if it was not, without it if it was."""
        params = self._changed()
        values = params.getlist(facet)
        params.setlist(facet, [v for v in values if v != value] if value in values
                       else [*values, value])  # fmt: skip
        return self.url(params)

    def only(self, facet: str, value: str) -> str:
        """With this value as the facet's only one (a chart bar, a home page list)."""
        params = self._changed()
        params.setlist(facet, [value])
        return self.url(params)

    def without(self, *names: str) -> str:
        params = self._changed()
        for name in names:
            params.pop(name, None)
        return self.url(params)

    def with_dates(self, start: str, end: str) -> str:
        params = self._changed()
        params["from"], params["to"] = start, end
        return self.url(params)

    def with_sort(self, sort: str) -> str:
        params = self._changed()
        params["sort"] = sort
        return self.url(params)

    def with_query(self, text: str) -> str:
        params = self._changed()
        params["q"] = text
        return self.url(params)

    def hidden_inputs(self, *leave_out: str) -> list[tuple[str, str]]:
        """The request as hidden form fields, for a form that changes what it leaves
        out (the search box: q; the date and sort form: from, to, sort)."""
        return [(name, value) for name, values in self.params.lists() if name not in leave_out
                for value in values]  # fmt: skip
