"""Phone and desktop screenshots of every page type of a built site, to look at what readers see.

    scripts/screenshots [SITE_DIR] [OUT_DIR]      (defaults: site/ and screenshots/)

Each page type (newsroom.pagetypes) at 390×844 (phone) and 1366×900 (desktop),
the whole page, in headless Chromium, served on loopback at site_url's path.
"""

from __future__ import annotations

from pathlib import Path

from . import pagetypes
from .loopback import CHROMIUM, CHROMIUM_ARGS, serve

SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


def take(site_dir: Path, out_dir: Path, prefix: str = "/") -> list[Path]:
    """``prefix``: the path of the site's address (site_url), where it is served."""
    from playwright.sync_api import sync_playwright  # only screenshots need a browser

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site_dir, prefix) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, address in pagetypes.find(site_dir).items():
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base + address)
                page.wait_for_load_state("networkidle")
                target = out_dir / f"{kind}-{size}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                page.close()
        browser.close()
    return written


def main() -> None:
    parser = pagetypes.argument_parser(__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="screenshots", type=Path)
    args = pagetypes.parse_built(parser)
    for path in take(args.site_dir, args.out_dir, args.prefix):
        print(path)


if __name__ == "__main__":
    main()
