"""Real builds of tiny sites: assert on the HTML, JSON and XML written and on the log."""

import json
import os
import shutil

import pytest
from jinja2 import TemplateNotFound

from conftest import SEED_POST, seed_paragraphs, texts

SEED_URL = "2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw/"
SEED_TITLE = "Ký kết chương trình phối hợp công tác theo Quyết định 238-QĐ/TW"


def with_seed(tiny_site):
    target = tiny_site.root / "posts/2022/04" / SEED_POST.name
    target.parent.mkdir(parents=True)
    shutil.copy(SEED_POST, target)


def test_seed_article_page(tiny_site):
    with_seed(tiny_site)
    built = tiny_site.build()
    assert built.errors == [] and built.aborted is None
    page = built.html(SEED_URL)
    assert texts(page, "//title") == [f"{SEED_TITLE} - Cổng thông tin điện tử tỉnh"]
    assert texts(page, "//article//h1") == [SEED_TITLE]
    assert page.xpath("//article//header//time/@datetime") == ["2022-04"]
    assert texts(page, "//article//header//time") == ["tháng 4/2022"]
    assert texts(page, "//article//a[@rel='author']") == ["Hoàng Tuấn"]
    assert page.xpath("//a[@rel='author']/@href") == ["../../../tac-gia/hoang-tuan/"]
    # One line under the title: the first two agencies, then a link to the whole list at the end.
    assert texts(page, "//p[@class='nr-meta']/a[not(@rel)]") == ["Ban Tuyên giáo Tỉnh ủy", "Đảng đoàn HĐND tỉnh", "và 3 cơ quan khác"]
    assert page.xpath("//p[@class='nr-meta']/a[.='và 3 cơ quan khác']/@href") == ["#nr-co-quan-bai"]
    assert texts(page, "//footer[@id='nr-co-quan-bai']//p[@class='nr-terms'][1]/a") == [
        "Ban Tuyên giáo Tỉnh ủy", "Đảng đoàn HĐND tỉnh", "Ủy ban nhân dân tỉnh",
        "Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh",
    ]
    assert texts(page, "//footer//p[@class='nr-terms'][2]/a") == ["Xây dựng Đảng", "Pháp luật"]
    captions = texts(page, "//div[@class='nr-body']//p[@class='caption']")
    assert len(captions) == 2 and captions[0].endswith("phát biểu chỉ đạo tại hội nghị.")
    assert page.xpath("//div[@class='nr-body']//img") == []  # the photos are gone: no invented images
    body = " ".join(texts(page, "//div[@class='nr-body']"))
    for paragraph in seed_paragraphs():
        assert " ".join(paragraph.split()) in body  # word for word, typos ("cáccác", "kế họach") included


def test_seed_agency_topic_author_and_archive_pages(tiny_site):
    with_seed(tiny_site)
    built = tiny_site.build()
    for url in ("co-quan/vksnd-tinh/", "co-quan/tand-tinh/", "chu-de/phap-luat/", "tac-gia/hoang-tuan/", "2022/", "2022/04/"):
        assert texts(built.html(url), "//li[@class='nr-item']//h3") == [SEED_TITLE], url
    agency = built.html("co-quan/ban-tuyen-giao-tinh-uy/")
    assert texts(agency, "//h1") == ["Ban Tuyên giáo Tỉnh ủy"]
    assert texts(agency, "//nav[@class='nr-crumbs']//a") == ["Trang chủ", "Cơ quan, đơn vị", "Tỉnh ủy"]
    assert texts(agency, "//p[@class='nr-lead']")[0].startswith("Cơ quan tham mưu của Tỉnh ủy")
    index = built.html("co-quan/")
    nested = texts(index, "//ul[@class='nr-tree']/li[a='Tỉnh ủy']/ul/li[a='Ban Tuyên giáo Tỉnh ủy']")
    assert nested == ["Ban Tuyên giáo Tỉnh ủy (1)"]
    assert texts(index, "//ul[@class='nr-tree']/li[a='Tỉnh ủy']/span[@class='nr-count']") == ["(1)"]  # its boards' article
    assert not index.xpath("//li[a='Sở Y tế']")  # no public article: not listed (tests/test_listings_empty.py)
    assert texts(built.html("luu-tru/"), "//ul[@class='nr-months']/li") == ["Tháng 4 (1)"]


