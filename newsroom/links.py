"""Links from one article to another: they must reach a public article."""

from __future__ import annotations

import posixpath
import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from .post import Post, is_public
from .problems import Problem

_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")  # Markdown inline links: [text](target)
_ARTICLE_URL = re.compile(r"^\d{4}/\d{2}/[^/]+/$")


def check_links(posts: list[Post], now: datetime) -> list[Problem]:
    """A public article may link only to articles that exist and are public too."""
    by_url = {post.url: post for post in posts}
    by_path = {post.path: post for post in posts}
    problems = []
    for post in posts:
        if not is_public(post, now):
            continue
        for match in _LINK.finditer(post.body):
            written = match.group(1)
            line = post.lines.get("body", 1) + post.body.count("\n", 0, match.start())
            problem = _check(post, written, by_url, by_path, now)
            if problem:
                problems.append(Problem(post.path, line, "body", *problem))
    return problems


def _check(post: Post, written: str, by_url: dict, by_path: dict, now: datetime) -> tuple[str, str] | None:
    parts = urlsplit(written)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # another site, mailto:, or an anchor on this page
    if parts.path.endswith(".md"):
        target = by_path.get(posixpath.normpath(posixpath.join(posixpath.dirname(post.path), parts.path)))
        if target is None:
            return f'links to "{written}", which is not an article file', "link to the article's address, e.g. /2022/04/ten-bai/"
        return f'links to the file "{written}"', f"link to its address instead: /{target.url}"
    url = urljoin("/" + post.url, parts.path).lstrip("/")
    if not _ARTICLE_URL.match(url):
        return None  # a listing or a static page: MkDocs and the crawl tests cover those
    target = by_url.get(url)
    if target is None:
        return f'links to /{url}, which is no article', "check the address; an article's address is /YYYY/MM/slug/"
    if not is_public(target, now):
        return f"links to /{url}, which is {target.status(now)} ({target.path})", "publish that article first, or remove the link"
    return None
