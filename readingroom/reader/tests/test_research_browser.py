"""A researcher's session in a real Chromium, on the real corpus (a release list with
its CIA records, a scanned record read by Tesseract, a FRUS volume, the seed pages):
search, combine facets, choose two values of one, remove a chip, page, narrow by a bar
of the chart, follow a person and an organization, page through the CIA's documents,
and use the search page by keyboard alone. axe-core finds no violation of any impact
on any kind of page, and each kind is photographed at 1280 and 375 px wide
(`$READINGROOM_HOME/screenshots/`), and carries no inline style or script. Every
wait is on a condition, never on time."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect

from readingroom.catalogue import models as m
from readingroom.conf import corpus, home
from readingroom.reader.tests.test_scanned_records import LIST_2023, NARA, READ, read_pages
from readingroom.testing.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 375)
SHOTS = home() / "screenshots"


@pytest.fixture(autouse=True)
def _allow_sync_db_under_playwright(monkeypatch) -> None:
    # Playwright's sync API runs an event loop in this thread; the live server's own
    # thread does the database work, so Django's async-safety guard is a false alarm here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def catalogue(search_index) -> None:
    call_command("import", "nara-jfk", str(LIST_2023), str(NARA / "scans" / f"{READ}.pdf"),
                 no_progress=True)  # fmt: skip
    read_pages()
    call_command("import", "frus", str(corpus() / "frus" / "frus1961-63v06.xml"), no_progress=True)
    call_command("import", "pages", str(corpus() / "seeds"), no_progress=True)
    search_index()


def checked(page: Page, name: str) -> None:
    """Nothing inline (the site runs under a strict Content-Security-Policy), no axe-core
    violation of any impact; the page photographed at each width."""
    assert page.locator("[style], style").count() == 0, name
    assert page.locator("script:not([src]):not([type='application/ld+json'])").count() == 0
    results = Axe().run(page)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        # Usable at a phone's width: nothing wider than the window.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def total(page: Page) -> int:
    return int(re.sub(r"\D", "", page.locator("#results-h").inner_text().split(" ")[0]))


def facet_link(page: Page, facet: str, n: int = 0):
    values = page.locator(f"section.facet[aria-labelledby='facet-{facet}-h'] li > a:first-child")
    return values.nth(n)


def test_a_researchers_session_in_chromium(live_server, catalogue) -> None:
    base = live_server.url
    cia = m.Agent.objects.get(name="Central Intelligence Agency")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/")
        expect(page.locator("h1")).to_have_text("Reading Room")
        expect(page.locator("svg.bars a").first).to_be_visible()
        checked(page, "home")

        # Search from the home page's box.
        page.get_by_label("Search the archive").fill("Khrushchev")
        page.get_by_label("Search the archive").press("Enter")
        page.wait_for_url("**/search/?q=Khrushchev")
        expect(page.locator("ol.results > li").first).to_be_visible()
        everything = total(page)
        checked(page, "search")

        # Two facets combine (AND); two values of one facet are alternatives (OR).
        facet_link(page, "type").click()
        page.wait_for_url(re.compile(r"type="))
        one_type = total(page)
        facet_link(page, "classification").click()
        page.wait_for_url(re.compile(r"type=.*classification=|classification=.*type="))
        both = total(page)
        assert both <= one_type <= everything
        expect(page.locator(".chips a.chip")).to_have_count(3)  # words, type, classification
        facet_link(page, "type", 1).click()  # the first value is chosen; the next is added
        page.wait_for_url(re.compile(r"type=[^&]+&.*type=|type=.*&type="))
        assert total(page) >= both
        expect(page.locator(".chips a.chip")).to_have_count(4)
        # Remove a chip: the classification goes, the rest stays.
        page.locator(".chips a.chip", has_text="Classification").click()
        page.wait_for_url(lambda url: "classification=" not in url and "type=" in url)
        expect(page.locator(".chips a.chip")).to_have_count(3)

        # Page to page 3 of everything, by number.
        page.goto(f"{base}/search/")
        page.locator("nav.pages a", has_text=re.compile(r"^3$")).click()
        page.wait_for_url("**/search/?page=3")
        expect(page.locator("nav.pages a[aria-current=page]")).to_have_text("3")
        expect(page.locator("ol.results")).to_have_attribute("start", "101")

        # A bar of the chart narrows the dates: a chip says so and every hit is inside.
        bar = page.locator("svg.bars a").first
        label = bar.get_attribute("aria-label")
        bar.click()
        page.wait_for_url(re.compile(r"from=\d{4}&to=\d{4}"))
        expect(page.locator(".chips a.chip", has_text="Dates")).to_be_visible()
        assert total(page) == int(re.search(r": ([\d,]+) doc", label)[1].replace(",", ""))

        # Follow a person from a facet, an organization from its index.
        page.goto(f"{base}/search/?q=Khrushchev")
        person = facet_link(page, "people")
        name = person.locator("xpath=..").locator("a.to-page")
        name.click()
        page.wait_for_url(re.compile(r"/agents/\d+/$"))
        expect(page.locator("p.kind")).to_have_text("Person")
        expect(page.locator("ol.results > li").first).to_be_visible()
        checked(page, "person")
        page.goto(f"{base}/organizations/")
        checked(page, "organizations")
        page.get_by_role("link", name="Central Intelligence Agency", exact=True).click()
        page.wait_for_url(f"**/agents/{cia.pk}/")
        checked(page, "organization")

        # Page through the CIA's documents: 50 a page, none twice.
        seen: set[str] = set()
        for number in (1, 2, 3):
            if number > 1:
                page.locator("nav.pages a[rel=next]").click()
                page.wait_for_url(f"**/agents/{cia.pk}/?page={number}")
            links = page.locator("ol.results > li h3 a")
            expect(links).to_have_count(50)
            seen |= set(links.evaluate_all("links => links.map(a => a.href)"))
        assert len(seen) == 150

        keyboard_only(page, base)
        nothing_found(page, base)
        every_other_kind(page, base)
        page.close()


def keyboard_only(page: Page, base: str) -> None:
    """The search page by keyboard: reach the words, search, reach a facet, choose it;
    the focused element always shows its focus."""
    page.goto(f"{base}/search/")

    def tab_to(selector: str, most: int = 60) -> None:
        for _ in range(most):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", selector
                return
        raise AssertionError(f"{selector} not reached by Tab")

    tab_to("#q")
    page.keyboard.type("Berlin")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Berlin")  # empty fields are not sent (reader.js)
    tab_to("section.facet li > a:first-child")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Berlin&\w+="))
    expect(page.locator(".chips a.chip")).to_have_count(2)


def nothing_found(page: Page, base: str) -> None:
    """A misspelling finds nothing, says so, and offers the index's own spelling."""
    page.goto(f"{base}/search/?q=Khruschev")
    expect(page.locator(".no-results")).to_be_visible()
    checked(page, "search-none")
    page.get_by_role("link", name="Khrushchev").click()
    page.wait_for_url("**/search/?q=Khrushchev")
    expect(page.locator("ol.results > li").first).to_be_visible()


