"""What a reader's phone downloads and waits for on each page type: transfer and Largest Contentful Paint.

    scripts/pageweight [SITE_DIR]        (default: site/, built by scripts/build)

Each page type (newsroom.pagetypes) is opened with an empty cache in headless
Chromium at 390×844, on Chrome DevTools' "Fast 3G" profile (562.5 ms latency,
about 1.4 Mbit/s down) with the CPU slowed 4×, served gzipped as a static host
would (newsroom.loopback). Reported per page: kilobytes transferred without
pictures (HTML, CSS, JS, fonts) and with them, the number of requests, and LCP.
Budgets (issue "Readers"): an article at most 150 KB without pictures, LCP at most 2.5 s.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import pagetypes
from .loopback import CHROMIUM, CHROMIUM_ARGS, serve

FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
           "uploadThroughput": 750 * 1024 / 8 * 0.9}
CPU_SLOWDOWN = 4
_LCP = """() => new Promise(resolve => {
  new PerformanceObserver(list => { const e = list.getEntries(); resolve(e[e.length - 1].startTime); })
    .observe({type: 'largest-contentful-paint', buffered: true});
  setTimeout(() => resolve(null), 3000);
})"""


def measure(site_dir: Path, kinds: list[str] | None = None, prefix: str = "/") -> dict[str, dict]:
    """``prefix``: the path of the site's address (site_url), where it is served."""
    from playwright.sync_api import sync_playwright  # only this measurement needs a browser

    found = pagetypes.find(site_dir)
    results = {}
    with serve(site_dir, prefix) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind in kinds or list(found):
            context = browser.new_context(viewport={"width": 390, "height": 844})  # an empty cache each time
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", FAST_3G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            sizes = []
            page.on("requestfinished", lambda r: sizes.append((r.resource_type, r.sizes()["responseBodySize"])))
            page.goto(base + found[kind], wait_until="load", timeout=120000)
            lcp = page.evaluate(_LCP)
            page.wait_for_load_state("networkidle", timeout=120000)
            results[kind] = {
                "kb": round(sum(size for kind_, size in sizes if kind_ != "image") / 1024, 1),
                "kb_with_pictures": round(sum(size for _, size in sizes) / 1024, 1),
                "requests": len(sizes),
                "lcp_ms": round(lcp) if lcp is not None else None,
            }
            context.close()
        browser.close()
    return results


def main() -> None:
    parser = pagetypes.argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--kind", action="append", help="only this page type (repeatable), e.g. article")
    args = pagetypes.parse_built(parser)
    for kind, figures in measure(args.site_dir, args.kind, args.prefix).items():
        print(json.dumps({"page": kind, **figures}, ensure_ascii=False))


if __name__ == "__main__":
    main()
