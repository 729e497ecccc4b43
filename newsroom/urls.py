"""The site's URL layout, in one place. URLs are relative to the site root."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from . import text

HOME = ""
AGENCIES = "co-quan/"
TOPICS = "chu-de/"
AUTHORS = "tac-gia/"
ARCHIVE = "luu-tru/"
FOLLOW = "theo-doi/"
SEARCH = "tim-kiem/"
PAGE = "trang/{}/"  # page 2 onwards of any listing
FEED = "atom.xml"
SITEMAP = "sitemap.xml"
SITE_FILES = (SITEMAP, SITEMAP + ".gz", "robots.txt")  # written by the build beside the pages


def post(year: int, month: int, slug: str) -> str:
    return f"{year:04}/{month:02}/{slug}/"


def post_month(url: str) -> tuple[int, int]:
    """The year and month an article's URL (``post``) begins with."""
    year, month = url.split("/", 2)[:2]
    return int(year), int(month)


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
# As long as a slug made from a title (text.SLUG_MAX): a folder name far
# longer than that is refused by the file system (255 bytes) or by old tools.
SEGMENT_MAX = text.SLUG_MAX


def is_segment(slug: str) -> bool:
    """Whether ``slug`` is one safe, non-empty URL segment (no dots, slashes or spaces), at most ``SEGMENT_MAX`` long."""
    return len(slug) <= SEGMENT_MAX and bool(_SEGMENT.match(slug))


def local_path(page_url: str, src: str, site_url: str = "") -> str:
    """The site path that ``src``, written on the page at ``page_url``, points to; "" for another site's."""
    return (reached(site_url, page_url, src) or "").lstrip("/")


def site_path(site_url: str, page_url: str, href: str) -> str | None:
    """The path under the site root that a link on ``page_url`` reaches, in the form the
    site's own URLs take ("2022/04/x/"); None for a link elsewhere (another site, mailto:).

    Absolute links on the site's own host, "index.html", a missing trailing
    slash, percent-escapes and letter case all lead to the same page.
    """
    path = reached(site_url, page_url, href)
    if not path:
        return None  # another site, or an anchor on this page
    path = path.lstrip("/").lower()
    if path.endswith(("/index.html", "/index.htm")) or path in ("index.html", "index.htm"):
        path = path.rsplit("index.htm", 1)[0]
    path = path.strip("/")
    return path + "/" if path and not path.endswith(".md") else path


# Browsers drop tabs and newlines anywhere in a URL and C0 controls and spaces
# around it, and read "\\" as "/" in http(s) and relative URLs.
URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_URL_EDGES = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def scheme(url: str) -> str:
    """The URL's scheme as a browser reads it ("" for a relative URL)."""
    match = _SCHEME.match(URL_NOISE.sub("", url).strip(_URL_EDGES))
    return match.group(1).lower() if match else ""


def reached(site_url: str, page_url: str, href: str) -> str | None:
    """The decoded path ("/2022/04/x/") on this site that ``href`` on ``page_url`` reaches,
    read as a browser reads it (WHATWG URL); None for another site or scheme, "" for an anchor.

    "https:/x/" on an https site and "///host/x/" are this site's and that host's,
    whatever Python's ``urlsplit`` makes of them.
    """
    href = URL_NOISE.sub("", href).strip(_URL_EDGES).replace("\\", "/")
    site = urlsplit(site_url)
    rest = href
    if match := _SCHEME.match(href):
        scheme, rest = match.group(1).lower(), href[match.end():]
        if scheme not in ("http", "https"):
            return None
        if scheme != (site.scheme.lower() or "https"):
            rest = "//" + rest.lstrip("/")  # another scheme always names its host
    if rest.startswith("//"):
        parts = urlsplit("//" + rest.lstrip("/"))
        if _host(parts.netloc) != _host(site.netloc):
            return None
        prefix = site.path.rstrip("/") + "/"
        if not (parts.path + "/").startswith(prefix):
            return None
        page_url, path = "", "/" + parts.path[len(prefix):]
    else:
        path = urlsplit(rest).path
        if not path:
            return ""  # an anchor or a query on this page
    return posixpath.normpath(unquote(urljoin("/" + page_url, path)))


def _host(netloc: str) -> str:
    """The host a browser connects to: no user or port, escapes decoded, IDNA-mapped, no final dot."""
    host = unquote(netloc.rpartition("@")[2])
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return host.lower().rstrip(".")


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
