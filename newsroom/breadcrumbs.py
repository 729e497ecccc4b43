"""Where a page sits, for readers: the breadcrumb trail and the menu section it belongs to.

Trang chủ › Cơ quan, đơn vị › Tỉnh ủy › Ban Tuyên giáo Tỉnh ủy, for an agency's page;
Trang chủ › (the article's first agency, else its first topic) › the article.
Built from the page's plan (``pages.PageSpec``) alone, so it costs nothing per archive size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import urls

_ARCHIVE = re.compile(r"^(\d{4})/(?:(\d{2})/)?(?:trang/\d+/)?$")


@dataclass(frozen=True)
class Trail:
    links: list[tuple[str, str]]  # (title, url) of each level above the page
    current: str  # the page's own title, not a link
    section: str  # the menu tab's URL ("" is the home tab)


def trail(spec) -> Trail | None:
    """The trail for a generated page, or None for the home page and pages outside any section."""
    home = [("Trang chủ", urls.HOME)]
    if spec.post is not None:
        post = spec.post
        first = (post.agencies or post.topics or [None])[0]
        return Trail(home + ([(first.name, first.url)] if first else []), spec.title, urls.HOME)
    if spec.term is not None:
        section, label = (urls.AGENCIES, "Cơ quan, đơn vị") if spec.url.startswith(urls.AGENCIES) else (urls.TOPICS, "Chủ đề")
        parents, parent = [], spec.term.parent
        while parent is not None and len(parents) < 10:  # registries refuse cycles; the bound is a safeguard
            parents.insert(0, (parent.name, parent.url))
            parent = parent.parent
        return Trail(home + [(label, section)] + parents, spec.term.name, section)
    if spec.author is not None:
        return Trail(home + [("Tác giả", urls.AUTHORS)], spec.author.name, urls.AUTHORS)
    match = _ARCHIVE.match(spec.url)
    if match:
        year, month = match.groups()
        above = home + [("Lưu trữ", urls.ARCHIVE)] + ([(f"Năm {year}", urls.year(int(year)))] if month else [])
        return Trail(above, f"Tháng {int(month)}/{year}" if month else f"Năm {year}", urls.ARCHIVE)
    return None
