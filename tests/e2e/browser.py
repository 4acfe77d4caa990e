"""What the browser tests share: where Chromium is, how it is launched, and the guard that every
browser context routes its requests through (imported by conftest.py and the tests)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from analysis.core.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1000}
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
SERVER_START_TIMEOUT = 60  # s: the first run of a fresh process also ingests the demo data on page load
SCREENSHOT_DIR = ROOT / "docs" / "screenshots"


@dataclass
class Guard:
    """What the pages of one browser context tried that they should not have."""

    external: list[str] = field(default_factory=list)  # URLs of aborted non-loopback requests
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions in the page's JavaScript

    def route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOOPBACK:
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def watch(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(
            f"{message.text} @ {message.location.get('url', '')}"))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def assert_clean(self) -> None:
        assert not self.external, f"requests to hosts other than the loopback (aborted): {self.external}"
        # No allow-list: every console error so far was a real problem (a blocked font, a failed chart).
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.page_errors, f"uncaught JavaScript errors: {self.page_errors}"


def new_context(browser, guard: Guard, **options):
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", timezone_id="Asia/Jakarta",
                                  accept_downloads=True, **options)
    context.route("**/*", guard.route)
    context.on("page", guard.watch)
    context.set_default_timeout(30_000)
    return context