def test_agency_page_links_the_agency_website(tiny_site):
    registry = tiny_site.root / "registries/agencies.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "- name: Sở Y tế\n", "- name: Sở Y tế\n  website: https://soyte.example.vn/\n"), encoding="utf-8")
    built = tiny_site.build()
    assert built.html("co-quan/so-y-te/").xpath("//a[@class='nr-website']/@href") == ["https://soyte.example.vn/"]


def many_posts(tiny_site, count, agency="UBND tỉnh"):
    for i in range(count):
        tiny_site.post(f"2025/{i % 12 + 1:02}/tin-{i}.md", f"title: Tin số {i}\ndate: 2025-{i % 12 + 1:02}-{i % 28 + 1:02}\nagencies: [{agency}]\ntopics: [Kinh tế]")


# A listing's articles; on the home page the lead story and the latest news, not the topic boxes.
LATEST = "//article[@class='nr-leadstory'] | //li[contains(concat(' ', @class, ' '), ' nr-item ')][not(ancestor::*[contains(@class, 'nr-box')])]"


def test_listings_are_paginated_with_stable_urls(tiny_site):
    many_posts(tiny_site, 45)
    built = tiny_site.build()
    for base in ("", "co-quan/ubnd-tinh/", "chu-de/kinh-te/", "2025/"):
        counts = [len(built.html(url).xpath(LATEST)) for url in (base, base + "trang/2/", base + "trang/3/")]
        assert counts == [20, 20, 5], base
        assert not (built.site_dir / base / "trang/4").exists()
    first, second = built.html(""), built.html("trang/2/")
    assert first.xpath("//a[@rel='next']/@href") == ["trang/2/"]
    assert second.xpath("//nav[@class='nr-pages']/a[@rel='prev']/@href") == ["../.."]
    assert texts(second, "//span[@aria-current='page']") == ["2"]
    newest_first = texts(first, f"({LATEST})//time")
    assert newest_first[0] == "24/12/2025" and newest_first == sorted(newest_first, key=lambda d: tuple(map(int, reversed(d.split("/")))), reverse=True)
    assert texts(built.html("co-quan/"), "//li[a='Ủy ban nhân dân tỉnh']/span[@class='nr-count']") == ["(45)"]


def test_article_links_related_and_neighbours(tiny_site):
    many_posts(tiny_site, 3)
    tiny_site.post("2025/02/khac.md", "title: Tin khác\ndate: 2025-02-15\nagencies: [Sở Y tế]")
    built = tiny_site.build()
    page = built.html("2025/02/tin-so-1/")
    assert texts(page, "//section[@class='nr-related']//h3") == ["Tin số 2", "Tin số 0"]  # nearest in time first
    assert texts(page, "//nav[@class='nr-prevnext']/a[@rel='prev']") == ["‹ Bài trước Tin số 0"]
    assert texts(page, "//nav[@class='nr-prevnext']/a[@rel='next']") == ["Bài sau › Tin khác"]


def test_pinned_posts_lead_the_home_page(tiny_site):
    many_posts(tiny_site, 3)
    tiny_site.post("2020/01/ghim.md", "title: Thông báo ghim\ndate: 2020-01-01\npinned: true")
    built = tiny_site.build()
    home = built.html("")
    assert texts(home, "//section[@class='nr-pinned']//h3") == ["Thông báo ghim"]
    assert "Thông báo ghim" not in texts(home, "//h2[starts-with(., 'Tin mới')]/following-sibling::ul//h3")


UNPUBLISHED = {
    "draft": "title: Nhápbímật\ndate: 2025-01-01\ndraft: true\nauthors: Tácgiảnháp\nagencies: [Sở Y tế]",
    "scheduled": "title: Hẹngiờbímật\ndate: 2026-12-01 08:00\nauthors: Tácgiảhẹngiờ\nagencies: [Sở Y tế]",
    "expired": "title: Hếthạnbímật\ndate: 2025-01-01\nexpires: 2026-01-01\nauthors: Tácgiảhếthạn\nagencies: [Sở Y tế]",
}


