"""The published set: public posts, newest first, indexed for every listing."""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import datetime
from typing import Iterable

from .post import PUBLISHED, Author, Post, is_public
from .problems import Problem
from .registry import Term
from .text import fold

RELATED = 4
# The topic whose articles are the announcements ("thông báo"): editors mark an
# article as one by naming this topic, as they name any other (README).
ANNOUNCEMENTS = "thong-bao"
# Related posts are looked for among this many neighbours in time on each
# shared agency or topic, so the work per article does not grow with the archive.
RELATED_WINDOW = 12


class Collection:
    def __init__(self, posts: Iterable[Post], now: datetime, site_url: str = "", unpublished: bool = False):
        """``unpublished``: a preview (hooks/preview.py) shows drafts, scheduled and expired articles too, each marked."""
        self.now, self.site_url, self.unpublished = now, site_url, unpublished
        public, hidden = [], []
        for post in posts:
            (public if unpublished or is_public(post, now) else hidden).append(post)
        self.posts = sorted(public, key=_newest_first)
        # Pictures shown only by drafts, scheduled or expired articles stay out of site/.
        public_images = {image for post in public if post.image or post.images for image in post.pictures(site_url)}
        self.withheld = {image for post in hidden if post.image or post.images for image in post.pictures(site_url)} - public_images
        self._position = {id(p): i for i, p in enumerate(self.posts)}
        self.pinned = [p for p in self.posts if p.pinned]
        self.by_term: dict[Term, list[Post]] = defaultdict(list)
        # An agency with subordinate bodies lists their articles too, each once.
        self._under: dict[Term, list[Post]] = defaultdict(list)
        self.by_author: dict[str, list[Post]] = defaultdict(list)
        self.authors: dict[str, Author] = {}
        self.by_year: dict[int, list[Post]] = defaultdict(list)
        self.by_month: dict[tuple[int, int], list[Post]] = defaultdict(list)
        above: dict[Term, tuple[Term, ...]] = {}  # a term's bodies with children, itself included
        for post in self.posts:
            for term in post.terms:
                self.by_term[term].append(post)
            for term in post.terms:
                if term not in above:
                    above[term] = _parents(term)
            for term in dict.fromkeys(t for term in post.terms for t in above[term]):
                self._under[term].append(post)
            for author in post.authors:
                self.authors.setdefault(author.slug, author)
                self.by_author[author.slug].append(post)
            self.by_year[post.date.year].append(post)
            self.by_month[(post.date.year, post.date.month)].append(post)
        self._term_position: dict[Term, dict[int, int]] = {}  # filled as related() needs it

    def replaced(self, swaps: dict[Post, Post], now: datetime) -> Collection:
        """This collection with each old post in ``swaps`` replaced by its new version, in the same places.

        For a preview's update after an edit that moves no article (``same_place``): only the lists
        that hold an old post are copied (its terms', authors', year's and month's), and the new post
        put at its index; everything else is shared with this collection, which stays as it was.
        """
        new = copy.copy(self)
        new.now = now
        new.posts, new.pinned = _put(self.posts, swaps), _put(self.pinned, swaps)
        for name in ("by_term", "_under", "by_author", "by_year", "by_month"):
            setattr(new, name, defaultdict(list, getattr(self, name)))  # copies: the lists are replaced, not changed
        new._position, new._term_position = dict(self._position), dict(self._term_position)
        for old, post in swaps.items():
            if id(old) not in self._position:
                continue
            new._position[id(post)] = new._position.pop(id(old))
            places = [(new.by_term, term) for term in post.terms] + [(new._under, term) for term in _parents_of(post)]
            places += [(new.by_author, author.slug) for author in post.authors]
            places += [(new.by_year, post.date.year), (new.by_month, (post.date.year, post.date.month))]
            for index, key in places:
                index[key] = _put(index[key], swaps)
            for term in post.terms:
                if term in self._term_position:
                    positions = new._term_position[term] = dict(self._term_position[term])
                    positions[id(post)] = positions.pop(id(old))
        return new

    def unpublished_status(self, post: Post) -> str | None:
        """Why a preview's article would not be on the live site (``post.DRAFT``, ``SCHEDULED``, ``EXPIRED``), else None."""
        status = post.status(self.now)
        return None if status == PUBLISHED else status

    def __contains__(self, post: Post) -> bool:
        return id(post) in self._position

    def __len__(self) -> int:
        return len(self.posts)

    def count(self, term: Term) -> int:
        return len(self.by_term.get(term, ()))

    def under(self, term: Term) -> list[Post]:
        """Posts naming ``term`` or any body below it in the registry, each once, newest first."""
        return self._under.get(term, []) if term.children else self.by_term.get(term, [])

    def count_under(self, term: Term) -> int:
        return len(self.under(term))

    def older(self, post: Post) -> Post | None:
        i = self._position[id(post)] + 1
        return self.posts[i] if i < len(self.posts) else None

    def newer(self, post: Post) -> Post | None:
        i = self._position[id(post)] - 1
        return self.posts[i] if i >= 0 else None

    def related(self, post: Post, limit: int = RELATED) -> list[Post]:
        """Posts sharing the most agencies and topics, nearest in time first."""
        candidates: set[Post] = set()
        for term in post.terms:
            posts, i = self.by_term[term], self._place(term, post)
            candidates.update(posts[max(0, i - RELATED_WINDOW) : i + RELATED_WINDOW + 1])
        candidates.discard(post)
        mine, when = set(post.terms), post.date.timestamp
        # Most shared terms, then nearest in time; the path breaks ties (it is unique).
        ranked = sorted((-len(mine.intersection(other.terms)), abs(other.date.timestamp - when), other.path, other) for other in candidates)
        return [entry[-1] for entry in ranked[:limit]]


    def _place(self, term: Term, post: Post) -> int:
        """Where ``post`` is among ``term``'s posts."""
        if term not in self._term_position:
            self._term_position[term] = {id(p): i for i, p in enumerate(self.by_term[term])}
        return self._term_position[term][id(post)]

    def neighbourhood(self, post: Post) -> set[Post]:
        """The posts whose ``related``, ``newer`` or ``older`` may change when ``post`` comes or goes (a preview's update).

        ``related`` looks ``RELATED_WINDOW`` places either way along each shared
        term; a post arriving or leaving shifts a window only that near it.
        """
        near: set[Post] = set()
        if (i := self._position.get(id(post))) is None:
            return near
        near.update(self.posts[max(0, i - 1) : i + 2])
        reach = RELATED_WINDOW + 1
        for term in post.terms:
            posts, j = self.by_term[term], self._place(term, post)
            near.update(posts[max(0, j - reach) : j + reach + 1])
        return near


