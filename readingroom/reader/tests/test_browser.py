"""The document page in a real Chromium: it renders, one click copies the citation,
paragraphs can be linked, and axe-core finds no accessibility violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

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
        assert page.locator("h1").inner_text().startswith("From the Journal of A.I. Alekseyev")
        assert page.get_by_text("Blavatnik Family Foundation").first.is_visible()
        assert_accessible(page)

        page.get_by_role("button", name="Copy citation").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#citation-text").inner_text().strip()
        assert "AVP RF, f. 0104" in copied
        assert page.get_by_role("button", name="Copied").count() == 1

        # Each paragraph has a link of its own; following one highlights its paragraph.
        links = page.locator(".text-body a.para-link")
        assert links.count() >= 5
        href = links.nth(1).get_attribute("href")
        page.goto(url + href)
        target = page.locator(f".text-body p{href}")
        assert target.evaluate("p => getComputedStyle(p).backgroundColor") != "rgba(0, 0, 0, 0)"
        page.screenshot(path=str(home() / "test-document-page.png"), full_page=True)
        context.close()


def test_listing_and_search_box_in_chromium(live_server, seeded, search_index) -> None:
    search_index()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/documents/")
        assert page.locator("ol.results > li").count() == 2
        assert_accessible(page)
        page.get_by_label("Search the archive").fill("Havana")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/search/?q=Havana")
        # Both seeds say "Havana"; the one with it in its title ranks first.
        assert page.locator("ol.results > li").count() == 2
        assert "Havana" in page.locator("ol.results > li h3").first.inner_text()
        assert page.locator(".snippet b").first.inner_text().lower() == "havana"
        assert_accessible(page)


def test_page_without_optional_fields_in_chromium(live_server, seeded) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/documents/{seeded['003'].identifier}/")
        assert "not in the capture" in page.locator("section.file").inner_text()
        assert page.locator(".not-recorded").count() >= 3
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
        assert page.locator(".toc-document").count() == 100
        assert_accessible(page)
        page.locator("a[rel=next]").click()
        page.wait_for_url("**/collections/frus1961-63v06/?page=2")
        assert page.locator(".toc-document").count() == 20
        page.locator("a[rel=prev]").click()
        page.wait_for_url("**/collections/frus1961-63v06/?page=1")
        page.locator(".toc-document a").first.click()
        page.wait_for_url("**/documents/frus1961-63v06-d1/")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        page.goto(f"{live_server.url}/agents/{person.pk}/")
        assert page.locator("ol.results > li").count() >= 1
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
        page.goto(f"{live_server.url}/documents/104-10121-10174/?q=Pottstown")
        images = page.locator(".page-image img")
        assert images.count() == 2
        assert images.first.evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.locator("svg.hits rect.hit").first.is_visible()
        assert page.locator("ol.timeline time").last.inner_text() == "2025-03-18"
        assert_accessible(page)
        page.get_by_role("tab", name="Machine-read text").click()
        assert page.locator(".ocr-text").first.is_visible()
        assert not page.locator(".page-viewer").first.is_visible()
        assert_accessible(page)
        page.screenshot(path=str(home() / "test-scanned-record.png"), full_page=True)
