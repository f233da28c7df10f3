"""Debian's Chromium driven by Playwright, as the page tests use it.

Playwright's own browser download is not used (and cannot be, offline): we launch the
system Chromium with flags that keep it quiet on a closed network.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("Chromium is not installed: run scripts/install-system-deps")
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Registered before any page script runs (Playwright's init scripts are not subject to
# the page's policy); collects what Chromium reports as blocked.
_LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.href}:${e.lineNumber}`);
});
"""


def watch_for_problems(page) -> list[str]:
    """Record, for the life of `page`, every Content-Security-Policy violation (the
    event and Chromium's console report), console error and uncaught script error."""
    problems: list[str] = []
    page.add_init_script(_LISTEN_FOR_VIOLATIONS)

    def console(message) -> None:
        url = message.location.get("url", "")
        # Chromium asks every site for /favicon.ico on its own; no page names it.
        if message.type == "error" and not url.endswith("/favicon.ico"):
            problems.append(f"console: {message.text} ({url})")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    return problems


def violations_on(page) -> list[str]:
    """The policy violations the current document's listener saw."""
    return page.evaluate("window.__cspViolations || []")
