"""The front page: lead story, latest news, announcements, main topics, agencies; a fixed size."""

import io

import feedparser
from PIL import Image

from conftest import texts
from newsroom import pages
from newsroom.collection import Collection
from newsroom.dates import parse
from newsroom.post import Post
from newsroom.registry import Registry, Term

LATEST = "//section[@class='nr-latest']//li[contains(concat(' ', @class, ' '), ' nr-item ')]//h3"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 36), (30, 90, 140)).save(out, "JPEG")
    return out.getvalue()


def test_main_topics_are_the_busiest_shown_in_registry_order_without_announcements():
    names = ["a", "b", "c", "d", "e", "f", "thong-bao"]
    topics = Registry("topic", [Term("topic", n, n) for n in names])
    a, b, c, d, e, f, notices = topics.terms
    counts = {a: 1, b: 3, c: 0, d: 2, e: 1, f: 2, notices: 9}
    posts = [
        Post(path=f"posts/{t.slug}{i}.md", title="x", date=parse("2025-01-01"), slug=f"{t.slug}{i}", body="x", summary="", topics=(t,))
        for t, n in counts.items() for i in range(n)
    ]
    collection = Collection(posts, parse("2026-01-01").moment)
    chosen = pages.main_topics(collection, topics, limit=4)
    assert [t.slug for t in chosen] == ["a", "b", "d", "f"]  # a beats e on the tie: written first


def site(tiny_site, count=6):
    tiny_site.write("docs/anh/le.jpg", jpeg())
    for i in range(count):
        topic = ["Kinh tế", "Y tế", "Giáo dục", "Văn hóa", "Xã hội", "Pháp luật"][i % 6]
        tiny_site.post(f"2025/05/tin-{i:03}.md", f"title: Tin số {i:03}\ndate: 2025-05-{i % 28 + 1:02} {i // 28:02}:00\nagencies: [Sở Y tế]\ntopics: [{topic}]")
    for i in range(7):
        tiny_site.post(f"2025/04/tb-{i}.md", f"title: Thông báo số {i}\ndate: 2025-04-{i + 1:02}\nagencies: [UBND tỉnh]\ntopics: [Thông báo]")
    tiny_site.post("2025/06/dau.md", "title: Tin <b>đầu</b> & \"nổi\"\ndate: 2025-06-30\nagencies: [Tỉnh ủy]\n"
                   "topics: [Kinh tế]\nimage: anh/le.jpg\nimage_alt: Toàn cảnh hội nghị\nsummary: Tóm tắt tin đầu.")
    tiny_site.post("2025/06/ghim.md", "title: Tin ghim\ndate: 2020-01-01\npinned: true\ntopics: [Y tế]")


def test_home_page_boxes(tiny_site):
    site(tiny_site)
    built = tiny_site.build()
    assert built.errors == []
    home = built.html("")
    lead = home.xpath("//article[@class='nr-leadstory']")[0]
    assert texts(lead, ".//h2") == ['Tin <b>đầu</b> & "nổi"']  # the newest not pinned, as text
    assert lead.xpath(".//h2/a/@href") == ["2025/06/tin-b-dau-b-noi/"]
    assert lead.xpath(".//img/@alt") == ["Toàn cảnh hội nghị"] and lead.xpath(".//img/@src")
    assert texts(lead, ".//p[@class='nr-leadstory__summary']") == ["Tóm tắt tin đầu."]
    assert texts(home, "//section[@class='nr-pinned']//h3") == ["Tin ghim"]
    latest = texts(home, LATEST)
    assert latest[:2] == ["Tin số 005", "Tin số 004"] and 'Tin <b>đầu</b> & "nổi"' not in latest and "Tin ghim" not in latest
    notices = home.xpath("//section[contains(@class, 'nr-notices')]")[0]
    assert texts(notices, ".//h2") == ["Thông báo"]
    assert texts(notices, ".//h3") == [f"Thông báo số {i}" for i in (6, 5, 4, 3, 2)]  # the newest few
    assert notices.xpath(".//a[.='Xem tất cả thông báo ›']/@href") == ["chu-de/thong-bao/"]
    # Main topics: the four busiest, Kinh tế and Y tế (2 each), then the first written of those with one.
    boxes = home.xpath("//section[contains(@class, 'nr-topicbox')]")
    assert [texts(box, ".//h2")[0] for box in boxes] == ["Kinh tế ›", "Xã hội ›", "Pháp luật ›", "Y tế ›"]
    assert boxes[0].xpath(".//h2/a/@href") == ["chu-de/kinh-te/"]
    assert texts(boxes[0], ".//h3") == ['Tin <b>đầu</b> & "nổi"', "Tin số 000"]
    agencies = home.xpath("//nav[contains(@class, 'nr-home__agencies')]")[0]
    assert texts(agencies, ".//li/a") == ["Tỉnh ủy", "Ủy ban nhân dân tỉnh"]  # top level, with articles
    assert texts(agencies, ".//li[a='Ủy ban nhân dân tỉnh']/span") == ["(13)"]  # Sở Y tế's count within
    assert agencies.xpath(".//a[.='Tất cả cơ quan, đơn vị ›']/@href") == ["co-quan/"]
    assert not home.xpath("//article[contains(@class, 'md-content__inner')]//script")


def test_announcements_have_their_listing_and_feed(tiny_site):
    site(tiny_site)
    built = tiny_site.build()
    listing = built.html("chu-de/thong-bao/")
    assert texts(listing, "//li[contains(concat(' ', @class, ' '), ' nr-item ')]//h3") == [f"Thông báo số {i}" for i in range(6, -1, -1)]
    feed = feedparser.parse((built.site_dir / "chu-de/thong-bao/atom.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 7
    follow = built.html("theo-doi/")
    assert follow.xpath("//h2[.='Thông báo']/following-sibling::ul[1]//a/@href") == ["../chu-de/thong-bao/atom.xml"]


def test_home_pages_continue_the_latest_news_without_gaps(tiny_site):
    site(tiny_site, count=12)
    config = tiny_site.config
    built = tiny_site.build(extra={**config["extra"], "newsroom": {**config["extra"]["newsroom"], "per_page": 5}})
    first = built.html("")
    shown = texts(first, "//article[@class='nr-leadstory']//h2") + texts(first, LATEST)
    for url in ("trang/2/", "trang/3/", "trang/4/"):
        shown += texts(built.html(url), "//li[contains(concat(' ', @class, ' '), ' nr-item ')]//h3")
    assert not (built.site_dir / "trang/5").exists()
    expected = ['Tin <b>đầu</b> & "nổi"'] + [f"Tin số {i:03}" for i in range(11, -1, -1)] + [f"Thông báo số {i}" for i in range(6, -1, -1)]
    assert shown == expected  # 20 articles not pinned: 5 a page, the lead counting on page 1
    assert first.xpath("//nav[@class='nr-pages']/a[@rel='next']/@href") == ["trang/2/"]
    assert texts(built.html("trang/2/"), "//h1") == ["Tin mới (trang 2)"]


def test_home_page_size_does_not_grow_with_the_archive(tiny_site):
    sizes = []
    for count in (40, 120):  # enough for every box to be full
        site(tiny_site, count=count)
        sizes.append(len(tiny_site.build().text("").encode("utf-8")))
    # The same boxes of the same number of items; only the page numbers differ ("1 2 3" or "1 2 3 … 7").
    assert abs(sizes[1] - sizes[0]) < 300, sizes
