"""Every page the build generates, planned from the collection.

A ``PageSpec`` says where a page goes, which template renders it and the
objects that template reads. Templates never read files themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import search, urls
from .collection import Collection
from .feeds import Feed
from .pagination import Page, paginate
from .post import Author, Post
from .problems import Problem, Problems
from .registry import Registry, Term
from .schema import Registries

ARTICLE, LISTING, TERMS, AUTHORS, ARCHIVE, FOLLOW, SEARCH = (
    "article.html", "listing.html", "terms.html", "authors.html", "archive.html", "follow.html", "search.html",
)


@dataclass
class PageSpec:
    url: str
    template: str
    title: str
    description: str = ""
    post: Post | None = None
    listing: Page[Post] | None = None
    term: Term | None = None
    author: Author | None = None
    feed_url: str = ""  # the Atom feed that follows this page, if any
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def src_uri(self) -> str:
        return urls.source(self.url)

    @property
    def last_change(self) -> str | None:
        """For the sitemap: when the article, or the newest one listed, last changed."""
        posts = [self.post] if self.post else list(self.listing.items) if self.listing else []
        if not posts:
            return None
        return max((p.last_change for p in posts), key=lambda d: d.moment).w3c

    @property
    def searchable(self) -> bool:
        """Only articles go into the search index."""
        return self.template == ARTICLE


def plan(collection: Collection, registries: Registries, feeds: list[Feed], per_page: int, site_description: str = "") -> list[PageSpec]:
    specs = [_article(post) for post in collection.posts]
    home_posts = [p for p in collection.posts if not p.pinned]
    specs += _listing(home_posts, urls.HOME, "Trang chủ", per_page, description=site_description)
    specs.append(PageSpec(urls.FOLLOW, FOLLOW, "Theo dõi tin", extra={"feeds": feeds}))
    specs.append(PageSpec(urls.SEARCH, SEARCH, "Tìm kiếm", extra={"years": search.years(collection.posts)}))
    specs += _terms(collection, registries.agencies, urls.AGENCIES, "Cơ quan, đơn vị", per_page)
    specs += _terms(collection, registries.topics, urls.TOPICS, "Chủ đề", per_page)
    specs += _authors(collection, per_page)
    specs += _archive(collection, per_page)
    # A listing links the feed that follows it, whichever page of it this is.
    feed_of = {feed.page_url: feed.url for feed in feeds}
    for spec in specs:
        if spec.listing is not None:
            spec.feed_url = feed_of.get(spec.listing.base, "")
    return specs


def _article(post: Post) -> PageSpec:
    # No Markdown here: an article's body is the sanitized HTML on the post (newsroom.body).
    return PageSpec(post.url, ARTICLE, post.title, description=post.summary, post=post)


def _listing(posts: list[Post], base: str, title: str, per_page: int, **kwargs: Any) -> list[PageSpec]:
    pages = paginate(posts, base, per_page)
    return [
        PageSpec(page.url, LISTING, title if page.number == 1 else f"{title} (trang {page.number})", listing=page, **kwargs)
        for page in pages
    ]


def _terms(collection: Collection, registry: Registry, base: str, title: str, per_page: int) -> list[PageSpec]:
    specs = [PageSpec(base, TERMS, title, extra={"registry": registry})]
    for term in registry.terms:
        posts = collection.by_term.get(term, [])
        specs += _listing(posts, term.url, term.name, per_page, term=term, description=term.description)
    return specs


def _authors(collection: Collection, per_page: int) -> list[PageSpec]:
    authors = sorted(collection.authors.values(), key=lambda a: a.slug)
    specs = [PageSpec(urls.AUTHORS, AUTHORS, "Tác giả", extra={"authors": authors})]
    for author in authors:
        specs += _listing(collection.by_author[author.slug], author.url, author.name, per_page, author=author)
    return specs


def _archive(collection: Collection, per_page: int) -> list[PageSpec]:
    """Year and month listings, and the archive index that links them."""
    years = []
    specs: list[PageSpec] = []
    for year in sorted(collection.by_year, reverse=True):
        months = sorted((m for (y, m) in collection.by_month if y == year), reverse=True)
        entry = ArchiveEntry(f"Năm {year}", urls.year(year), len(collection.by_year[year]))
        specs += _listing(collection.by_year[year], entry.url, entry.label, per_page)
        for month in months:
            posts = collection.by_month[(year, month)]
            entry.months.append(ArchiveEntry(f"Tháng {month}", urls.month(year, month), len(posts)))
            specs += _listing(posts, urls.month(year, month), f"Tháng {month}/{year}", per_page)
        years.append(entry)
    return [PageSpec(urls.ARCHIVE, ARCHIVE, "Lưu trữ", extra={"years": years}), *specs]


@dataclass
class ArchiveEntry:
    label: str
    url: str
    count: int
    months: list[ArchiveEntry] = field(default_factory=list)


def check_unique(specs: list[PageSpec], feed_plans: list[Feed]) -> None:
    """Raises ``Problems`` when two pages or feeds would be written at one URL.

    Slugs are checked to be unique long before; this is the last defence, so
    no page can silently replace another.
    """
    claimed: dict[str, str] = {}
    problems = []
    pages = [(s.url, _owner(s), s.post.path if s.post else "mkdocs.yml", _line(s)) for s in specs]
    feeds = [(f.url, f"the feed {f.title}", "mkdocs.yml", 1) for f in feed_plans]
    for url, owner, where, line in pages + feeds:
        if url in claimed:
            problems.append(Problem(where, line, "url", f"/{url} would be written twice: by {claimed[url]} and by {owner}", "give one of them another slug"))
        claimed.setdefault(url, owner)
    if problems:
        raise Problems(problems)


def _owner(spec: PageSpec) -> str:
    if spec.post is not None:
        return spec.post.path
    return f'the page "{spec.title}"'


def _line(spec: PageSpec) -> int:
    return spec.post.lines.get("slug", spec.post.lines.get("title", 1)) if spec.post is not None else 1
