"""A page of search results as the search page and every entity page show it: the
request read within the limits, one search, and what a researcher works with around the
hits — removable chips for the words and each filter, facets with their labels and
counts (the top values, then "more"), a chart of the result by year whose bars narrow
the dates, a sort control, numbered pages, and, when nothing is found, what to relax
and a near spelling. One plain dict, rendered as HTML or as its JSON twin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.urls import reverse

from readingroom.reader import charts, entity_links
from readingroom.reader.links import Links
from readingroom.reader.paging import page_link
from readingroom.reader.paths import absolute
from readingroom.reader.services import document_summary
from readingroom.search.backends.base import FACETS, SORTS
from readingroom.search.labels import labels
from readingroom.search.query import date_bound, date_input
from readingroom.search.service import Asked, Visibility, parse_filters, search
from readingroom.web import limits

# The facets a results page lists beside the hits, in this order (year and decade are
# its chart). Each shows its SHOWN most frequent values, then links to its facet page.
SIDEBAR = (
    "type", "classification", "collection", "repository", "organizations", "people", "places",
    "subjects", "language", "translated", "release_year", "prior_status",
)  # fmt: skip
SHOWN = 6


@dataclass(frozen=True)
class Scope:
    """Where a results page lives (its view, and its JSON twin's) and, for an entity's
    page, the facet value all its documents share."""

    view: str
    json_view: str
    args: tuple = ()
    within: tuple[str, str] | None = None
    default_sort: str = "relevance"  # with words; without them, by date


def read_dates(params) -> tuple[int | None, int | None] | None:
    """`from` and `to` (a year, a month or a day each; either may be left empty)."""
    start, end = params.get("from", "").strip(), params.get("to", "").strip()
    try:
        low = date_bound(start, upper=False) if start else None
        high = date_bound(end, upper=True) if end else None
    except ValueError as error:
        raise BadRequest(f"Dates: {error}.") from None
    if low and high and low > high:
        raise BadRequest(f"Dates: from={start} is after to={end}.")
    return (low, high) if (low or high) else None


def read_within(params) -> tuple[str, str] | None:
    raw = params.get("within", "")
    if not raw:
        return None
    name, _, value = raw.partition(":")
    if name not in FACETS or not value or len(value) > limits.MAX_FILTER_VALUE:
        raise BadRequest(f"within={raw[:40]!r}: expected a facet and one of its values, "
                         "e.g. within=people:12.")  # fmt: skip
    return name, value


def read_sort(params, has_words: bool, scope: Scope) -> str:
    sort = params.get("sort", "") or (scope.default_sort if has_words else "date")
    if sort not in SORTS:
        raise BadRequest(f"sort={sort[:40]!r}: one of {', '.join(SORTS)}.")
    return sort


def results(request: HttpRequest, scope: Scope) -> dict[str, Any]:
    g = request.GET
    window = limits.window(g)
    text = limits.query_text(g)
    filters = parse_filters(g)
    within = scope.within or read_within(g)
    asked = Asked(text, filters, read_dates(g), within)
    sort = read_sort(g, bool(text.strip()), scope)
    at = Visibility.read()
    found = search(text, filters, page=window.page, size=window.size, sort=sort,
                   dates=asked.dates, at=at, within=within)  # fmt: skip
    links = Links(request, scope.view, scope.args, FACETS)
    total = found["total"]
    suggestions = _suggestions(asked, at, links) if not total else None
    named = labels(_to_name(found, filters, within))
    following = limits.bounded_page_link(window, total)
    sorts = [{"value": name, "label": label, "selected": name == sort,
              "url": links.with_sort(name)} for name, label in SORTS.items()]  # fmt: skip
    low, high = asked.dates or (None, None)
    out = {
        "query": text,
        "total": total,
        "sort": sort,
        "sorts": sorts,
        "dates": {"from": date_input(low, upper=False), "to": date_input(high, upper=True)},
        "filters": filters,
        "within": _within(within, named, links, scope),
        "chips": _chips(text, filters, asked.dates, named, links),
        "hits": [_hit(h, request) for h in found["hits"]],
        "facets": _facets(found["facets"], filters, within, named, links, scope),
        "chart": charts.time_chart(found["facets"]["year"]["counts"], links.with_dates),
        "suggestions": suggestions,
        # Each form keeps the rest of the request: the search form everything but the
        # words and dates it sets, the sort form everything but the sort.
        "form_fields": links.hidden_inputs("q", "from", "to"),
        "sort_fields": links.hidden_inputs("sort"),
        "page": window.page,
        "page_size": window.size,
        "page_start": window.offset + 1,
        "pages": _pages(window.page, window.size, total, links),
        "next": page_link(request, scope.json_view, scope.args, following),
        "previous": page_link(request, scope.json_view, scope.args, window.page - 1 or None),
        "next_html": page_link(request, scope.view, scope.args, following),
        "previous_html": page_link(request, scope.view, scope.args, window.page - 1 or None),
        "url": links.url(),
        "json_url": Links(request, scope.json_view, scope.args, FACETS).url(),
    }
    if suggestions:
        for relax in suggestions["relax"]:
            relax["label"] = _part_label(relax["part"], text, filters, asked.dates, named)
    return out


def _hit(h: dict[str, Any], request: HttpRequest) -> dict[str, Any]:
    return {**document_summary(h["document"], request), "score": h["score"],
            "snippet": h["snippet"], "matched_texts": h["matched_texts"],
            "pages": h["pages"]}  # fmt: skip


def _to_name(found, filters, within) -> dict[str, set[str]]:
    """The values a page names: the facets' shown values, the filters, the scope."""
    wanted: dict[str, set[str]] = {name: set() for name in FACETS}
    for name in SIDEBAR:
        wanted[name].update(v for v, _ in found["facets"][name]["values"][: SHOWN + 1])
    for name, values in filters.items():
        wanted[name].update(values)
    if within:
        wanted[within[0]].add(within[1])
    return {name: values for name, values in wanted.items() if values}


def _facets(facets: dict[str, Any], filters: dict[str, list[str]], within, named, links: Links,
            scope: Scope) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for name in SIDEBAR:
        facet, chosen = facets[name], filters.get(name, [])
        counts = facet["counts"]
        own = within[1] if within and within[0] == name else None  # the page's own entity
        values = [*chosen, *(v for v, _ in facet["values"] if v not in chosen and v != own)]
        shown = values[: max(SHOWN, len(chosen))]
        if not shown:
            continue
        out.append({
            "name": name,
            "label": facet["label"],
            "distinct": facet["distinct"] - (1 if own in counts else 0),
            "values": [{
                "value": v, "label": named[name].get(v, v), "count": counts.get(v, 0),
                "selected": v in chosen, "url": links.toggle(name, v),
                "page": entity_links.page_for(name, v, links.request),
            } for v in shown],
            "more_url": (facet["distinct"] > len(shown)
                         and _facet_page_url(name, links, scope)) or None,
            "index_url": entity_links.index_for(name, links.request),
            "index_label": entity_links.index_label(name),
        })  # fmt: skip
    return out


def _facet_page_url(name: str, links: Links, scope: Scope) -> str:
    params = links.params.copy()
    if scope.within:
        params["within"] = ":".join(scope.within)
    query = params.urlencode()
    url = absolute(links.request, reverse("reader:search-facet", args=[name]))
    return f"{url}?{query}" if query else url


def _within(within, named, links: Links, scope: Scope) -> dict[str, Any] | None:
    if not within:
        return None
    name, value = within
    return {"facet": name, "value": value, "label": FACETS[name].label,
            "value_label": named[name].get(value, value),
            "page": entity_links.page_for(name, value, links.request),
            # On the search page the scope is a filter like the others: removable.
            "remove_url": None if scope.within else links.without("within")}  # fmt: skip


def _date_range(dates) -> str:
    low = date_input(dates[0], upper=False) if dates[0] else "…"
    high = date_input(dates[1], upper=True) if dates[1] else "…"
    return low if low == high else f"{low} – {high}"


def _chips(text: str, filters, dates, named, links: Links) -> list[dict[str, Any]]:
    chips = []
    if text.strip():
        chips.append({"label": "Words", "value": text, "url": links.without("q")})
    for name, values in filters.items():
        for value in values:
            chips.append({"label": FACETS[name].label, "value": named[name].get(value, value),
                          "url": links.toggle(name, value)})  # fmt: skip
    if dates:
        chips.append({"label": "Dates", "value": _date_range(dates),
                      "url": links.without("from", "to")})  # fmt: skip
    return chips


def _part_label(part: str, text: str, filters, dates, named) -> str:
    if part == "q":
        return f"the words “{text}”"
    if part == "dates":
        return f"the dates {_date_range(dates)}"
    values = ", ".join(named[part].get(v, v) for v in filters[part])
    return f"{FACETS[part].label}: {values}"


def _suggestions(asked: Asked, at: Visibility, links: Links) -> dict[str, Any]:
    from readingroom.search.suggest import near_spelling, relaxations

    relax = []
    for r in relaxations(asked, at):
        names = ("from", "to") if r["part"] == "dates" else (r["part"],)
        relax.append({**r, "url": links.without(*names)})
    spelled = near_spelling(asked, at)
    if spelled:
        spelled["url"] = links.with_query(spelled["query"])
    return {"relax": relax, "spelling": spelled}


def _pages(page: int, size: int, total: int, links: Links) -> dict[str, Any]:
    """Numbered pages: the first, the last served (within the result window), and two
    either side of this one."""
    count = max(1, -(-total // size))
    last = min(count, max(1, settings.MAX_RESULT_WINDOW // size))
    numbers = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    shown: list[dict[str, Any]] = []
    previous = None
    for number in numbers:
        if previous is not None and number - previous > 1:
            shown.append({"gap": True})
        shown.append({"number": number, "current": number == page, "url": links.page(number)})
        previous = number
    return {"count": count, "last_served": last, "links": shown}
