"""Shared fixtures: a seeded catalogue built by the real importer from the real corpus,
and a factory for documents in any publication state."""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from readingroom.catalogue import models as m
from readingroom.conf import corpus

SEEDS = corpus() / "seeds"
# `make test`'s second pass runs on PostgreSQL, where both search backends exist.
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_collectstatic():
    """Pages name their static files unhashed, found where they lie: the test client and
    the live server (whose static handler looks files up by their plain names) need no
    collectstatic. The production server's own test runs it (server/tests)."""
    from django.test import override_settings

    with override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }):  # fmt: skip
        yield


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item) -> None:
    """On PostgreSQL, a test in a transaction has its foreign keys checked for the tables
    as it leaves them. Django checks them at the test's end (SET CONSTRAINTS ALL
    IMMEDIATE), each row by PostgreSQL's cached query for its constraint. One connection
    serves the whole run, and a cached plan outlives the test that made it: one made for
    a table autovacuum had just emptied (of an earlier test's rolled-back rows) scans it
    whole, so a later test that fills it with the 14,666 NARA records took 20-30 s to
    check them (every check a scan of the table) instead of 1-2 s. Each test's plans are
    made afresh, as they are in a command's own connection."""
    from django.db import connection

    if ON_POSTGRES and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("DISCARD PLANS")


SEED_000 = SEEDS / "000_b8f08a8b72a18c0b.txt"
SEED_003 = SEEDS / "003_72ecfa0892306d99.txt"


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    """Each test starts with no request counted against the rate limits and no page
    kept by the production server's cache (both live in the process's memory, which
    outlives a test)."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["pages"].clear()


@pytest.fixture
def seeded(db) -> dict[str, m.Document]:
    """Both seed pages imported through `readingroom import pages`."""
    call_command("import", "pages", str(SEEDS), no_progress=True)
    return {
        "000": m.Document.objects.get(sources__id_in_source="b8f08a8b72a18c0b"),
        "003": m.Document.objects.get(sources__id_in_source="72ecfa0892306d99"),
    }


@pytest.fixture(params=["tantivy", "postgres"] if ON_POSTGRES else ["tantivy"])
def backend(request, settings) -> str:
    """Each search backend this database has, in turn (a module that tests every
    backend uses it: `pytestmark = pytest.mark.usefixtures("backend")`)."""
    settings.SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def make_document(db):
    """Create a document with a text; keyword arguments override its fields."""
    counter = iter(range(1, 10_000))

    def make(**fields) -> m.Document:
        n = next(counter)
        values = {
            "identifier": f"test-{n}",
            "title": f"Test document {n} about the Berlin wall",
            "date_start": date(1962, 5, n % 28 + 1),
            "date_end": date(1962, 5, n % 28 + 1),
            "date_precision": "day",
            "state": m.PublicationState.PUBLISHED,
            "summary": f"Summary of test document {n}.",
        }
        values.update(fields)
        document = m.Document.objects.create(**values)
        m.Text.objects.create(
            document=document, kind="original", html=f"<p id='p1'>Body of test document {n}.</p>"
        )
        return document

    return make


@pytest.fixture
def editor_client(db):
    """A Django test client logged in as a superuser named "editor"."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-editor-1")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def search_index(db):
    """An empty search index; call the returned function to index pending changes."""
    from readingroom.search.indexer import get_backend
    from readingroom.search.tasks import process_pending

    get_backend().clear()
    return process_pending


def database_url_for_subprocess() -> str:
    """A DATABASE_URL that points a child process at the test database in use."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def subprocess_env() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url_for_subprocess()}
