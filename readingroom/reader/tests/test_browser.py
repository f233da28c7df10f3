"""The document page in a real Chromium: it renders, one click copies the citation,
paragraphs can be linked, and axe-core finds no accessibility violations.

Every check of the page waits for its condition (Playwright's `expect` assertions retry
until they hold, or fail after their timeout), never for luck or a fixed time: the page's
script adds links, images load and the copy finishes after `goto` or `click` returns.
A plain `count()`, `is_visible()` or `evaluate()` reads the page once, so it is kept for
what no script changes any more.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from readingroom.conf import home
from readingroom.testing.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _allow_sync_db_under_playwright(monkeypatch) -> None:
    # Playwright's sync API runs an event loop in this thread; the live server's own
    # thread does the database work, so Django's async-safety guard is a false alarm here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_document_page_in_chromium(live_server, seeded) -> None:
    identifier = seeded["000"].identifier
    url = f"{live_server.url}/documents/{identifier}/"
    with chromium() as browser:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(url)
        title = re.compile(r"^From the Journal of A\.I\. Alekseyev")
        expect(page.locator("h1")).to_have_text(title)
        expect(page.get_by_text("Blavatnik Family Foundation").first).to_be_visible()
        # Each paragraph gets a link of its own from the page's script.
        links = page.locator(".text-body a.para-link")
        expect(links.nth(4)).to_be_attached()
        assert_accessible(page)

        page.get_by_role("button", name="Copy citation").click()
        # The clipboard is written when the button says "Copied" (for 1.5 s: checked at
        # every frame, so no state between two checks is missed).
        page.wait_for_function(
            "() => [...document.querySelectorAll('button.copy')]"
            ".some(b => b.textContent === 'Copied')",
            polling="raf",
        )
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#citation-text").inner_text().strip()
        assert copied.startswith("“From the Journal of A.I. Alekseyev")
        assert "AVP RF, f. 0104" in copied

        # Following a paragraph's link highlights its paragraph.
        href = links.nth(1).get_attribute("href")
        page.goto(url + href)
        target = page.locator(f".text-body p{href}")
        expect(target).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
        page.screenshot(path=str(home() / "test-document-page.png"), full_page=True)
        context.close()


def test_listing_and_search_box_in_chromium(live_server, seeded, search_index) -> None:
    search_index()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/documents/")
        results = page.locator("ol.results > li")
        expect(results).to_have_count(2)
        assert_accessible(page)
        page.get_by_label("Search the archive").fill("Havana")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/search/?q=Havana")
        # Both seeds say "Havana"; the one with it in its title ranks first.
        expect(results).to_have_count(2)
        expect(results.locator("h3").first).to_contain_text("Havana")
        expect(page.locator(".snippet b").first).to_have_text(re.compile(r"^havana$", re.I))
        assert_accessible(page)


def test_page_without_optional_fields_in_chromium(live_server, seeded) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/documents/{seeded['003'].identifier}/")
        expect(page.locator("section.file")).to_contain_text("not in the capture")
        expect(page.locator(".not-recorded").nth(2)).to_be_attached()  # three at least
        assert_accessible(page)


def test_volume_contents_and_person_page_in_chromium(live_server, search_index) -> None:
    from django.core.management import call_command

    from readingroom.catalogue import models as m
    from readingroom.conf import corpus

    call_command("import", "frus", str(corpus() / "frus" / "frus1961-63v06.xml"), no_progress=True)
    search_index()  # a person's documents are listed by the search service
    person = m.Agent.objects.filter(
        identifications__isnull=False, document_links__isnull=False
    ).first()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/collections/frus1961-63v06/")
        # 120 documents, paged at READINGROOM_LIST_PAGE_SIZE (100): the rest on page 2.
        expect(page.locator(".toc-document")).to_have_count(100)
        assert_accessible(page)
        page.locator("a[rel=next]").click()
        page.wait_for_url("**/collections/frus1961-63v06/?page=2")
        expect(page.locator(".toc-document")).to_have_count(20)
        page.locator("a[rel=prev]").click()
        page.wait_for_url("**/collections/frus1961-63v06/?page=1")
        page.locator(".toc-document a").first.click()
        page.wait_for_url("**/documents/frus1961-63v06-d1/")
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(page)
        page.goto(f"{live_server.url}/agents/{person.pk}/")
        expect(page.locator("ol.results > li").first).to_be_visible()
        assert_accessible(page)


def test_scanned_record_in_chromium(live_server, search_index) -> None:
    """Page images load, the machine-read text is one tab away, the release timeline
    reads in order, and a search hit is marked on the page image."""
    from django.core.management import call_command

    from readingroom.conf import corpus
    from readingroom.files.tasks import process_pending_pages

    nara = corpus() / "nara-jfk"
    call_command(
        "import", "nara-jfk", str(nara / "releases" / "jfk2021.xlsx"),
        str(nara / "releases" / "national-archives-jfk-assassination-records-2023-release.xlsx"),
        str(nara / "scans" / "104-10121-10174.pdf"), no_progress=True,
    )  # fmt: skip
    assert process_pending_pages() == 2  # rendered and read by real Tesseract
    search_index()
    with chromium() as browser:
        page = browser.new_page()
        # The page images are held back until released below: what a busy machine does
        # to them by chance, done on purpose, so the test shows it waits for them.
        held: list = []
        released = False

        def hold(route) -> None:
            route.continue_() if released else held.append(route)

        page.route(re.compile(r"/pages/\d+/image$"), hold)
        page.goto(f"{live_server.url}/documents/104-10121-10174/?q=Pottstown")
        images = page.locator(".page-image img")
        expect(images).to_have_count(2)
        # The images load lazily, after `goto` returns: in view, the first one loads, and
        # is a real image (a broken one is complete too, with no width).
        first = images.first
        first.scroll_into_view_if_needed()
        expect(first).to_have_js_property("complete", False)  # held: not loaded yet
        released = True
        for route in held:
            route.continue_()
        expect(first).to_have_js_property("complete", True)
        expect(first).not_to_have_js_property("naturalWidth", 0)
        expect(page.locator("svg.hits rect.hit").first).to_be_visible()
        expect(page.locator("ol.timeline time").last).to_have_text("2025-03-18")
        assert_accessible(page)
        page.get_by_role("tab", name="Machine-read text").click()
        expect(page.locator(".ocr-text").first).to_be_visible()
        expect(page.locator(".page-viewer").first).to_be_hidden()
        assert_accessible(page)
        page.screenshot(path=str(home() / "test-scanned-record.png"), full_page=True)
