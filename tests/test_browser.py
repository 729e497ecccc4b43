"""What only a reader's browser shows: editor markup never runs, as a page or as a search result.

Headless Chromium (Debian's ``chromium`` package, installed by .ci/run) driven
by Playwright, on a tiny site built for real and served on loopback.
"""

from __future__ import annotations

import pytest

from browser import browser_page, serve  # noqa: F401 (a fixture)

TITLE = '<img src=x onerror="window.__pwned = 1">Tin khẩn <b>đậm</b>'
BODY = (
    "Nội dung khẩn cấp `<img src=x onerror=\"window.__pwned = 2\">` được đăng.\n\n"
    "## Mục &lt;svg onload=\"window.__pwned = 3\"&gt;\n\n"
    "Đoạn hai nói về khẩn cấp.\n"
)


@pytest.fixture
def served(tiny_site):
    """The built site over HTTP on loopback; yields its base URL."""
    tiny_site.post("2025/01/a.md", f"title: '{TITLE}'\ndate: 2025-01-02\nslug: tin-khan\nagencies: [UBND tỉnh]", BODY)
    built = tiny_site.build()
    assert built.errors == []
    with serve(built.site_dir) as base:
        yield base


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
    browser_page.goto(served + "tim-kiem/?q=khẩn")
    results = browser_page.locator("#search-results li")
    results.first.wait_for(timeout=15000)
    shown = " ".join(results.all_inner_texts())
    assert "<img src=x onerror" in shown and "Tin khẩn" in shown
    assert browser_page.locator("#search-results img, #search-results svg, #search-results b").count() == 0
    browser_page.wait_for_timeout(300)  # an injected handler would have fired by now
    assert _ran(browser_page) is None and browser_page.dialogs == []