def test_draft_scheduled_and_expired_articles_appear_nowhere(tiny_site):
    tiny_site.post("2025/06/cong-khai.md", "title: Bài công khai\ndate: 2025-06-01\nagencies: [Sở Y tế]", "Thân bài công khai.\n")
    for name, fm in UNPUBLISHED.items():
        tiny_site.post(f"2025/01/{name}-slug-bimat.md", fm, f"Đoạn văn {name}bímật.\n")
    built = tiny_site.build(now="2026-11-26T12:00")
    everything = built.all_text()
    assert "Bài công khai" in everything and "Thân bài công khai" in everything
    for marker in ("bímật", "bimat", "Tácgiả", "tacgia", "2026/12/"):
        assert marker not in everything, marker
    assert texts(built.html("co-quan/"), "//li[a='Sở Y tế']/span") == ["(1)"]
    records = built.search_records()
    assert [record["url"] for record in records] == ["/2025/06/bai-cong-khai/"]
    assert not any(marker in json.dumps(records, ensure_ascii=False) for marker in ("bímật", "bimat", "Tácgiả"))


def test_the_clock_decides_when_a_scheduled_article_appears(tiny_site):
    tiny_site.post("2026/12/hen-gio.md", UNPUBLISHED["scheduled"])
    before = tiny_site.build(now="2026-12-01T07:59")
    assert not (before.site_dir / "2026/12").exists()
    after = tiny_site.build(now="2026-12-01T08:00")
    assert texts(after.html("2026/12/hengiobimat/"), "//h1") == ["Hẹngiờbímật"]


EVIL = '</title><script>alert("x")</script> "Trích" & \'nháy\' <b>đậm</b>'


