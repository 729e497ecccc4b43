"""One address of each kind of page a reader meets, found in a built site.

Used by the accessibility tests and by ``scripts/screenshots``: whatever the
articles, both look at every page type, not at a list that goes stale.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from . import urls

# (name, pattern of a page's folder relative to site/); the first match in sorted order is taken.
KINDS = (
    ("article", r"\d{4}/\d{2}/(?!trang/)[^/]+"),
    ("month", r"\d{4}/\d{2}"),
    ("year", r"\d{4}"),
    ("agency", re.escape(urls.AGENCIES.strip("/")) + r"/[^/]+"),
    ("topic", re.escape(urls.TOPICS.strip("/")) + r"/[^/]+"),
    ("author", re.escape(urls.AUTHORS.strip("/")) + r"/[^/]+"),
)
FIXED = (
    ("home", urls.HOME),
    ("agencies", urls.AGENCIES),
    ("topics", urls.TOPICS),
    ("authors", urls.AUTHORS),
    ("archive", urls.ARCHIVE),
    ("follow", urls.FOLLOW),
    ("search", urls.SEARCH + "?q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh"),  # "quyết định"
    ("about", "gioi-thieu/"),
    ("english", "en/"),
    ("not-found", "404.html"),  # what the host serves for a missing address
)


def find(site_dir: Path) -> dict[str, str]:
    """Page kind -> its address relative to the site's root (e.g. ``"2022/04/ky-ket/"``)."""
    folders = sorted(p.parent.relative_to(site_dir).as_posix() for p in site_dir.glob("**/index.html"))
    found = dict(FIXED)
    for name, pattern in KINDS:
        match = next((f for f in folders if re.fullmatch(pattern, f)), None)
        if match is not None:
            found[name] = match + "/"
    articles = (f for f in folders if re.fullmatch(KINDS[0][1], f))
    pictured = next((f for f in articles if 'class="nr-figure"' in (site_dir / f / "index.html").read_text(encoding="utf-8")), None)
    if pictured is not None:  # an article with its lead picture: the picture is what a phone waits for
        found["article-picture"] = pictured + "/"
    return found


def argument_parser(description: str) -> argparse.ArgumentParser:
    """For the scripts that look at a built site: SITE_DIR (default site/) and --prefix."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("site_dir", nargs="?", default="site", type=Path)
    parser.add_argument("--prefix", default="/", help="the path of site_url, e.g. /cong/ (default /)")
    return parser


def parse_built(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The arguments, once SITE_DIR is known to hold a built site."""
    args = parser.parse_args()
    if not (args.site_dir / "index.html").is_file():
        parser.error(f"{args.site_dir} holds no built site: run scripts/build first")
    return args
