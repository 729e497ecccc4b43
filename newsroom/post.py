"""The article model and its lifecycle."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime

from . import text, urls
from .body import Body
from .dates import PostDate
from .registry import Term

DRAFT, SCHEDULED, PUBLISHED, EXPIRED = "draft", "scheduled", "published", "expired"


@dataclass(frozen=True)
class Author:
    name: str

    @property
    def slug(self) -> str:
        return text.slugify(self.name)

    @property
    def url(self) -> str:
        return urls.AUTHORS + self.slug + "/"


@dataclass(eq=False)
class Post:
    path: str  # as shown to editors, relative to the project
    title: str
    date: PostDate
    slug: str
    body: str
    summary: str
    authors: tuple[Author, ...] = ()
    agencies: tuple[Term, ...] = ()
    topics: tuple[Term, ...] = ()
    image: str = ""
    image_alt: str = ""
    image_caption: str = ""
    updated: PostDate | None = None
    expires: PostDate | None = None
    draft: bool = False
    pinned: bool = False
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line
    html: str = ""  # the body, converted and sanitized (newsroom.body)
    links: tuple[tuple[str, int], ...] = ()  # every link in the body, with its line
    images: tuple[str, ...] = ()  # every <img src> in the body, as written

    def attach(self, body: Body) -> None:
        """The converted body, its links and pictures."""
        self.html, self.links, self.images = body.html, body.links, body.images

    def pictures(self, site_url: str = "") -> tuple[str, ...]:
        """The pictures it shows on this site, as paths under its root (docs/ files among them).

        With ``site_url``, an absolute address on the site's own host counts too.
        """
        found = [urls.local_path("", self.image, site_url)] if self.image else []
        found += [urls.local_path(self.url, src, site_url) for src in self.images]
        return tuple(dict.fromkeys(p for p in found if p))

    @cached_property  # read by every check, listing and link; the date and slug never change after reading
    def url(self) -> str:
        return urls.post(self.date.year, self.date.month, self.slug)

    @property
    def last_change(self) -> PostDate:
        return self.updated or self.date

    @cached_property  # read for every related-article candidate
    def terms(self) -> tuple[Term, ...]:
        return self.agencies + self.topics

    def status(self, now: datetime) -> str:
        if self.draft:
            return DRAFT
        if self.date.moment > now:
            return SCHEDULED
        if self.expires is not None and self.expires.moment <= now:
            return EXPIRED
        return PUBLISHED


def is_public(post: Post, now: datetime) -> bool:
    """The one rule every output follows: pages, listings, counts, feeds, search."""
    return post.status(now) == PUBLISHED
