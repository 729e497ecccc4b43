"""The site's URL layout, in one place. URLs are relative to the site root."""

from __future__ import annotations

HOME = ""
AGENCIES = "co-quan/"
TOPICS = "chu-de/"
AUTHORS = "tac-gia/"
ARCHIVE = "luu-tru/"
FOLLOW = "theo-doi/"
PAGE = "trang/{}/"  # page 2 onwards of any listing
FEED = "atom.xml"
SITEMAP = "sitemap.xml"


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
