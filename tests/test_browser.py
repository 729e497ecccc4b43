"""What only a reader's browser shows: editor markup never runs, as a page or as a search result.

Headless Chromium (Debian's ``chromium`` package, installed by .ci/run) driven
by Playwright, on a tiny site built for real and served on loopback.
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

if not CHROMIUM.exists() and not os.environ.get("CI"):  # CI installs it: there a missing browser fails
    pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

TITLE = '<img src=x onerror="window.__pwned = 1">Tin khẩn <b>đậm</b>'
BODY = (
    "Nội dung khẩn cấp `<img src=x onerror=\"window.__pwned = 2\">` được đăng.\n\n"
    "## Mục &lt;svg onload=\"window.__pwned = 3\"&gt;\n\n"
    "Đoạn hai nói về khẩn cấp.\n"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tiny_site):
    """The built site over HTTP on loopback; yields its base URL."""
    tiny_site.post("2025/01/a.md", f"title: '{TITLE}'\ndate: 2025-01-02\nslug: tin-khan\nagencies: [UBND tỉnh]", BODY)
    built = tiny_site.build()
    assert built.errors == []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built.site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser_page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        yield page
        browser.close()


def _ran(page) -> object:
    return page.evaluate("() => window.__pwned")


def test_markup_in_title_and_body_shows_as_text_on_the_article_page(served, browser_page):
    browser_page.goto(served + "2025/01/tin-khan/")
    browser_page.wait_for_load_state("load")
    assert browser_page.locator("article h1").inner_text() == TITLE
    assert "<img src=x onerror" in browser_page.locator(".nr-body").inner_text()
    assert browser_page.locator(".nr-body img, article h1 img, article h1 b").count() == 0
    assert _ran(browser_page) is None and browser_page.dialogs == []


def test_markup_in_title_and_body_shows_as_text_in_search_results(served, browser_page):
    browser_page.goto(served + "?q=khẩn")
    results = browser_page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    shown = " ".join(results.all_inner_texts())
    assert "<img src=x onerror" in shown and "Tin khẩn" in shown
    assert browser_page.locator(".md-search-result img, .md-search-result svg[onload]").count() == 0
    browser_page.wait_for_timeout(300)  # an injected handler would have fired by now
    assert _ran(browser_page) is None and browser_page.dialogs == []
