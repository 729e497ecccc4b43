"""Agencies, topics and feeds without public articles are not listed; an agency counts its
subordinate bodies' articles once each; a month's page links the neighbouring months."""

import feedparser

from conftest import texts
from newsroom import feeds, pages
from newsroom.collection import Collection
from newsroom.dates import parse
from newsroom.post import Post
from newsroom.registry import Term

NOW = parse("2026-01-01").moment


def family():
    """Tỉnh ủy > Ban Tuyên giáo > Phòng A, and Ban Dân vận beside Ban Tuyên giáo."""
    top, board, office, other = (Term("agency", name, name.lower()) for name in ("top", "board", "office", "other"))
    for parent, child in ((top, board), (board, office), (top, other)):
        child.parent = parent
        parent.children.append(child)
    return top, board, office, other


def post(name, date, agencies=(), **fields):
    return Post(path=f"posts/{name}.md", title=name, date=parse(date), slug=name, body="x", summary="", agencies=agencies, **fields)


def test_an_agency_lists_its_subordinate_bodies_articles_once_each():
    top, board, office, other = family()
    posts = [
        post("both", "2025-05-01", (top, board)),  # names the parent and the child: counted once
        post("deep", "2025-04-01", (office,)),
        post("two-children", "2025-03-01", (office, other)),
        post("draft", "2025-02-01", (office,), draft=True),
    ]
    c = Collection(posts, NOW)
    assert [p.title for p in c.under(top)] == ["both", "deep", "two-children"]
    assert [p.title for p in c.under(board)] == ["both", "deep", "two-children"]
    assert [p.title for p in c.under(office)] == ["deep", "two-children"]
    assert [p.title for p in c.under(other)] == ["two-children"]
    assert c.count(top) == 1 and c.count_under(top) == 3  # by_term stays what the article names


def test_term_tree_leaves_out_terms_without_public_articles():
    top, board, office, other = family()
    lonely = Term("agency", "lonely", "lonely")
    c = Collection([post("a", "2025-05-01", (office,)), post("hidden", "2025-05-02", (other,), draft=True)], NOW)
    tree = pages.term_tree(c, [top, lonely])
    assert [(e.term.slug, e.count) for e in tree] == [("top", 1)]
    assert [(e.term.slug, e.count) for e in tree[0].children] == [("board", 1)]  # "other" has only a draft
    assert [(e.term.slug, e.count) for e in tree[0].children[0].children] == [("office", 1)]


def test_month_neighbours_skip_months_without_articles():
    months = {(2025, 1): [1], (2025, 3): [1, 2], (2024, 12): [1]}
    found = pages.month_neighbours(months)
    labels = {m: tuple(e.label if e else None for e in pair) for m, pair in found.items()}
    assert labels == {
        (2024, 12): (None, "Tháng 1/2025"),
        (2025, 1): ("Tháng 12/2024", "Tháng 3/2025"),
        (2025, 3): ("Tháng 1/2025", None),
    }
    assert found[(2025, 1)][1].url == "2025/03/" and found[(2025, 1)][1].count == 2


def sample(tiny_site):
    tiny_site.post("2025/01/a.md", "title: Tin tháng một\ndate: 2025-01-10\nagencies: [Tỉnh ủy, Ban Tuyên giáo Tỉnh ủy]\ntopics: [Y tế]")
    tiny_site.post("2025/03/b.md", "title: Tin tháng ba\ndate: 2025-03-10\nagencies: [Ban Dân vận Tỉnh ủy]\nauthors: Hoàng Tuấn")
    tiny_site.post("2026/02/c.md", "title: Tin năm sau\ndate: 2026-02-10\nagencies: [Sở Y tế]\ntopics: [Thông báo]")
    tiny_site.post("2025/02/nhap.md", "title: Bản nháp\ndate: 2025-02-10\ndraft: true\nagencies: [Sở Tư pháp]\ntopics: [Kinh tế]\nauthors: Người Nháp")


