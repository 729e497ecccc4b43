"""What a reader's browser downloads and waits for when searching, measured in headless Chromium.

Used by ``scripts/bench --search``: the first query from a page that has
loaded nothing of the search, then further queries with the search's own
files cached. Each is measured twice: when its first results are on the page
(the newest years searched; older ones may still be coming), and when every
year is searched and the facet counts are shown. Transfer is what the page
fetched by then: Pagefind, index chunks, filter files, fragments of the
results shown. ``page_ms`` is the same wait timed inside the page, from the
Enter key to the first result in the list, without the browser driver's own
round trips.
"""

from __future__ import annotations

import os
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
            page.evaluate(_TIMER)
            page.press("#nr-q", "Enter")
            page.wait_for_function(f"() => document.querySelector('#search-results > li') || ({_FINAL})", timeout=60000)
            shown = (round((time.perf_counter() - started) * 1000), round(sum(fetched) / 1024, 1))
            _searched(page)
            complete = (round((time.perf_counter() - started) * 1000), round(sum(fetched) / 1024, 1))
            runs.append({"query": query, "ms": shown[0], "page_ms": page.evaluate("Math.round(window.nrShown - window.nrEnter)"),
                         "kb": shown[1], "all_ms": complete[0], "all_kb": complete[1], "found": page.inner_text("#search-status")})
        browser.close()
    first, *warm = runs
    return {"search_first": first, "search_warm": warm}


COMMON = ("của", "tỉnh", "và", "các", "được")  # words in nearly every article: every search hands out a result per article


def memory(site_dir: Path, searches: int) -> list[list[int]]:
    """[searches so far, MB] every 5 of ``searches`` searches of common words, typed back to back.

    MB is the resident memory of the browser's page processes (the page and
    Pagefind's worker run there), after a garbage collection: what a reader's
    phone keeps for a long session of searching.
    """
    from playwright.sync_api import sync_playwright

    sizes = []
    with serve(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + ["--js-flags=--expose-gc"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + urls.SEARCH)
        for done in range(1, searches + 1):
            page.fill("#nr-q", COMMON[done % len(COMMON)])
            page.press("#nr-q", "Enter")
            _searched(page)
            if done % 5 == 0:
                page.evaluate("() => gc()")
                time.sleep(0.3)  # the collection's finalizers
                sizes.append([done, _renderers_mb()])
        browser.close()
    return sizes


def _searched(page) -> None:
    """Waits until every bundle is searched and the facet counts are shown."""
    page.wait_for_function(f"() => ({_FINAL}) && document.querySelector('.nr-search__facets')"
                           ".getAttribute('aria-busy') === 'false'", timeout=120000)


def _renderers_mb() -> int:
    """Resident memory of the browser's page (renderer) processes, in MB (Linux /proc)."""
    total = 0
    for process in Path("/proc").iterdir():
        try:
            if process.name.isdigit() and b"--type=renderer" in (process / "cmdline").read_bytes():
                total += int((process / "statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue  # gone meanwhile
    return round(total / 2**20)


# Times the Enter key and the first result put in the list, in the page (set before each query).
_TIMER = """() => {
  const input = document.getElementById('nr-q'), list = document.getElementById('search-results');
  window.nrEnter = window.nrShown = null;
  input.addEventListener('keydown', e => { if (e.key === 'Enter') window.nrEnter = performance.now(); }, {once: true});
  const seen = new MutationObserver(() => {
    if (list.querySelector('li')) { window.nrShown = performance.now(); seen.disconnect(); }
  });
  seen.observe(list, {childList: true});
}"""

# The status once every year is searched (while older years are searched it says "Đang tìm…").
_FINAL = "(s => s && !s.startsWith('Đang'))(document.getElementById('search-status').textContent)"
