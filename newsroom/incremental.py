"""A preview's update: which articles changed on disk, and which pages and feeds to write again.

A full build renders every page. After an editor saves one article most
pages come out the same, so a preview (``newsroom preview``) plans the site
again and writes only the pages and feeds whose *key* changed. A key holds
what the page's template reads: its plan (title, the posts it lists, its
pagination) and, for an article, its neighbours (related articles, previous
and next). Each article is keyed as the object read from its file: a saved
file gives a new object, so every page that shows it gets a new key, and an
article unchanged on disk keeps its object. Neighbours are computed again
only near the articles that came, went or changed (``Collection.neighbourhood``).

Most saves change an article's text and move nothing (``same_place``): then
the site is not planned again; the new post is swapped into the collection
and the plan (``Collection.replaced``, ``pages.with_swaps``) and only the
pages that show it, or are near it, get new keys.

The pages MkDocs renders itself (the front page, the indexes) read counts
that are not in any plan; they are few, and the adapter renders them again
and compares bytes (hooks/preview.py).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from . import pages, schedule, site, sources
from .collection import Collection, same_place
from .feeds import Feed
from .pages import PageSpec, SitePlan
from .post import Post
from .problems import ERROR, Problem, Problems
from .links import check_links
from .reader import article_stats, shown as shown_path

# How a file looked when it was read: a save changes at least one of these.
Signature = tuple[int, int, int]  # st_mtime_ns, st_size, st_ino
Read = Callable[[Path, str], tuple[Post | None, list[Problem]]]
Plan = Callable[[Collection], SitePlan]


class NeedsFullBuild(Exception):
    """The change reaches what an update does not redo (pictures copied into the site)."""


@dataclass
class Edition:
    """The articles a preview shows and what its pages were written from."""

    posts: dict[str, Post]  # every article read, public or not, by its path as editors see it
    # path as shown -> the file, its signature and the digest of its bytes ("" until read by an update)
    files: dict[str, tuple[str, Signature, str]]
    collection: Collection
    plan: SitePlan
    written: list[PageSpec]  # the plan's pages the page writer writes
    others: list[PageSpec]  # the plan's pages MkDocs renders (the front page, the indexes)
    pictures: set[str] = field(default_factory=set)  # what the public articles show (pictures' variants are made by full builds)
    around: dict[Post, tuple] = field(default_factory=dict)  # public post -> (related, newer, older)
    keys: dict[str, tuple] = field(default_factory=dict)  # URL -> key, of pages the writer writes and of feeds
    next_change: datetime | None = None  # when an article goes public or private by the clock (newsroom.schedule)


@dataclass
class Update:
    edition: Edition
    pages: list[PageSpec]  # to write again
    feeds: list[Feed]
    gone_pages: list[str]  # URLs no longer planned
    gone_feeds: list[str]
    arrived: list[Post]  # public now and not before: their bodies may need their pictures
    moved: bool = True  # whether any page may have come, gone or changed its date (False: none did)


def first_edition(posts: list[Post], files: dict[str, tuple[str, Signature, str]], collection: Collection, plan: SitePlan,
                  direct: Callable[[PageSpec], bool]) -> Edition:
    """The edition a full build wrote."""
    written = [spec for spec in plan.specs if direct(spec)]
    others = [spec for spec in plan.specs if not direct(spec)]
    by_path = {post.path: post for post in posts}
    files = {shown: file for shown, file in files.items() if shown in by_path}  # not one gone before the build read it
    edition = Edition(by_path, files, collection, plan, written, others, _pictures(collection),
                      next_change=schedule.next_change(posts, collection.now))
    edition.around = {post: _around(collection, post) for post in collection.posts}
    edition.keys = _keys(written, plan.feeds, collection, edition.around)
    return edition


def scan(posts_dir: Path, project_dir: Path) -> tuple[dict[str, tuple[str, Signature]], list[Problem]]:
    """Every article file and its signature (one stat each, no reading)."""
    found, problems = article_stats(posts_dir, project_dir)
    return {shown: (file, (info.st_mtime_ns, info.st_size, info.st_ino)) for file, shown, info in found}, problems


def digest(file: str) -> str:
    """What the file holds, so a save that changed nothing changes no page."""
    try:
        with open(file, "rb") as opened:
            return hashlib.blake2b(opened.read(), digest_size=16).hexdigest()
    except OSError:
        return ""  # read_post reports it


def next_edition(edition: Edition, posts_dir: Path, project_dir: Path, read: Read, now: datetime, site_url: str,
                 plan: Plan, direct: Callable[[PageSpec], bool], changed: Iterable[str] | None = None) -> Update:
    """The edition after the files under ``posts_dir`` changed; raises ``Problems`` (the edition stays as it was).

    ``changed``: the paths the system said changed (inotify), so that only they are looked at; None: look at every file.
    """
    posts, files = _read_changes(edition, posts_dir, project_dir, read, changed)
    swaps = _in_place(edition, posts, now)
    if swaps is not None:
        return _edited_in_place(edition, posts, files, swaps, now, site_url)
    ordered = [posts[shown] for shown in sorted(posts, key=_walk_order)]
    collection = site.assemble(ordered, [], now, site_url, edition.collection.unpublished)
    old, shown = edition.collection, _pictures(collection)
    if collection.withheld != old.withheld or shown != edition.pictures:
        raise NeedsFullBuild("the set of pictures the site shows changed")
    before, after = set(old.posts), set(collection.posts)
    left, arrived = before - after, after - before
    around = _neighbours(edition, collection, left, arrived)
    new_plan = plan(collection)
    written = [spec for spec in new_plan.specs if direct(spec)]
    others = [spec for spec in new_plan.specs if not direct(spec)]
    keys = _keys(written, new_plan.feeds, collection, around)
    new = Edition(posts, files, collection, new_plan, written, others, shown, around, keys, schedule.next_change(ordered, now))
    return Update(
        new,
        pages=[spec for spec in written if edition.keys.get(spec.url) != keys[spec.url]],
        feeds=[feed for feed in new_plan.feeds if edition.keys.get(feed.url) != keys[feed.url]],
        gone_pages=sorted(_urls(edition.written) - _urls(written)),
        gone_feeds=sorted(_urls(edition.plan.feeds) - _urls(new_plan.feeds)),
        arrived=sorted(arrived, key=lambda post: post.path),
    )


def _edited_in_place(edition: Edition, posts: dict[str, Post], files: dict, swaps: dict[Post, Post], now: datetime, site_url: str) -> Update:
    """The next edition after edits that move no article: the plan kept, the new posts swapped in, and keys
    made again only for the pages that show them or are near them. No page comes or goes."""
    _raise_errors(check_links(list(posts.values()), now, site_url, only=list(swaps.values())))  # the other checks hold
    old, collection = edition.collection, edition.collection.replaced(swaps, now)
    shown = edition.pictures
    if any(before.pictures(site_url) != after.pictures(site_url) for before, after in swaps.items()):
        shown = _pictures(collection)
        if shown != edition.pictures:
            raise NeedsFullBuild("the set of pictures the site shows changed")
    left, arrived = {post for post in swaps if post in old}, {post for post in swaps.values() if post in collection}
    around = _neighbours(edition, collection, left, arrived)
    touched = arrived | {post for post in around if around[post] is not edition.around.get(post)}
    new_plan, replaced = pages.with_swaps(edition.plan, swaps)
    written = [replaced.get(id(spec), spec) for spec in edition.written]
    others = [replaced.get(id(spec), spec) for spec in edition.others]
    renewed = {id(spec) for spec in replaced.values()}
    rekeyed = [spec for spec in written if id(spec) in renewed or spec.post in touched]
    keys = dict(edition.keys)
    keys.update(_keys(rekeyed, new_plan.feeds, collection, around))
    new = Edition(posts, files, collection, new_plan, written, others, shown, around, keys, edition.next_change)
    return Update(
        new,
        pages=[spec for spec in rekeyed if edition.keys.get(spec.url) != keys[spec.url]],
        feeds=[feed for feed in new_plan.feeds if edition.keys.get(feed.url) != keys[feed.url]],
        gone_pages=[], gone_feeds=[], arrived=sorted(arrived, key=lambda post: post.path), moved=False,
    )


def _neighbours(edition: Edition, collection: Collection, left: set[Post], arrived: set[Post]) -> dict[Post, tuple]:
    """Each public post's neighbours (related, newer, older): computed again only near the posts that left or came."""
    around = {post: value for post, value in edition.around.items() if post not in left}
    touched = set(arrived)
    for post in left:
        touched |= edition.collection.neighbourhood(post)
    for post in arrived:
        touched |= collection.neighbourhood(post)
    for post in touched:
        if post in collection:
            around[post] = _around(collection, post)
    return around