def same_place(old: Post, new: Post) -> bool:
    """Whether ``new`` is listed exactly where ``old`` was (an edit of its title, summary or body).

    ``updated`` too: feeds and the sitemap date themselves by it (newsroom.pages.with_swaps keeps their plans).
    """
    return (old.url == new.url and old.path == new.path and old.date == new.date and old.updated == new.updated
            and old.expires == new.expires
            and old.draft == new.draft and old.pinned == new.pinned and old.terms == new.terms and old.authors == new.authors)


def _put(posts: list[Post], swaps: dict[Post, Post]) -> list[Post]:
    """A copy of ``posts`` with the swapped ones replaced (where they are: lists hold each post once)."""
    copied = list(posts)
    for old, new in swaps.items():
        try:
            copied[copied.index(old)] = new
        except ValueError:
            pass
    return copied


def _parents_of(post: Post) -> dict[Term, None]:
    """The bodies with children whose listings show ``post`` (its terms' and theirs above), each once."""
    return dict.fromkeys(t for term in post.terms for t in _parents(term))


def _parents(term: Term) -> tuple[Term, ...]:
    """The term and the bodies above it that have children: the listings that show its articles."""
    return tuple(t for t in lineage(term) if t.children)


def lineage(term: Term):
    """The term and every parent above it (the registry refuses loops)."""
    while term is not None:
        yield term
        term = term.parent


def _newest_first(post: Post):
    return (-post.date.timestamp, post.path)


def check_posts(posts: list[Post]) -> list[Problem]:
    """Problems between articles, whatever their status: clashing URLs and bylines."""
    problems = []
    by_url: dict[str, Post] = {}
    for post in sorted(posts, key=lambda p: p.path):
        first = by_url.setdefault(post.url, post)
        if first is not post:
            line = post.lines.get("slug", post.lines.get("title", 1))
            problems.append(Problem(post.path, line, "slug", f"/{post.url} is already the URL of {first.path}", "give one of them its own slug, e.g. slug: " + post.slug + "-2"))
    by_author: dict[str, tuple[Author, Post]] = {}
    for post in sorted(posts, key=lambda p: p.path):
        for author in post.authors:
            first_author, first_post = by_author.setdefault(author.slug, (author, post))
            if first_author.name != author.name and fold(first_author.name) != fold(author.name):
                problems.append(Problem(
                    post.path, post.lines.get("authors", 1), "authors",
                    f'"{author.name}" and "{first_author.name}" ({first_post.path}) would share the page /{author.url}',
                    "write the name exactly as in the other article if it is the same person",
                ))
    return problems