def every_other_kind(page: Page, base: str) -> None:
    """Each remaining kind of page: its index and one of its entities, a facet's page,
    a document with a scan and one with a text, the people index."""
    for kind in ("people", "places", "subjects", "repositories"):
        page.goto(f"{base}/{kind}/")
        checked(page, kind)
        if kind != "people":
            page.locator("ul.entities li a").first.click()
            page.wait_for_url(re.compile(rf"/{kind}/\d+/$"))
            expect(page.locator("ol.results > li").first).to_be_visible()
            checked(page, kind.rstrip("s").replace("repositorie", "repository"))
    page.goto(f"{base}/search/facets/people/?q=Khrushchev")
    checked(page, "facet")
    page.goto(f"{base}/documents/{READ}/")
    expect(page.locator(".page-image img").first).to_be_visible()
    checked(page, "document-scan")
    seed = m.Document.objects.get(sources__id_in_source="b8f08a8b72a18c0b")
    page.goto(f"{base}/documents/{seed.identifier}/")
    checked(page, "document-text")
    volume = m.Document.objects.get(identifier="frus1961-63v06-d2")
    page.goto(f"{base}/documents/{volume.identifier}/")
    page.locator("nav.neighbours a[rel=next]").click()
    page.wait_for_url("**/documents/frus1961-63v06-d3/")