def _read_changes(edition: Edition, posts_dir: Path, project_dir: Path, read: Read, changed: Iterable[str] | None):
    """Every article (the unchanged ones as the edition has them) and its file; raises ``Problems`` for any error.

    With ``changed``, only those paths are looked at: the rest is the edition's.
    """
    if changed is None:
        found, problems = scan(posts_dir, project_dir)
        posts, files = {}, {}
    else:
        found, gone, problems = _look(posts_dir, project_dir, changed)
        posts, files = dict(edition.posts), dict(edition.files)
        for shown in gone:
            posts.pop(shown, None)
            files.pop(shown, None)
    for shown, (file, signature) in found.items():
        known = edition.files.get(shown)
        if known is not None and known[1] == signature:  # an edition holds no file with errors: see below
            posts[shown], files[shown] = edition.posts[shown], known
            continue
        content = digest(file)
        if known is not None and known[2] and known[2] == content:  # saved as it was: its pages stay
            posts[shown], files[shown] = edition.posts[shown], (file, signature, content)
            continue
        post, found_problems = read(Path(file), shown)
        problems += found_problems
        if post is not None:
            posts[shown], files[shown] = post, (file, signature, content)
    # Any error raises here, so the edition kept (and read from next time) never holds a file with errors.
    _raise_errors(problems)
    return posts, files