def test_editor_values_render_as_text_never_as_markup(tiny_site):
    registry = tiny_site.root / "registries/agencies.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + f"\n- name: 'Ban <i>lạ</i>'\n  slug: ban-la\n  description: '{EVIL.replace(chr(39), chr(39) * 2)}'\n", encoding="utf-8")
    (tiny_site.root / "docs/images").mkdir()
    (tiny_site.root / "docs/images/anh.jpg").write_bytes(bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffc0000b080001000101011100ffc40014000100000000000000000000000000000000ffc40014100100000000000000000000000000000000ffda0008010100003f003fffd9"))  # a real 1×1 JPEG
    tiny_site.post(
        "2025/06/doc.md",
        f"title: '{EVIL.replace(chr(39), chr(39) * 2)}'\nslug: bai-doc\ndate: 2025-06-01\n"
        f"summary: '{EVIL.replace(chr(39), chr(39) * 2)}'\nauthors: ['<img src=x onerror=alert(1)>']\n"
        f"agencies: ['Ban <i>lạ</i>']\nimage: images/anh.jpg\nimage_alt: '\"><script>alert(2)</script>'\n"
        f"image_caption: '<script>alert(3)</script>'",
    )
    built = tiny_site.build()
    assert built.errors == []
    page = built.html("2025/06/bai-doc/")
    assert texts(page, "//title") == [f"{' '.join(EVIL.split())} - Cổng thông tin điện tử tỉnh"]
    assert texts(page, "//article//h1") == [" ".join(EVIL.split())]
    assert page.xpath("//meta[@name='description']/@content") == [EVIL]
    assert page.xpath("//figure//img/@alt") == ['"><script>alert(2)</script>']
    assert texts(page, "//figcaption") == ["<script>alert(3)</script>"]
    assert texts(page, "//a[@rel='author']") == ["<img src=x onerror=alert(1)>"]
    assert texts(page, "//p[@class='nr-meta']/a[not(@rel)]") == ["Ban <i>lạ</i>"]
    assert texts(page, "//nav[@class='nr-crumbs']//li") == ["Trang chủ", "Ban <i>lạ</i>", " ".join(EVIL.split())]
    for url in ("2025/06/bai-doc/", "", "co-quan/ban-la/", "tac-gia/img-src-x-onerror-alert-1/", "co-quan/"):
        tree = built.html(url)
        assert [s for s in tree.xpath("//script[not(@type='application/ld+json')]") if "alert" in (s.text or "")] == [], url
        assert tree.xpath("//b | //i | //img[@src='x']") == [], url
    assert texts(built.html(""), "//article[@class='nr-leadstory']//h2") == [" ".join(EVIL.split())]  # the lead story
    assert texts(built.html("co-quan/ban-la/"), "//p[@class='nr-lead']") == [" ".join(EVIL.split())]


def test_bad_articles_stop_the_build_with_every_problem_listed(tiny_site):
    tiny_site.post("2025/01/a.md", "title: A\ndate: 2022-13-40\nagencies: [UBND tinh]")
    tiny_site.post("2025/01/b.md", "title: B\ndate: 2025-01-01\ndraft: \"false\"")
    tiny_site.post("2025/01/c.md", "title: Trùng\ndate: 2025-01-02")
    tiny_site.post("2025/01/d.md", "title: Trùng\ndate: 2025-01-20")
    built = tiny_site.build()
    assert built.errors == [
        'posts/2025/01/a.md:3: date: "2022-13-40" is not a real date (month must be in 1..12); write YYYY-MM-DD, YYYY-MM or YYYY-MM-DD HH:MM, e.g. 2022-04-15',
        'posts/2025/01/a.md:4: agencies: "UBND tinh" is not a known agency; did you mean "UBND tỉnh"?',
        'posts/2025/01/b.md:4: draft: must be true or false, not the text "false"; write draft: true or draft: false, without quotes',
        "posts/2025/01/d.md:2: slug: /2025/01/trung/ is already the URL of posts/2025/01/c.md; give one of them its own slug, e.g. slug: trung-2",
    ]
    assert built.aborted == "4 problem(s) in articles or registries; the site was not built."
    assert not (built.site_dir / "index.html").exists()


def test_a_docs_file_in_the_way_of_a_generated_page_is_named(tiny_site):
    tiny_site.write("docs/co-quan/index.md", "# Cơ quan\n")
    built = tiny_site.build()
    assert built.errors == ["docs/co-quan/index.md:1: file: is in the way of the generated /co-quan/; rename or remove it"]
    assert built.aborted == "1 problem(s) in articles or registries; the site was not built."


def test_a_missing_posts_folder_is_an_error_not_an_empty_site(tiny_site):
    (tiny_site.root / "posts").rmdir()
    built = tiny_site.build()
    assert built.errors == ["posts:1: posts_dir: the articles folder does not exist; create it or fix extra.newsroom.posts_dir in mkdocs.yml"]


def test_parallel_page_writers_write_the_same_site(tiny_site, monkeypatch):
    many_posts(tiny_site, 45)
    monkeypatch.setenv("NEWSROOM_WORKERS", "1")
    one = tiny_site.build()
    serial = {p.relative_to(one.site_dir): p.read_bytes() for p in one.site_dir.rglob("*") if p.is_file()}
    monkeypatch.setenv("NEWSROOM_WORKERS", "3")
    three = tiny_site.build()
    parallel = {p.relative_to(three.site_dir): p.read_bytes() for p in three.site_dir.rglob("*") if p.is_file()}
    assert len(serial) > 200 and serial.keys() == parallel.keys()
    assert [path for path in serial if serial[path] != parallel[path]] == []


def test_a_build_failing_while_workers_write_leaves_no_process_behind(tiny_site, monkeypatch):
    many_posts(tiny_site, 45)
    # An MkDocs page asking for a template that does not exist fails the build
    # after the page-writing workers were forked (mkdocs serve would go on running).
    tiny_site.write("docs/gioi-thieu.md", "---\ntemplate: khong-co.html\n---\n# Giới thiệu\n")
    monkeypatch.setenv("NEWSROOM_WORKERS", "3")
    with pytest.raises(TemplateNotFound, match="khong-co.html"):
        tiny_site.build()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, not even a zombie


def test_placeholder_lookalikes_in_editor_text_stay_text(tiny_site):
    tiny_site.post("2025/06/a.md", "title: 'Tin @@newsroom-content@@ và @@newsroom-head@@'\nslug: bai-a\ndate: 2025-06-01\n"
                   "summary: '@@newsroom-title@@'", "Thân bài @@newsroom-canonical@@.\n")
    page = tiny_site.build().html("2025/06/bai-a/")
    assert texts(page, "//article//h1") == ["Tin @@newsroom-content@@ và @@newsroom-head@@"]
    assert page.xpath("//meta[@name='description']/@content") == ["@@newsroom-title@@"]
    assert texts(page, "//div[@class='nr-body']") == ["Thân bài @@newsroom-canonical@@."]
