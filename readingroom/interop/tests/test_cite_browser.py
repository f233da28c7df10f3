"""The Cite control in a real Chromium: every format with a copy button and a download,
reached by keyboard; and the plain page of all citations when JavaScript is off."""

from __future__ import annotations

import pytest

from readingroom.interop.formats.registry import FORMATS
from readingroom.reader.tests.test_browser import assert_accessible
from readingroom.testing.browser import chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _allow_sync_db_under_playwright(monkeypatch) -> None:
    # As in reader/tests/test_browser.py: the live server's thread does the database work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_cite_control_copies_and_downloads_every_format(live_server, cited, settings) -> None:
    settings.BASE_URL = live_server.url
    nara = cited["nara"].identifier
    with chromium() as browser:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"],
                                      accept_downloads=True)  # fmt: skip
        page = context.new_page()
        page.goto(f"{live_server.url}/documents/{nara}/")
        summary = page.locator("details.cite-control > summary")
        summary.focus()
        page.keyboard.press("Enter")  # a native disclosure: keyboard opens it
        assert page.locator("details.cite-control").get_attribute("open") is not None
        assert_accessible(page)
        for f in FORMATS:
            item = page.locator(f"#format-{f.name}")
            copy = item.get_by_role("button", name="Copy")
            copy.focus()
            page.keyboard.press("Enter")
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied == item.locator(f"#cite-{f.name}").inner_text().strip(), f.name
            assert "DAMAGE REPORT" in copied
            with page.expect_download() as info:
                item.get_by_role("link", name=f"Download {f.filename(nara)}").click()
            download = info.value
            assert download.suggested_filename == f.filename(nara)
            saved = open(download.path(), encoding="utf-8").read()
            assert saved.strip() == copied.strip(), f.name
        context.close()


def test_a_linked_paragraph_is_cited_with_its_locator(live_server, cited) -> None:
    from playwright.sync_api import expect

    seed = cited["seed"].identifier
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/documents/{seed}/#p3")
        expect(page.locator("#citation-text")).to_have_text(
            "“Soviet Report on Havana's Plan to Train Latin American Partisans,” April 14, "
            "1962, History and Public Policy Program Digital Archive, Archive of the Federal "
            "Intelligence Service of the Russian Federation, File 88497, vol 1, para. 3."
        )
        link = page.get_by_role("link", name="All citations of this document on one page")
        assert link.get_attribute("href").endswith("/cite/?anchor=p3")
        page.locator(".text-body a.para-link").nth(4).click()  # the fifth paragraph's ¶
        expect(page.locator("#citation-text")).to_contain_text("vol 1, para. 5.")
        link.click()
        page.wait_for_url("**/cite/?anchor=p5")
        assert page.locator("#cite-mla").inner_text().endswith("para. 5. History and Public "
                                                             "Policy Program Digital Archive.")


def test_without_javascript_a_plain_page_lists_every_citation(live_server, cited) -> None:
    seed = cited["seed"].identifier
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{live_server.url}/documents/{seed}/")
        # Copy buttons need a script: none is shown that would do nothing.
        assert page.get_by_role("button", name="Copy citation").count() == 0
        page.get_by_role("link", name="All citations of this document on one page").click()
        page.wait_for_url(f"**/documents/{seed}/cite/")
        assert page.locator("li.citation-format").count() == len(FORMATS)
        for f in FORMATS:
            assert page.locator(f"#format-{f.name} a[download]").count() == 1
        assert "File 88497, vol 1" in page.locator("#cite-chicago-note").inner_text()
        context.close()
        page = browser.new_page()  # axe-core runs as a script
        page.goto(f"{live_server.url}/documents/{seed}/cite/")
        assert_accessible(page)
