"""Atom feeds for the whole site and for each agency, topic and author.

Built with feedgen from the same published collection as the pages, so a
post that is not public cannot reach a feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator

from . import urls
from .collection import ANNOUNCEMENTS, Collection
from .post import Post
from .schema import Registries

FEED_SIZE = 20
# What a feed follows, for the page that lists the feeds (newsroom.pages).
SITE, NOTICES, AGENCY, TOPIC, AUTHOR = "site", "announcements", "agency", "topic", "author"


@dataclass(frozen=True)
class Feed:
    url: str  # relative to the site root
    title: str
    page_url: str  # the listing this feed follows
    posts: tuple[Post, ...]
    # <updated>: its newest entry's last change; for a feed without entries the
    # site's last change, so that rebuilding the same sources gives the same bytes.
    updated: datetime
    kind: str = SITE


def plan_feeds(collection: Collection, registries: Registries) -> list[Feed]:
    # The build's clock only for a site with no article at all.
    site_changed = max((p.last_change.moment for p in collection.posts), default=collection.now)

    def feed(url: str, title: str, page_url: str, posts, kind: str) -> Feed:
        posts = tuple(posts[:FEED_SIZE])
        return Feed(url, title, page_url, posts, max((p.last_change.moment for p in posts), default=site_changed), kind)

    feeds = [feed(urls.feed(urls.HOME), "Tin mới", urls.HOME, collection.posts, SITE)]
    for term in registries.agencies.terms:  # an agency's feed follows its page: subordinate bodies' articles too
        feeds.append(feed(urls.feed(term.url), term.name, term.url, collection.under(term), AGENCY))
    for term in registries.topics.terms:
        kind = NOTICES if term.slug == ANNOUNCEMENTS else TOPIC
        feeds.append(feed(urls.feed(term.url), term.name, term.url, collection.under(term), kind))
    for slug, author in sorted(collection.authors.items()):
        feeds.append(feed(urls.feed(author.url), author.name, author.url, collection.by_author[slug], AUTHOR))
    return feeds


def render(feed: Feed, site_url: str, site_name: str) -> bytes:
    """The feed as Atom XML, entries newest first."""
    gen = FeedGenerator()
    gen.id(urls.absolute(site_url, feed.url))
    gen.title(feed.title if feed.page_url == urls.HOME else f"{feed.title} - {site_name}")
    gen.subtitle(site_name)
    gen.link(href=urls.absolute(site_url, feed.page_url), rel="alternate", type="text/html")
    gen.link(href=urls.absolute(site_url, feed.url), rel="self", type="application/atom+xml")
    gen.language("vi")
    gen.updated(feed.updated)
    # feedgen prepends each added entry; add oldest first so the feed reads newest first.
    for post in reversed(feed.posts):
        _entry(gen.add_entry(), post, site_url)
    return gen.atom_str(pretty=True)


def _entry(entry, post: Post, site_url: str) -> None:
    link = urls.absolute(site_url, post.url)
    entry.id(link)
    entry.title(post.title)
    entry.link(href=link, rel="alternate", type="text/html")
    entry.published(post.date.moment)
    entry.updated(post.last_change.moment)
    for author in post.authors:
        entry.author(name=author.name, uri=urls.absolute(site_url, author.url))
    if post.summary:
        entry.summary(post.summary)
    for term in post.terms:
        entry.category(term=term.name, scheme=urls.absolute(site_url, term.url), label=term.name)
