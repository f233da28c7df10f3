"""The production server (`readingroom serve`: gunicorn, collected static files) under
the Content-Security-Policy, every page kind in a real Chromium: no violation reported
by the browser, no console or script error, pages styled and working, the admin too."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from readingroom.conf import REPO_ROOT, corpus
from readingroom.conftest import subprocess_env
from readingroom.server.tests.conftest import LIST_2023, NARA, SCANNED
from readingroom.server.tests.test_supervise import free_port, healthz
from readingroom.testing.browser import chromium, violations_on, watch_for_problems
from readingroom.testing.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _allow_sync_db_under_playwright(monkeypatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in reader/tests


@pytest.fixture
def catalogue(seeded, search_index) -> dict:
    """Every kind of record: seed pages, a FRUS volume, a scanned record with its pages
    rendered and read, all indexed."""
    from readingroom.catalogue import models as m
    from readingroom.files.tasks import process_pending_pages

    call_command("import", "frus", str(corpus() / "frus" / "frus1961-63v06.xml"), no_progress=True)
    call_command("import", "nara-jfk", str(LIST_2023), str(NARA / "scans" / f"{SCANNED}.pdf"),
                 no_progress=True)  # fmt: skip
    assert process_pending_pages() == 2
    search_index()
    get_user_model().objects.create_superuser("editor", "e@example.org", "right-pw-1")
    person = m.Agent.objects.filter(identifications__isnull=False,
                                    document_links__isnull=False).first()  # fmt: skip
    return {"seed": seeded["000"].identifier, "person": person.pk}


@pytest.fixture
def server(catalogue):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "readingroom", "serve", "--port", str(port)],
        cwd=REPO_ROOT, env={**subprocess_env(), "READINGROOM_SERVER_PROCESSES": "1"},
    )  # fmt: skip
    try:
        wait_until(lambda: healthz(port), "the production server")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)


def assert_static_files_hashed_compressed_and_long_lived(server: str) -> None:
    with urllib.request.urlopen(f"{server}/documents/") as page:
        html = page.read().decode()
    css = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert css.startswith("/static/reader/reader.") and css.endswith(".css")
    assert css != "/static/reader/reader.css"  # the content's hash is in the name
    request = urllib.request.Request(server + css, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]
    with urllib.request.urlopen(f"{server}/documents/") as page:
        assert page.headers["Server"] == "gunicorn"
        assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_every_page_kind_in_chromium_without_a_violation(server, catalogue) -> None:
    assert_static_files_hashed_compressed_and_long_lived(server)
    seed, person = catalogue["seed"], catalogue["person"]
    with chromium() as browser:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        problems = watch_for_problems(page)

        def visit(path: str) -> None:
            response = page.goto(server + path)
            assert response.status == 200, path
            page.wait_for_load_state("load")
            problems.extend(f"{path}: {v}" for v in violations_on(page))

        visit("/documents/")
        styled = page.locator("header.site").evaluate("e => getComputedStyle(e).display")
        assert styled != "inline"  # the hashed stylesheet applied
        visit(f"/documents/{seed}/")
        page.get_by_role("button", name="Copy citation").click()
        page.get_by_role("button", name="Copied").wait_for()  # the script runs
        assert page.locator(".text-body a.para-link").count() >= 5
        visit(f"/documents/{SCANNED}/?q=Pottstown")
        image = page.locator(".page-image img").first
        image.scroll_into_view_if_needed()  # loading="lazy"
        assert image.evaluate("i => i.decode().then(() => i.naturalWidth)")
        assert page.locator("svg.hits rect.hit").first.is_visible()  # no inline style needed
        page.get_by_role("tab", name="Machine-read text").click()
        assert page.locator(".ocr-text").first.is_visible()
        visit("/search/?q=Havana")
        visit("/search/?q=&type=letter&sort=date")
        visit("/collections/")
        visit("/collections/frus1961-63v06/")
        visit(f"/agents/{person}/")
        visit(f"/documents/{seed}.json")
        visit("/search.json?q=Havana")

        visit("/admin/login/?next=/admin/")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("right-pw-1")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        problems.extend(violations_on(page))
        visit("/admin/catalogue/document/")
        visit(f"/admin/catalogue/document/?q={SCANNED}")
        page.locator("#result_list tbody th a").first.click()  # the change form, inlines and all
        page.wait_for_load_state("load")
        problems.extend(violations_on(page))
        assert page.locator("#document_form").count() == 1
        visit("/admin/catalogue/document/add/")
        visit("/admin/catalogue/agent/near-matches/")
        visit("/admin/files/page/")
        visit("/admin/axes/accessfailurelog/")
        visit("/admin/auth/user/add/")
        assert problems == []
        # The watch itself works: an inline style slipped into a page is reported, by
        # the event and on the console.
        slipped_in = """'<p style="color:red">x</p>'"""
        page.evaluate(f"document.body.insertAdjacentHTML('beforeend', {slipped_in})")
        caught = wait_until(lambda: violations_on(page), "the browser's violation report")
        assert any("style-src" in v for v in caught)
        assert any("Content Security Policy" in p for p in problems)
        context.close()