def _raise_errors(problems: list[Problem]) -> None:
    if errors := [problem for problem in problems if problem.severity == ERROR]:
        raise Problems(errors)


def _in_place(edition: Edition, posts: dict[str, Post | None], now: datetime) -> dict[Post, Post] | None:
    """Old post -> new post when every change is an edit that moves no article (``same_place``) and no
    article went public or private by the clock since; else None (the collection is built again)."""
    if posts.keys() != edition.posts.keys() or (edition.next_change is not None and now >= edition.next_change):
        return None
    swaps = {edition.posts[shown]: post for shown, post in posts.items() if post is not edition.posts[shown]}
    if not all(new is not None and same_place(old, new) for old, new in swaps.items()):
        return None
    return swaps


def _look(posts_dir: Path, project_dir: Path, changed: Iterable[str]) -> tuple[dict[str, tuple[str, Signature]], set[str], list[Problem]]:
    """The ``changed`` paths that are articles (``scan``'s rules), with their signatures; those gone; the problems."""
    found: dict[str, tuple[str, Signature]] = {}
    gone: set[str] = set()
    problems: list[Problem] = []
    root, prefix = os.path.abspath(posts_dir), shown_path(posts_dir, project_dir)
    for path in map(os.path.abspath, changed):
        if not path.startswith(root + os.sep) or sources.ignored_by_build(Path(path), posts_dir) is not None:
            continue  # elsewhere, or not an article (an editor's swap file, say)
        shown = f"{prefix}/{Path(os.path.relpath(path, root)).as_posix()}"
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            gone.add(shown)
            continue
        except OSError as error:
            problems.append(Problem(shown, 1, "file", f"cannot be read: {error.strerror}"))
            continue
        if problem := sources.not_a_real_file(Path(path), shown, info.st_mode):
            problems.append(problem)
            gone.add(shown)
        else:
            found[shown] = (path, (info.st_mtime_ns, info.st_size, info.st_ino))
    return found, gone, problems


def _around(collection: Collection, post: Post) -> tuple:
    return tuple(collection.related(post)), collection.newer(post), collection.older(post)


def _keys(written: list[PageSpec], feeds: list[Feed], collection: Collection, around: dict[Post, tuple]) -> dict[str, tuple]:
    keys = {spec.url: _page_key(spec, collection, around) for spec in written}
    keys.update((feed.url, feed) for feed in feeds)  # a frozen dataclass: compared field by field
    return keys


def _page_key(spec: PageSpec, collection: Collection, around: dict[Post, tuple]) -> tuple:
    """Everything the page's template reads (overrides/partials/article.html, listing.html).

    A plan's objects compare by ``==`` as keys need: its dataclasses (a listing's page, archive entries)
    field by field, articles and terms as themselves. A new plan makes new ones, so an old key is not changed.
    """
    key: tuple = (spec.template, spec.title, spec.description, spec.post, spec.term, spec.author, spec.feed_url,
                  spec.listing, spec.extra)
    if spec.post is not None:  # its neighbours, and whether it is public yet (time passes in a preview)
        key += (*around[spec.post], collection.unpublished_status(spec.post))
    if spec.term is not None:  # a listing names its subordinate bodies that have articles
        key += tuple(bool(collection.count_under(child)) for child in spec.term.children)
    return key


def _urls(planned: list) -> set[str]:
    return {item.url for item in planned}


def _pictures(collection: Collection) -> set[str]:
    return {picture for post in collection.posts if post.image or post.images for picture in post.pictures(collection.site_url)}


def _walk_order(shown: str) -> tuple[str, ...]:
    """The order the build reads articles in (``sources.find_articles``: sorted at every level)."""
    return tuple(shown.split("/"))
