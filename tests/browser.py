"""Shared by the browser tests: a headless Chromium page (and ``serve``, a built site on loopback).

Debian's ``chromium`` package (installed by .ci/run) driven by Playwright;
Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsroom import loopback
from newsroom.loopback import CHROMIUM_ARGS, serve  # noqa: F401 (serve is for the tests)

CHROMIUM = Path(loopback.CHROMIUM)

if not CHROMIUM.exists() and not os.environ.get("CI"):  # CI installs it: there a missing browser fails
    pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture
def browser_page():
    """A phone-sized page that records dialogs, page errors, console errors and requests."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.dialogs, page.errors, page.requests = [], [], []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("request", lambda request: page.requests.append(request.url))
        yield page
        browser.close()


# axe-core from npm (tests/axe/package.json; scripts/test installs it), WCAG 2.0-2.2 A and AA rules.
AXE = Path(__file__).parent / "axe/node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page, one line each. Without axe-core the test is skipped,
    except in CI (.ci/run installs npm), where it fails."""
    if not AXE.exists():
        message = "axe-core is missing: scripts/test installs it with npm (npm ci --prefix tests/axe)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})" for v in result["violations"]]
