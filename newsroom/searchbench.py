"""What a reader's browser downloads and waits for when searching, measured in headless Chromium.

Used by ``scripts/bench --search``: the first query from a page that has
loaded nothing of the search (its transfer and time), then further queries
with the search's own files cached (time to results shown, and what they
still had to fetch: index chunks and the fragments of the results shown).
"""

from __future__ import annotations

import time
from pathlib import Path

from . import urls
from .loopback import CHROMIUM, CHROMIUM_ARGS, serve

QUERIES = ("quyết định", "của", "tỉnh", "da nang", "ban tuyên giáo tỉnh ủy", "phát triển kinh tế")


def measure(site_dir: Path, queries: tuple[str, ...] = QUERIES) -> dict:
    from playwright.sync_api import sync_playwright  # only this measurement needs a browser

    with serve(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        fetched: list[int] = []
        page.on("requestfinished", lambda request: fetched.append(request.sizes()["responseBodySize"]))
        page.goto(base + urls.SEARCH)
        page.wait_for_load_state("networkidle")
        runs = []
        for query in queries:
            fetched.clear()
            started = time.perf_counter()
            page.fill("#nr-q", query)
            page.press("#nr-q", "Enter")
            page.wait_for_function("() => { const s = document.getElementById('search-status').textContent;"
                                   " return s && !s.startsWith('Đang'); }", timeout=60000)
            runs.append((query, round((time.perf_counter() - started) * 1000), round(sum(fetched) / 1024, 1),
                         page.locator("#search-results > li").count()))
        browser.close()
    first, *warm = runs
    return {
        "search_first": {"query": first[0], "ms": first[1], "kb": first[2], "shown": first[3]},
        "search_warm": [{"query": q, "ms": ms, "kb": kb, "shown": shown} for q, ms, kb, shown in warm],
    }
