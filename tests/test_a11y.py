"""Accessibility in a real browser: axe-core (WCAG 2.2 AA) on every page type at phone and desktop
sizes, a skip link first in the tab order, and focus that never lands on anything hidden.

The project's own sample site is built once, served under a sub-path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, axe_violations, serve
from conftest import ROOT, build_served_site
from newsroom import pagetypes
from playwright.sync_api import sync_playwright

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("a11y") / "project"
    for name in ("docs", "registries", "posts"):
        shutil.copytree(ROOT / name, root / name)
    return build_served_site(root)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base(site):
    with serve(site, "/cong/") as url:
        yield url


def _open(browser, base, address, size):
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(base + address)
    page.wait_for_load_state("networkidle")
    if address.startswith("tim-kiem/"):
        page.wait_for_selector("#search-results[aria-busy=false]", state="attached")
    return page


@pytest.mark.parametrize("size", SIZES)
def test_no_axe_violations_on_any_page_type(browser, base, site, size):
    problems = {}
    for kind, address in pagetypes.find(site).items():
        page = _open(browser, base, address, size)
        found = axe_violations(page)
        if found:
            problems[kind] = found
        page.close()
    assert problems == {}


@pytest.mark.parametrize("size", SIZES)
def test_skip_link_first_and_focus_never_hidden(browser, base, site, size):
    kinds = pagetypes.find(site)
    for kind in ("home", "article", "agency", "search"):
        page = _open(browser, base, kinds[kind], size)
        page.keyboard.press("Tab")
        first = page.evaluate("() => ({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})")
        assert first["text"] == "Bỏ qua, đến nội dung chính" and first["href"].startswith("#"), (kind, first)
        page.keyboard.press("Enter")
        target = page.evaluate("() => document.activeElement.id || document.activeElement.tagName")
        assert target in ("nr-main", "MAIN"), (kind, target)
        page.goto(base + kinds[kind])
        for step in range(25):  # every stop of the first 25 Tab presses is visible and on screen
            page.keyboard.press("Tab")
            box = page.evaluate("""() => { const e = document.activeElement; const r = e.getBoundingClientRect();
                const s = getComputedStyle(e); return {x: r.x, y: r.y, w: r.width, h: r.height,
                hidden: s.visibility === 'hidden' || !!e.closest('[hidden],[inert],[aria-hidden=true]'), what: e.outerHTML.slice(0, 80)}; }""")
            if box["what"].startswith("<body"):
                break
            assert box["w"] > 0 and box["h"] > 0 and box["x"] >= 0 and box["x"] + box["w"] <= SIZES[size][0] + 1 and not box["hidden"], (kind, step, box["what"], box)
        page.close()


def test_a_caption_under_a_picture_is_a_caption_and_one_without_is_a_sentence(browser, base, site):
    styles = {}
    for kind, address in (("with", "2026/11/"), ("without", "2022/04/")):
        page = _open(browser, base, address, "phone")
        page.locator(".nr-item__title a").first.click()
        page.wait_for_load_state("networkidle")
        styles[kind] = page.evaluate("() => [...document.querySelectorAll('.nr-body p.caption')].map(e => getComputedStyle(e).fontStyle)")
        page.close()
    assert styles["with"] and set(styles["with"]) == {"italic"}  # the sample's body picture keeps its caption
    assert styles["without"] and set(styles["without"]) == {"normal"}  # the seed's photos are gone
