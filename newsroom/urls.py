"""The site's URL layout, in one place. URLs are relative to the site root."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HOME = ""
AGENCIES = "co-quan/"
TOPICS = "chu-de/"
AUTHORS = "tac-gia/"
ARCHIVE = "luu-tru/"
FOLLOW = "theo-doi/"
PAGE = "trang/{}/"  # page 2 onwards of any listing
FEED = "atom.xml"
SITEMAP = "sitemap.xml"
SITE_FILES = (SITEMAP, SITEMAP + ".gz", "robots.txt")  # written by the build beside the pages


def post(year: int, month: int, slug: str) -> str:
    return f"{year:04}/{month:02}/{slug}/"


def year(year: int) -> str:
    return f"{year:04}/"


def month(year: int, month: int) -> str:
    return f"{year:04}/{month:02}/"


def page(base: str, number: int) -> str:
    """The URL of page ``number`` of the listing at ``base``."""
    return base if number == 1 else base + PAGE.format(number)


def source(url: str) -> str:
    """The virtual Markdown file whose directory URL is ``url``."""
    return url + "index.md"


def feed(base: str) -> str:
    """The Atom feed of the listing at ``base``."""
    return base + FEED


def absolute(site_url: str, url: str) -> str:
    """``url`` (relative to the site root, or already absolute) under ``site_url``."""
    if "://" in url:
        return url
    return site_url.rstrip("/") + "/" + url.lstrip("/")


# One URL segment we generate: lower-case ASCII words joined by hyphens.
_SEGMENT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_segment(slug: str) -> bool:
    """Whether ``slug`` is one safe, non-empty URL segment (no dots, slashes or spaces)."""
    return bool(_SEGMENT.match(slug))


def local_path(page_url: str, src: str) -> str:
    """The site path that ``src``, written on the page at ``page_url``, points to; "" for another site's."""
    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return ""
    return posixpath.normpath(unquote(urljoin("/" + page_url, parts.path))).lstrip("/")


def site_path(site_url: str, page_url: str, href: str) -> str | None:
    """The path under the site root that a link on ``page_url`` reaches, in the form the
    site's own URLs take ("2022/04/x/"); None for a link elsewhere (another site, mailto:).

    Absolute links on the site's own host, "index.html", a missing trailing
    slash, percent-escapes and letter case all lead to the same page.
    """
    parts = urlsplit(href.strip())
    path = parts.path
    if parts.scheme or parts.netloc:
        site = urlsplit(site_url)
        if parts.scheme not in ("", "http", "https") or (parts.hostname or "") != (site.hostname or ""):
            return None
        prefix = site.path.rstrip("/") + "/"
        if not (path + "/").startswith(prefix):
            return None
        path = "/" + path[len(prefix):]
    elif not path:
        return None  # an anchor on this page
    path = posixpath.normpath(unquote(urljoin("/" + page_url, path))).lstrip("/").lower()
    if path.endswith(("/index.html", "/index.htm")) or path in ("index.html", "index.htm"):
        path = path.rsplit("index.htm", 1)[0]
    path = path.strip("/")
    return path + "/" if path and not path.endswith(".md") else path


def inside(site_dir: Path, url: str, name: str = "") -> Path:
    """The file ``url + name`` under ``site_dir``; refuses any path that could leave it.

    Slugs are checked long before, so this is the last line of defence: every
    part must be a plain name (no "", ".", ".." or backslash).
    """
    relative = url + name
    parts = relative.split("/")
    if not relative or any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts):
        raise ValueError(f'refusing to write "{relative}": not a plain path inside {site_dir}')
    return site_dir.joinpath(*parts)