def test_index_pages_list_only_what_has_articles_with_parents_counting_children(tiny_site):
    sample(tiny_site)
    built = tiny_site.build()
    assert built.errors == []
    agencies = built.html("co-quan/")
    top = "(//ul[@class='nr-tree'])[1]/li"
    assert texts(agencies, f"{top}/a") == ["Tỉnh ủy", "Ủy ban nhân dân tỉnh"]
    assert texts(agencies, f"{top}[a='Tỉnh ủy']/span") == ["(2)"]  # its own article and its board's, once each
    assert texts(agencies, f"{top}[a='Tỉnh ủy']/ul/li/a") == ["Ban Tuyên giáo Tỉnh ủy", "Ban Dân vận Tỉnh ủy"]
    assert texts(agencies, f"{top}[a='Ủy ban nhân dân tỉnh']/ul/li") == ["Sở Y tế (1)"]
    assert not agencies.xpath("//a[.='Sở Tư pháp' or .='Công an tỉnh']")  # a draft only; nothing at all
    assert texts(built.html("chu-de/"), "(//ul[@class='nr-tree'])[1]/li") == ["Y tế (1)", "Thông báo (1)"]
    # Their pages still exist, and an agency's page lists its boards' articles, as its count says.
    assert texts(built.html("co-quan/so-tu-phap/"), "//p[@class='nr-empty']") == ["Chưa có bài viết."]
    assert texts(built.html("chu-de/kinh-te/"), "//p[@class='nr-empty']") == ["Chưa có bài viết."]
    party = built.html("co-quan/tinh-uy/")
    assert texts(party, "//li[contains(concat(' ', @class, ' '), ' nr-item ')]//h3") == ["Tin tháng ba", "Tin tháng một"]
    assert texts(party, "//p[@class='nr-terms']/a") == ["Ban Tuyên giáo Tỉnh ủy", "Ban Dân vận Tỉnh ủy"]  # not the empty boards
    feed = feedparser.parse((built.site_dir / "co-quan/tinh-uy/atom.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Tin tháng ba", "Tin tháng một"]  # the feed follows the page


def test_the_feeds_page_lists_only_feeds_with_articles(tiny_site):
    sample(tiny_site)
    built = tiny_site.build()
    follow = built.html("theo-doi/")
    assert texts(follow, "//h2") == ["Toàn trang", "Thông báo", "Theo cơ quan, đơn vị", "Theo chủ đề", "Theo tác giả"]
    listed = texts(follow, "//ul[@class='nr-tree']/li/a")
    assert listed == ["Tin mới", "Thông báo", "Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Ban Dân vận Tỉnh ủy",
                      "Ủy ban nhân dân tỉnh", "Sở Y tế", "Y tế", "Hoàng Tuấn"]
    for href in follow.xpath("//ul[@class='nr-tree']//a/@href"):
        assert feedparser.parse((built.site_dir / "theo-doi" / href).resolve().read_bytes()).entries, href
    assert (built.site_dir / "co-quan/cong-an-tinh/atom.xml").is_file()  # still written, just not listed


def test_month_pages_link_the_nearest_months_with_articles(tiny_site):
    sample(tiny_site)
    built = tiny_site.build()
    nav = "//nav[@aria-label='Tháng trước, tháng sau']"
    march = built.html("2025/03/")
    assert march.xpath(f"{nav}/a[@rel='prev']/@href") == ["../01/"]  # February has only a draft
    assert march.xpath(f"{nav}/a[@rel='next']/@href") == ["../../2026/02/"]
    assert texts(march, f"{nav}/a") == ["‹ Tháng trước Tháng 1/2025", "Tháng sau › Tháng 2/2026"]
    assert built.html("2025/01/").xpath(f"{nav}/a/@rel") == ["next"]
    assert built.html("2026/02/").xpath(f"{nav}/a/@rel") == ["prev"]
    assert not built.html("2025/").xpath(nav)  # a year's page: its months are in the archive


def test_a_month_of_several_pages_leaves_rel_to_its_page_numbers(tiny_site):
    sample(tiny_site)
    tiny_site.post("2025/03/d.md", "title: Tin tháng ba nữa\ndate: 2025-03-11")
    config = tiny_site.config
    built = tiny_site.build(extra={**config["extra"], "newsroom": {**config["extra"]["newsroom"], "per_page": 1}})
    for url in ("2025/03/", "2025/03/trang/2/"):
        page = built.html(url)
        assert page.xpath("//nav[@aria-label='Tháng trước, tháng sau']/a/@href")[-1].endswith("2026/02/"), url
        assert len(page.xpath("//a[@rel='next']")) <= 1 and len(page.xpath("//a[@rel='prev']")) <= 1, url


def test_a_site_without_public_articles_says_so_on_every_index(tiny_site):
    tiny_site.post("2025/02/nhap.md", "title: Bản nháp\ndate: 2025-02-10\ndraft: true\nagencies: [Sở Tư pháp]\ntopics: [Thông báo]")
    built = tiny_site.build()
    assert built.errors == []
    for url in ("", "co-quan/", "chu-de/", "theo-doi/"):
        page = built.html(url)
        assert texts(page, "//p[@class='nr-empty']") == ["Chưa có bài viết."], url
        assert not page.xpath("//ul[@class='nr-tree'] | //section[contains(@class, 'nr-notices')]"), url
