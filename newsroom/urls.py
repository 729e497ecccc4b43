"""The site's URL layout, in one place. URLs are relative to the site root."""

from __future__ import annotations

HOME = ""
AGENCIES = "co-quan/"
TOPICS = "chu-de/"
AUTHORS = "tac-gia/"
ARCHIVE = "luu-tru/"
PAGE = "trang/{}/"  # page 2 onwards of any listing


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
