"""Every internal link and asset reference in a built site leads to a file: checked offline.

Reads the output, not the sources: what the templates, Material and the page
writer produced, under the site's sub-path too (``site_url``'s path). A link
is internal when it resolves to ``site_url``'s host and path, relative or
absolute; every other http(s) address is external, listed, never fetched (CI
must not depend on, or knock on, other servers).

HTML is read with the standard library's tokenizer (``html.parser``): it only
has to find attributes, and the command runs where only the build's own
dependencies are installed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .problems import Problem

# (tag, attribute) pairs that name another resource; srcset holds several.
REFERENCES = {
    ("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("img", "srcset"),
    ("source", "src"), ("source", "srcset"), ("iframe", "src"), ("video", "src"), ("video", "poster"),
    ("audio", "src"), ("track", "src"), ("embed", "src"), ("object", "data"), ("form", "action"),
}
# Not addresses of files: the page's own fragments, mail, phone, inline data.
SKIPPED = ("#", "mailto:", "tel:", "data:", "javascript:", "sms:")
_LOC = re.compile(r"<loc>([^<]+)</loc>")


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    checked: int = 0  # internal references resolved
    pages: int = 0


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if tag == "base" and name == "href":
                self.base = value
            elif (tag, name) in REFERENCES:
                values = _srcset(value) if name == "srcset" else [value]
                self.found += [(v, self.getpos()[0]) for v in values if v]

    handle_startendtag = handle_starttag


def _srcset(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


def check_site(site_dir: Path, site_url: str) -> Report:
    """Problems with every page's internal references (and the sitemap's), and the external addresses."""
    root = _root(site_url)
    report = Report()
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        if relative.startswith("pagefind/"):  # Pagefind's own UI files, not pages
            continue
        report.pages += 1
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        address = urljoin(root, relative[:-len("index.html")] if relative.endswith("index.html") else relative)
        base = urljoin(address, parser.base) if parser.base else address
        for ref, line in parser.found:
            _check(site_dir, root, relative, line, ref, urljoin(base, ref.strip()), report)
    sitemap = site_dir / "sitemap.xml"
    if sitemap.is_file():
        for number, line in enumerate(sitemap.read_text(encoding="utf-8").splitlines(), 1):
            for loc in _LOC.findall(line):
                _check(site_dir, root, "sitemap.xml", number, loc, loc.strip(), report)
    return report


def _root(site_url: str) -> str:
    parts = urlsplit(site_url or "http://localhost/")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/"


def _check(site_dir: Path, root: str, page: str, line: int, ref: str, absolute: str, report: Report) -> None:
    if ref.strip().lower().startswith(SKIPPED) or not ref.strip():
        return
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https"):
        return
    here = f"{parts.scheme}://{parts.netloc}{parts.path}"
    root_parts = urlsplit(root)
    if parts.netloc.lower() != root_parts.netloc.lower():
        report.external.add(absolute)
        return
    report.checked += 1
    if not (here + "/").startswith(root) and here != root.rstrip("/"):
        report.problems.append(Problem(page, line, "link", f'"{ref}" points outside the site\'s path {root_parts.path}',
                                       "links within the site are relative, or start with site_url"))
        return
    target = _file(site_dir, unquote(here[len(root):]) if len(here) >= len(root) else "")
    if target is None:
        report.problems.append(Problem(page, line, "link", f'"{ref}" leads to no file in the built site'))


def _file(site_dir: Path, path: str) -> Path | None:
    """The file a static host would serve for ``path`` (a folder's index.html), or None."""
    if ".." in path.split("/"):
        return None
    candidate = site_dir / path
    if path == "" or path.endswith("/"):
        candidate = candidate / "index.html"
    elif candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() and os.path.realpath(candidate).startswith(os.path.realpath(site_dir)) else None
