"""Links from one article to another: they must reach a public article.

The links are the ``href`` of every ``<a>`` in the article's HTML, so inline
and reference links, raw ``<a href>`` and autolinks are all checked, in any
form that reaches the same page (see ``urls.site_path``).
"""

from __future__ import annotations

import posixpath
import re
from datetime import datetime
from urllib.parse import unquote, urlsplit

from . import sources, urls
from .post import Post, is_public
from .problems import Problem

_ARTICLE_URL = re.compile(r"^\d{4}/\d{2}/[^/]+/$")


def check_links(posts: list[Post], now: datetime, site_url: str = "", only: list[Post] | None = None) -> list[Problem]:
    """A public article may link only to articles that exist and are public too.

    ``only``: check these articles' links (among ``posts``), not every article's.
    """
    linking = [post for post in (posts if only is None else only) if post.links and is_public(post, now)]
    if not linking:
        return []
    by_url = {post.url: post for post in posts}
    by_path = {post.path: post for post in posts}
    problems = []
    for post in linking:
        for written, line in post.links:
            problem = _check(post, written, by_url, by_path, now, site_url)
            if problem:
                problems.append(Problem(post.path, line, "body", *problem))
    return problems


def _check(post: Post, written: str, by_url: dict, by_path: dict, now: datetime, site_url: str) -> tuple[str, str] | None:
    parts = urlsplit(written.strip())
    if not parts.scheme and not parts.netloc and unquote(parts.path).lower().endswith(sources.SUFFIXES):
        file = posixpath.normpath(posixpath.join(posixpath.dirname(post.path), unquote(parts.path)))
        target = by_path.get(file)
        if target is None:
            return f'links to "{written}", which is not an article file', "link to the article's address, e.g. /2022/04/ten-bai/"
        return f'links to the file "{written}"', f"link to its address instead: /{target.url}"
    url = urls.site_path(site_url, post.url, written)
    if url is None or not _ARTICLE_URL.match(url):
        return None  # another site, or a listing or a static page: MkDocs and the crawl tests cover those
    target = by_url.get(url)
    if target is None:
        return f'links to /{url}, which is no article', "check the address; an article's address is /YYYY/MM/slug/"
    if not is_public(target, now):
        return f"links to /{url}, which is {target.status(now)} ({target.path})", "publish that article first, or remove the link"
    return None
