"""Feeds, sitemap, sharing metadata and sub-path hosting, read back with real parsers."""

import functools
import http.server
import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import html5lib
import pytest
from lxml import etree

from conftest import texts
from test_build import EVIL, UNPUBLISHED, with_seed

XSD = Path(__file__).parent / "fixtures/sitemap.xsd"
SITE = "https://example.gov.vn/"


def sample_site(tiny_site):
    with_seed(tiny_site)
    tiny_site.post("2025/06/mot.md", "title: Tin một\ndate: 2025-06-01 08:00\nupdated: 2025-07-02\nauthors: [Hoàng Tuấn, Lê Văn Hòa]\nagencies: [Sở Y tế]\ntopics: [Y tế]\nsummary: Tóm tắt tin một.")
    tiny_site.post("2025/07/hai.md", "title: Tin hai\ndate: 2025-07-01\nagencies: [Sở Y tế, UBND tỉnh]")
    for name, fm in UNPUBLISHED.items():
        tiny_site.post(f"2025/01/{name}-slug-bimat.md", fm, f"Đoạn văn {name}bímật.\n")
    return tiny_site.build()


def parse_feed(built, url):
    feed = feedparser.parse((built.site_dir / url).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_feeds_parse_cleanly_newest_first_with_vietnamese_kept(tiny_site):
    built = sample_site(tiny_site)
    site = parse_feed(built, "atom.xml")
    assert [e.title for e in site.entries] == ["Tin hai", "Tin một", "Ký kết chương trình phối hợp công tác theo Quyết định 238-QĐ/TW"]
    one = site.entries[1]
    assert one.link == SITE + "2025/06/tin-mot/"
    assert [a.name for a in one.authors] == ["Hoàng Tuấn", "Lê Văn Hòa"]
    assert one.summary == "Tóm tắt tin một."
    assert [t.term for t in one.tags] == ["Sở Y tế", "Y tế"]
    assert (one.published, one.updated) == ("2025-06-01T08:00:00+07:00", "2025-07-02T00:00:00+07:00")
    seed = site.entries[2]
    assert seed.published_parsed[:3] == (2022, 3, 31)  # 2022-04-01 00:00 +07:00, in UTC
    assert len(seed.tags) == 7
    agency = parse_feed(built, "co-quan/so-y-te/atom.xml")
    assert [e.title for e in agency.entries] == ["Tin hai", "Tin một"]
    assert agency.feed.title == "Sở Y tế - Cổng thông tin điện tử tỉnh"
    assert [e.title for e in parse_feed(built, "chu-de/y-te/atom.xml").entries] == ["Tin một"]
    assert [e.title for e in parse_feed(built, "tac-gia/le-van-hoa/atom.xml").entries] == ["Tin một"]
    assert parse_feed(built, "co-quan/so-noi-vu/atom.xml").entries == []


def test_unpublished_articles_are_in_no_feed_and_not_in_the_sitemap(tiny_site):
    built = sample_site(tiny_site)
    feeds = list(built.site_dir.rglob("atom.xml"))
    assert len(feeds) > 40
    for feed in feeds + [built.site_dir / "sitemap.xml"]:
        text = feed.read_text(encoding="utf-8")
        assert "bímật" not in text and "bimat" not in text and "Tácgiả" not in text, feed


def test_pages_link_their_feeds_and_the_follow_page_lists_them(tiny_site):
    built = sample_site(tiny_site)
    alternate = "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')][@type='application/atom+xml']/@href"
    assert built.html("").xpath(alternate) == ["atom.xml"]
    assert built.html("co-quan/so-y-te/").xpath(alternate) == ["../../atom.xml", "atom.xml"]
    assert built.html("tac-gia/hoang-tuan/").xpath(alternate) == ["../../atom.xml", "atom.xml"]
    follow = built.html("theo-doi/")
    assert "Sở Y tế (2 tin mới nhất)" in texts(follow, "//li")
    for href in follow.xpath("//ul[@class='nr-tree']//a/@href"):
        assert (built.site_dir / "theo-doi" / href).resolve().is_file(), href


def test_sitemap_is_valid_and_dates_come_from_articles(tiny_site):
    built = sample_site(tiny_site)
    sitemap = etree.parse(str(built.site_dir / "sitemap.xml"))
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(sitemap)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in sitemap.findall("s:url", ns)}
    folders = {p.parent.relative_to(built.site_dir).as_posix() for p in built.site_dir.rglob("index.html")}
    assert set(lastmod) == {SITE if f == "." else f"{SITE}{f}/" for f in folders}
    assert lastmod[SITE + "2025/06/tin-mot/"] == "2025-07-02"
    assert lastmod[SITE + "2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw/"] == "2022-04-01"
    assert lastmod[SITE + "co-quan/so-y-te/"] == "2025-07-02"
    assert lastmod[SITE + "gioi-thieu/"] is None  # a static page has no article date; no build time either
    robots = (built.site_dir / "robots.txt").read_text(encoding="utf-8")
    assert robots.endswith(f"Sitemap: {SITE}sitemap.xml\n")


