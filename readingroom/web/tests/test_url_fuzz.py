"""Whatever a visitor sends to any public URL — paths that match its pattern, any query
string, numbers too large for the database, words in any script, control characters —
the answer is never a 5xx, and the work it makes is bounded: database queries, bytes
sent, and the result window the search engine is asked for. Never wall-clock time.

Hypothesis draws the requests (derandomized: the same examples every run); the URLs
come from the URL configuration, so a new public URL is fuzzed as soon as it exists.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readingroom.search.backends.base import FACETS
from readingroom.testing.urls import public_url_names
from readingroom.web.tests import world as w

pytestmark = pytest.mark.django_db

# Bounds on the work one request may make (the demo's largest pages use about half).
MAX_QUERIES = 40
MAX_BYTES = 2_000_000

PARAMETERS = ["q", "page", "size", "sort", "download", "format", "style", "from", "to", "within",
              "letter", *FACETS]
text = st.text(max_size=40) | st.text(st.characters(codec="utf-8"), max_size=600)
numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
values = text | numbers | st.sampled_from(
    ["", "0", "1", "200", "201", "-date", "date", "added", "relevance", "title:*",
     "person:*", '"unclosed', "AND (", "date:1962-05..1962-10", "a OR", "*", "\x00", "1962-05",
     "1962-02-30", "people:1", "A", "#", "count"])  # fmt: skip
query_strings = st.lists(
    st.tuples(st.sampled_from(PARAMETERS) | st.text(max_size=10), values), max_size=8
)


@pytest.fixture
def fuzz_world(backend, search_index, make_document, settings, tmp_path) -> w.World:
    # Thousands of requests from one client: the rate limits (tested on their own)
    # would answer 429 to most of them, and the fuzz would test nothing.
    settings.RATE_LIMITS = {}
    settings.SITEMAPS_DIR = tmp_path / "sitemaps"
    return w.build(make_document, worker_running=False)


def _path_strategy(pattern: str) -> st.SearchStrategy[str]:
    """Paths that match a URL pattern: any, not only the ones that exist."""
    if pattern.startswith("^"):
        regex = pattern
    else:  # path() syntax: <id:pk> and literal text
        regex = "^" + re.sub(r"<id:\w+>", "[0-9]{1,18}", re.escape(pattern)) + "$"
    return st.from_regex(regex, fullmatch=True).map(lambda p: "/" + p.lstrip("^"))


def _existing_path(name: str, world: w.World) -> str:
    from django.urls import reverse

    from readingroom.web.tests.test_leak_matrix import record_kwargs

    probe = world.probes["visible"]
    if name in ("reader:agent", "reader:agent-json"):
        return reverse(name, args=[world.shared_person.pk])
    if name in ("reader:collection", "reader:collection-json", "interop:collection-feed"):
        return reverse(name, args=[world.shared_collection.identifier])
    if name == "interop:sitemap":
        return reverse(name, args=["documents-1"])
    if name in ("reader:entity", "reader:entity-json"):
        return reverse(name, args=["places", world.shared["places"].pk])
    if name in ("reader:entities", "reader:entities-json", "reader:search-facet",
                "reader:search-facet-json"):  # fmt: skip
        return reverse(name, args=["people"])
    try:
        return reverse(name, kwargs=record_kwargs(name, probe))
    except Exception:
        return reverse(name)


class WindowSpy:
    """Records the deepest result the search engine was asked for."""

    deepest = 0

    def __init__(self, monkeypatch) -> None:
        from readingroom.search.backends.postgres_backend import PostgresBackend
        from readingroom.search.backends.tantivy_backend import TantivyBackend

        for backend in (TantivyBackend, PostgresBackend):
            original = backend.search

            def search(engine, query, _original=original):
                WindowSpy.deepest = max(WindowSpy.deepest, query.offset + query.limit)
                return _original(engine, query)

            monkeypatch.setattr(backend, "search", search)


def _check(client: Client, url: str) -> None:
    WindowSpy.deepest = 0
    # The log holds at most 9,000 queries: once full, a capture would count none (and
    # the bound below could never fail). Each request starts from an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code < 500 and response.status_code != 429, (url, response.status_code)
    assert len(queries) <= MAX_QUERIES, (url, len(queries))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) <= MAX_BYTES, (url, len(body))
    assert WindowSpy.deepest <= django_settings.MAX_RESULT_WINDOW, url


# One catalogue per backend for all URLs (building it is most of the cost).
def test_any_request_to_any_public_url(fuzz_world, monkeypatch) -> None:
    WindowSpy(monkeypatch)
    client = Client()
    for name, pattern in sorted(public_url_names().items()):
        path = _existing_path(name, fuzz_world)

        @settings(max_examples=40, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(query_strings)
        def any_query_string(params) -> None:
            _check(client, f"{path}?{urlencode(params)}")  # noqa: B023 (run at once, below)

        @settings(max_examples=25, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(_path_strategy(pattern))
        def any_matching_path(matching: str) -> None:
            _check(client, matching)

        any_query_string()
        any_matching_path()
