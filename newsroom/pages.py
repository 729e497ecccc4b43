"""Every page the build generates, planned from the collection.

A ``PageSpec`` says where a page goes, which template renders it and the
objects that template reads. Templates never read files themselves.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Sequence

from . import feeds as feeds_module, search, urls
from .collection import ANNOUNCEMENTS, Collection, lineage
from .feeds import Feed
from .pagination import Page, paginate
from .post import Author, Post
from .problems import Problem, Problems
from .registry import Registry, Term
from .schema import Registries

ARTICLE, LISTING, TERMS, AUTHORS, ARCHIVE, FOLLOW, SEARCH, HOME = (
    "article.html", "listing.html", "terms.html", "authors.html", "archive.html", "follow.html", "search.html", "home.html",
)
# Each box on the home page shows at most this many articles (topics: this many
# sections), so the page weighs the same whatever the size of the archive.
HOME_PINNED, HOME_NOTICES, HOME_TOPICS, HOME_PER_TOPIC = 3, 5, 4, 4
# The feeds page, one group per kind of feed, in this order.
FEED_GROUPS = (
    (feeds_module.SITE, "Toàn trang"),
    (feeds_module.NOTICES, "Thông báo"),
    (feeds_module.AGENCY, "Theo cơ quan, đơn vị"),
    (feeds_module.TOPIC, "Theo chủ đề"),
    (feeds_module.AUTHOR, "Theo tác giả"),
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


@dataclass
class SitePlan:
    """Every page and feed of one collection, and the search bundles (none in a preview)."""

    feeds: list[Feed]
    search_bundles: dict[str, list[int]]
    specs: list[PageSpec]


def plan_site(collection: Collection, registries: Registries, per_page: int, site_description: str, bundle_size: int | None) -> SitePlan:
    """The whole plan; raises ``Problems`` when two pages or feeds would share a URL.

    ``bundle_size`` None: no search index (a preview), and the search page says so.
    """
    feed_plans = feeds_module.plan_feeds(collection, registries)
    bundles = search.bundles(collection.posts, bundle_size) if bundle_size is not None else {}
    specs = plan(collection, registries, feed_plans, per_page, site_description, bundles)
    if bundle_size is None:
        next(spec for spec in specs if spec.template == SEARCH).extra["preview"] = True
    check_unique(specs, feed_plans)
    return SitePlan(feed_plans, bundles, specs)


def with_swaps(plan: SitePlan, swaps: dict[Post, Post]) -> tuple[SitePlan, dict[int, PageSpec]]:
    """``plan`` with each old post in ``swaps`` replaced by its new version, listed where the old one was
    (``collection.same_place``): what ``plan_site`` gives for the new collection, without planning every page.

    A preview's update after an editor changed an article's text. Also returns the specs that changed, by
    the id of the spec they replace.
    """
    changed: dict[int, PageSpec] = {}
    specs = []
    bases = {base for post in swaps for base in _listed_on(post)}
    for spec in plan.specs:
        new = _swapped_spec(spec, swaps, bases)
        if new is not spec:
            changed[id(spec)] = new
        specs.append(new)
    return SitePlan([_swapped(feed, swaps) for feed in plan.feeds], plan.search_bundles, specs), changed


def _listed_on(post: Post) -> set[str]:
    """The listings ``plan`` puts ``post`` on (their first pages' URLs): the latest news, its agencies and
    topics and every body above them, its authors, its year and month."""
    terms = {t for term in post.terms for t in lineage(term)}
    return {urls.HOME, *(term.url for term in terms), *(author.url for author in post.authors),
            urls.year(post.date.year), urls.month(post.date.year, post.date.month)}


def _swapped_spec(spec: PageSpec, swaps: dict[Post, Post], bases: set[str]) -> PageSpec:
    if spec.post is not None:  # an article page: its title and description are the article's
        return _article(swaps[spec.post]) if spec.post in swaps else spec
    listing = spec.listing
    listed = listing is not None and listing.base in bases and not swaps.keys().isdisjoint(listing.items)
    if listed or spec.template in (HOME, FOLLOW):  # the only extras that hold articles: the front page's boxes, the feeds
        return _swapped(spec, swaps)
    return spec


def _swapped(value: Any, swaps: dict[Post, Post]) -> Any:
    """``value`` with the posts in ``swaps`` replaced, rebuilt only where one was (the same object otherwise)."""
    if isinstance(value, Post):
        return swaps.get(value, value)
    if isinstance(value, (list, tuple)):
        items = [_swapped(item, swaps) for item in value]
        return value if all(a is b for a, b in zip(items, value)) else type(value)(items)
    if isinstance(value, dict):
        items = {key: _swapped(item, swaps) for key, item in value.items()}
        return value if all(items[key] is item for key, item in value.items()) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, (Term, type)):
        found = {f.name: _swapped(getattr(value, f.name), swaps) for f in dataclasses.fields(value)}
        changed = {name: item for name, item in found.items() if item is not getattr(value, name)}
        return dataclasses.replace(value, **changed) if changed else value
    return value


def plan(
    collection: Collection, registries: Registries, feeds: list[Feed], per_page: int, site_description: str = "",
    search_bundles: dict[str, list[int]] | None = None,
) -> list[PageSpec]:
    """Every page; ``search_bundles`` (newsroom.search.bundles) tells the search page where the index is."""
    specs = [_article(post) for post in collection.posts]
    agencies = term_tree(collection, registries.agencies.roots)
    home_posts = [p for p in collection.posts if not p.pinned]
    home = _listing(home_posts, urls.HOME, "Trang chủ", per_page, description=site_description)
    home[0].template = HOME  # page 1 is the front page; pages 2.. list the latest as any listing does
    home[0].extra["home"] = _home(collection, registries, home[0].listing, agencies)
    for spec in home[1:]:
        spec.title = f"Tin mới (trang {spec.listing.number})"
    specs += home
    specs.append(PageSpec(urls.FOLLOW, FOLLOW, "Theo dõi tin", extra={"feeds": feeds, "groups": feed_groups(feeds)}))
    specs.append(PageSpec(urls.SEARCH, SEARCH, "Tìm kiếm", extra={"bundles": search_bundles or {}}))
    specs += _terms(collection, registries.agencies, agencies, urls.AGENCIES, "Cơ quan, đơn vị", per_page)
    specs += _terms(collection, registries.topics, term_tree(collection, registries.topics.roots), urls.TOPICS, "Chủ đề", per_page)
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


@dataclass
class TermEntry:
    """An agency or topic on an index page: its articles (its subordinate bodies' included) and its listed children."""

    term: Term
    count: int
    children: list[TermEntry]


def term_tree(collection: Collection, terms: Sequence[Term]) -> list[TermEntry]:
    """``terms`` and their children in registry order, leaving out those without public articles.

    A parent counts its children's articles, so a parent left out has no child to show.
    """
    entries = []
    for term in terms:
        count = collection.count_under(term)
        if count:
            entries.append(TermEntry(term, count, term_tree(collection, term.children)))
    return entries


def _terms(collection: Collection, registry: Registry, entries: list[TermEntry], base: str, title: str, per_page: int) -> list[PageSpec]:
    specs = [PageSpec(base, TERMS, title, extra={"registry": registry, "entries": entries})]
    for term in registry.terms:  # every term keeps its page (and feed), listed or not
        specs += _listing(collection.under(term), term.url, term.name, per_page, term=term, description=term.description)
    return specs


def feed_groups(feeds: list[Feed]) -> list[tuple[str, list[Feed]]]:
    """The feeds worth following (those with articles), grouped by what they follow."""
    groups = [(label, [f for f in feeds if f.kind == kind and f.posts]) for kind, label in FEED_GROUPS]
    return [(label, members) for label, members in groups if members]


@dataclass
class Home:
    """What the front page shows besides the latest news: a fixed number of items in each box."""

    lead: Post | None  # the newest article that is not pinned
    latest: Sequence[Post]  # the rest of page 1 of the latest news
    pinned: list[Post]
    notices: Term | None  # the announcements' topic, when it has public articles
    notice_posts: list[Post]
    sections: list[tuple[Term, list[Post]]]  # main topics, in registry order
    agencies: list[TermEntry]  # top-level agencies with articles


def _home(collection: Collection, registries: Registries, first: Page[Post], agencies: list[TermEntry]) -> Home:
    notices = registries.topics.by_slug.get(ANNOUNCEMENTS)
    notice_posts = collection.under(notices)[:HOME_NOTICES] if notices else []
    return Home(
        lead=first.items[0] if first.items else None,
        latest=first.items[1:],
        pinned=collection.pinned[:HOME_PINNED],
        notices=notices if notice_posts else None,
        notice_posts=notice_posts,
        sections=[(topic, collection.under(topic)[:HOME_PER_TOPIC]) for topic in main_topics(collection, registries.topics)],
        agencies=agencies,
    )


def main_topics(collection: Collection, topics: Registry, limit: int = HOME_TOPICS) -> list[Term]:
    """The ``limit`` topics with the most public articles (announcements have their own box), in registry order.

    Ties go to the topic written first in the registry, so editors order them there.
    """
    candidates = [t for t in topics.terms if t.slug != ANNOUNCEMENTS and collection.count_under(t)]
    chosen = set(sorted(candidates, key=lambda t: -collection.count_under(t))[:limit])  # sorted() is stable
    return [t for t in candidates if t in chosen]


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
    neighbours = month_neighbours(collection.by_month)
    for year in sorted(collection.by_year, reverse=True):
        months = sorted((m for (y, m) in collection.by_month if y == year), reverse=True)
        entry = ArchiveEntry(f"Năm {year}", urls.year(year), len(collection.by_year[year]))
        specs += _listing(collection.by_year[year], entry.url, entry.label, per_page)
        for month in months:
            posts = collection.by_month[(year, month)]
            entry.months.append(ArchiveEntry(f"Tháng {month}", urls.month(year, month), len(posts)))
            for spec in _listing(posts, urls.month(year, month), f"Tháng {month}/{year}", per_page):
                spec.extra["months"] = neighbours[(year, month)]
                specs.append(spec)
        years.append(entry)
    return [PageSpec(urls.ARCHIVE, ARCHIVE, "Lưu trữ", extra={"years": years}), *specs]


def month_neighbours(months: dict[tuple[int, int], list[Post]]) -> dict[tuple[int, int], tuple[ArchiveEntry | None, ArchiveEntry | None]]:
    """For each month with articles, the nearest earlier and later months with articles (None at either end)."""
    ordered = sorted(months)
    entries = [ArchiveEntry(f"Tháng {m}/{y}", urls.month(y, m), len(months[(y, m)])) for (y, m) in ordered]
    return {
        month: (entries[i - 1] if i > 0 else None, entries[i + 1] if i + 1 < len(entries) else None)
        for i, month in enumerate(ordered)
    }


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
    claimed: dict[str, PageSpec | Feed] = {}
    problems = []
    for item in [*specs, *feed_plans]:  # owners are named only for a clash: a preview checks every update
        first = claimed.setdefault(item.url, item)
        if first is not item:
            where, line = (item.post.path, _line(item)) if isinstance(item, PageSpec) and item.post else ("mkdocs.yml", 1)
            problems.append(Problem(where, line, "url", f"/{item.url} would be written twice: by {_owner(first)} and by {_owner(item)}",
                                    "give one of them another slug"))
    if problems:
        raise Problems(problems)


def _owner(item: PageSpec | Feed) -> str:
    if isinstance(item, Feed):
        return f"the feed {item.title}"
    if item.post is not None:
        return item.post.path
    return f'the page "{item.title}"'


def _line(spec: PageSpec) -> int:
    return spec.post.lines.get("slug", spec.post.lines.get("title", 1)) if spec.post is not None else 1