def test_sharing_metadata_survives_quotes_and_script_tags(tiny_site):
    tiny_site.write("docs/images/anh.jpg", bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffc0000b080001000101011100ffc40014000100000000000000000000000000000000ffc40014100100000000000000000000000000000000ffda0008010100003f003fffd9"))  # a real 1×1 JPEG
    quoted = EVIL.replace("'", "''")
    tiny_site.post("2025/06/doc.md", f"title: '{quoted}'\nslug: bai-doc\ndate: 2025-06-01\nsummary: '{quoted}'\nauthors: ['A </script> B']\n"
                   "agencies: [Sở Y tế]\nimage: images/anh.jpg\nimage_alt: 'Ảnh \"hội nghị\"'")
    built = tiny_site.build()
    page = built.html("2025/06/bai-doc/")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.xpath("//meta[@content]")}
    assert meta["og:title"] == EVIL and meta["twitter:title"] == EVIL and meta["og:description"] == EVIL
    assert meta["og:url"] == SITE + "2025/06/bai-doc/" and meta["og:image"] == SITE + "images/anh.jpg"
    assert meta["og:image:alt"] == 'Ảnh "hội nghị"' and meta["twitter:card"] == "summary_large_image"
    scripts = page.xpath("//script[@type='application/ld+json']")
    assert len(scripts) == 1
    data = json.loads(scripts[0].text)
    assert data["@type"] == "NewsArticle" and data["headline"] == EVIL
    assert data["author"] == [{"@type": "Person", "name": "A </script> B", "url": SITE + "tac-gia/a-script-b/"}]
    assert data["about"][0]["name"] == "Sở Y tế" and data["datePublished"] == "2025-06-01"
    assert data["image"] == [SITE + "images/anh.jpg"] and data["publisher"]["name"] == "Cổng thông tin điện tử tỉnh"
    assert page.xpath("//link[@rel='canonical']/@href") == [SITE + "2025/06/bai-doc/"]


def test_404_page_is_vietnamese_with_a_way_back(tiny_site):
    built = sample_site(tiny_site)
    page = html5lib.parse((built.site_dir / "404.html").read_text(encoding="utf-8"), treebuilder="lxml", namespaceHTMLElements=False)
    assert texts(page, "//h1") == ["Không tìm thấy trang"]
    # Absolute links: a 404 page is served at any depth. The sub-path test follows them.
    assert page.xpath("//div[@class='md-content']//li/a/@href") == ["/.", "/luu-tru/", "/co-quan/"]
    assert page.xpath("//div[@class='md-content']//form[@role='search']/input/@name") == ["q"]
    # Both search boxes (the header's and the page's) go to the search page.
    assert page.xpath("//form[@role='search']/@action") == ["/tim-kiem/", "/tim-kiem/"]


@pytest.fixture
def served(tmp_path):
    """A real HTTP server on loopback serving tmp_path/www; yields its base URL."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_every_link_works_when_served_under_a_sub_path(tiny_site, served):
    root, origin = served
    base = origin + "cong-thong-tin/"
    with_seed(tiny_site)
    tiny_site.post("2025/06/mot.md", "title: Tin một\ndate: 2025-06-01\nagencies: [Sở Y tế]")
    built = tiny_site.build(site_url=base)
    built.site_dir.rename(root / "cong-thong-tin")

    def fetch(url):
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()

    seen, queue, checked = set(), [base, base + "404.html"], 0
    while queue and checked < 400:  # bounded crawl of the tiny site
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body = fetch(url)
        checked += 1
        assert status == 200, url
        if url.endswith((".html", "/")):
            tree = html5lib.parse(body, treebuilder="lxml", namespaceHTMLElements=False)
            for link in tree.xpath("//a/@href | //link/@href | //script/@src | //img/@src"):
                target = urljoin(url, link).split("#")[0].split("?")[0]
                if target.startswith(origin):
                    assert target.startswith(base), f"{link} on {url} leaves the sub-path"
                    queue.append(target)
    assert checked > 35 and not queue  # empty agencies, topics and feeds are not linked
    feed = feedparser.parse(fetch(base + "atom.xml")[1])
    assert {e.link for e in feed.entries} <= seen
    assert all(loc.startswith(base) for loc in etree.fromstring(fetch(base + "sitemap.xml")[1]).itertext() if "://" in loc)
    assert fetch(base + "co-quan/so-y-te/")[0] == 200
    with pytest.raises(urllib.error.HTTPError):
        fetch(origin + "co-quan/so-y-te/")
