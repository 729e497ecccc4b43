import pytest

from newsroom.collection import Collection, check_posts
from newsroom.dates import parse
from newsroom.post import Author, Post
from newsroom.problems import Problems
from newsroom.registry import Term

A, B, C = (Term("agency", name, name.lower()) for name in ("A", "B", "C"))
NOW = parse("2026-01-01").moment


def post(name, date, agencies=(), **fields):
    return Post(path=f"posts/{name}.md", title=name, date=parse(date), slug=name, body="x", summary="", agencies=agencies, **fields)


def test_only_public_posts_newest_first_with_indexes():
    posts = [
        post("old", "2020-01-05", (A,)),
        post("new", "2025-06-02", (A, B), authors=(Author("Hoàng Tuấn"),)),
        post("month", "2025-06", (B,)),
        post("draft", "2025-07-01", (A,), draft=True),
        post("future", "2026-02-01", (A,)),
        post("gone", "2025-01-01", (A,), expires=parse("2025-12-31")),
    ]
    c = Collection(posts, NOW)
    assert [p.title for p in c.posts] == ["new", "month", "old"]
    assert [p.title for p in c.by_term[A]] == ["new", "old"] and c.count(A) == 2 and c.count(C) == 0
    assert [p.title for p in c.by_month[(2025, 6)]] == ["new", "month"]
    assert list(c.by_year) == [2025, 2020]
    assert [p.title for p in c.by_author["hoang-tuan"]] == ["new"]
    assert c.newer(c.posts[0]) is None and c.older(c.posts[0]).title == "month"
    assert c.older(c.posts[-1]) is None


def test_related_prefers_more_shared_terms_then_nearness_in_time():
    posts = [
        post("me", "2025-06-10", (A, B)),
        post("both", "2020-01-01", (A, B)),
        post("near-a", "2025-06-09", (A,)),
        post("far-a", "2021-01-01", (A,)),
        post("other", "2025-06-10", (C,)),
    ]
    c = Collection(posts, NOW)
    me = next(p for p in c.posts if p.title == "me")
    assert [p.title for p in c.related(me)] == ["both", "near-a", "far-a"]


def test_related_work_is_bounded_by_a_window_not_the_archive():
    posts = [post(f"p{i:04}", "2020-01-01", (A,)) for i in range(500)]
    c = Collection(posts, NOW)
    assert len(c.related(c.posts[250], limit=1000)) == 24  # 12 each side


def test_pinned_posts_are_listed_apart():
    c = Collection([post("a", "2025-01-01", pinned=True), post("b", "2025-02-01")], NOW)
    assert [p.title for p in c.pinned] == ["a"]


def test_clashing_urls_and_author_pages_are_problems():
    first = post("same", "2025-06-01")
    second = post("same", "2025-06-20", draft=True)
    second.path = "posts/z.md"
    a = post("a", "2025-01-01", authors=(Author("Hoàng Tuấn"),))
    b = post("b", "2025-01-02", authors=(Author("Hoàng Tuân"),))
    same = post("d", "2025-01-04", authors=(Author("hoàng tuấn"),))  # same words: no problem
    problems = sorted(str(p) for p in check_posts([first, second, a, b, same]))
    assert problems == [
        'posts/b.md:1: authors: "Hoàng Tuân" and "Hoàng Tuấn" (posts/a.md) would share the page /tac-gia/hoang-tuan/; '
        "write the name exactly as in the other article if it is the same person",
        "posts/z.md:1: slug: /2025/06/same/ is already the URL of posts/same.md; give one of them its own slug, e.g. slug: same-2",
    ]


def test_two_pages_or_feeds_at_one_url_are_named():
    from datetime import datetime, timezone

    from newsroom.feeds import Feed
    from newsroom.pages import PageSpec, check_unique

    feed = Feed("atom.xml", "Tin mới", "", (), datetime(2025, 1, 1, tzinfo=timezone.utc))
    with pytest.raises(Problems) as raised:
        check_unique([PageSpec("co-quan/", "terms.html", "Cơ quan"), PageSpec("co-quan/", "listing.html", "Khác"),
                      PageSpec("atom.xml", "listing.html", "Lạ")], [feed])
    assert sorted(str(p) for p in raised.value.problems) == [
        'mkdocs.yml:1: url: /atom.xml would be written twice: by the page "Lạ" and by the feed Tin mới; give one of them another slug',
        'mkdocs.yml:1: url: /co-quan/ would be written twice: by the page "Cơ quan" and by the page "Khác"; give one of them another slug',
    ]
