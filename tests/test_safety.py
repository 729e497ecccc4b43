"""Hostile or careless input: real builds and real ``newsroom check`` runs in a temp project.

Nothing an editor or a registry writes runs in a reader's browser, lands
outside site/, replaces another page, or makes public what is not.
"""

import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest

from conftest import texts

NEWSROOM = str(Path(sys.executable).parent / "newsroom")
FRONT = "title: Tin an toàn\ndate: 2025-01-02\nagencies: [UBND tỉnh]"


def check(site, *args):
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00"}
    site.write_config()
    return subprocess.run([NEWSROOM, "check", *args], cwd=site.root, env=env, capture_output=True, text=True, timeout=60)


# Each: a body, and the exact problem line (the body starts on line 7: a
# three-line front matter between --- lines, then a blank line).
ACTIVE = {
    "script": ("Mở đầu.\n\n<script>alert(1)</script>\n", 9, "the <script> element; articles may not carry scripts, frames, forms or page settings; remove it"),
    "img-onerror": ('Mở đầu.\n\n<img src="x.jpg" onerror="alert(1)">\n', 9, 'the event handler onerror="…" on <img>; articles may not carry scripts; remove it'),
    "markdown-link": ("Xem [đây](javascript:alert(1)).\n", 7, "a javascript: address in href of <a>; link to an http(s) address or a page of this site"),
    "entity-link": ("Mở đầu.\n\nXem [đây](&#106;ava&#x73;cript:alert(1)).\n", 9, "a javascript: address in href of <a>; link to an http(s) address or a page of this site"),
    "reference-link": ("Xem [đây][1].\n\n[1]: JAVASCRIPT:alert(1)\n", 9, "a javascript: address in href of <a>; link to an http(s) address or a page of this site"),
    "attr-list": ('Đoạn văn.\n{: onclick="alert(1)" }\n', 8, 'the event handler onclick="…" on <p>; articles may not carry scripts; remove it'),
    "md-in-html": ('<div markdown="1" onmouseover="alert(1)">\n*chữ*\n</div>\n', 7, 'the event handler onmouseover="…" on <div>; articles may not carry scripts; remove it'),
    "iframe": ('<iframe src="https://video.example/x"></iframe>\n', 7, "an <iframe> from video.example; only hosts listed in extra.newsroom.embed_hosts in mkdocs.yml may be embedded"),
    "object": ('<object data="x.swf"></object>\n', 7, "the <object> element; articles may not carry scripts, frames, forms or page settings; remove it"),
    "form": ('<form action="https://x.example/"><button>Gửi</button></form>\n', 7, "the <form> element; articles may not carry scripts, frames, forms or page settings; remove it"),
    "base": ('<base href="https://x.example/">\n', 7, "the <base> element; articles may not carry scripts, frames, forms or page settings; remove it"),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url=https://x.example/">\n', 7, "the <meta> element; articles may not carry scripts, frames, forms or page settings; remove it"),
    "style": ("<style>body { display: none }</style>\n", 7, "the <style> element; articles may not carry scripts, frames, forms or page settings; remove it"),
    "data-image": ("![ảnh](data:image/svg+xml;base64,PHN2Zz4=)\n", 7, "a data: address in src of <img>; link to an http(s) address or a page of this site"),
    "vbscript": ('<a href=" vbscript:msgbox(1)">x</a>\n', 7, "a vbscript: address in href of <a>; link to an http(s) address or a page of this site"),
}


@pytest.mark.parametrize("name", ACTIVE)
def test_active_content_stops_the_build_and_check_with_its_line(tiny_site, name):
    body, line, message = ACTIVE[name]
    tiny_site.post("2025/01/a.md", FRONT, body)
    built = tiny_site.build()
    expected = f"posts/2025/01/a.md:{line}: body: {message}"
    assert built.aborted and expected in built.errors
    assert not (built.site_dir / "2025/01/tin-an-toan").exists()
    result = check(tiny_site)
    assert result.returncode == 1 and expected in result.stdout.splitlines()


def test_word_markup_is_dropped_with_a_warning_and_the_text_kept(tiny_site):
    tiny_site.post("2025/01/a.md", FRONT, 'Chữ <font color="red">đỏ</font> và <span style="color:red">màu</span>.\n')
    built = tiny_site.build()
    assert built.aborted is None and built.errors == []
    page = built.text("2025/01/tin-an-toan/")
    assert "<p>Chữ đỏ và <span>màu</span>.</p>" in page and "font" not in page and "color:red" not in page
    result = check(tiny_site)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "posts/2025/01/a.md:7: warning: body: <font> is not allowed and is dropped (its text is kept); remove the tag",
        "posts/2025/01/a.md:7: warning: body: the style attribute on <span> is dropped; the site's own style applies; remove it",
    ]


def test_news_markup_passes_untouched(tiny_site):
    body = (
        "Đoạn đầu[^1] có *nhấn*, <abbr title=\"Ủy ban nhân dân\">UBND</abbr>.\n\n"
        "| Cột | Số |\n|:---:|---:|\n| a | 1 |\n\n"
        "!!! note \"Lưu ý\"\n    Nội dung.\n\n"
        "Ảnh chú thích.\n{: .caption }\n\n"
        "[Trang](https://example.vn/ \"tiêu đề\") <mailto:a@b.vn> [gọi](tel:+842363822222)\n\n"
        "[^1]: Chú thích.\n"
    )
    tiny_site.post("2025/01/a.md", FRONT, body)
    built = tiny_site.build()
    assert built.errors == []
    page = built.html("2025/01/tin-an-toan/")
    assert page.xpath("//div[@class='nr-body']//th/@style") == ["text-align: center;", "text-align: right;"]
    assert page.xpath("//div[@class='nr-body']//abbr/@title") == ["Ủy ban nhân dân"]
    assert page.xpath("//div[@class='nr-body']//div/@class") == ["admonition note", "footnote"]
    assert page.xpath("//div[@class='nr-body']//p[@class='caption']/text()") == ["Ảnh chú thích."]
    assert page.xpath("//div[@class='nr-body']//a/@href") == ["#fn:1", "https://example.vn/", "mailto:a@b.vn", "tel:+842363822222", "#fnref:1"]
    assert check(tiny_site).stdout == ""


def test_embeds_only_from_listed_hosts(tiny_site):
    iframe = '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen></iframe>\n'
    tiny_site.post("2025/01/a.md", FRONT, "Video.\n\n" + iframe)
    assert tiny_site.build().aborted
    options = {**tiny_site.config["extra"]["newsroom"], "embed_hosts": ["www.youtube.com"]}
    built = tiny_site.build(extra={**tiny_site.config["extra"], "newsroom": options})
    assert built.errors == []
    assert built.html("2025/01/tin-an-toan/").xpath("//div[@class='nr-body']//iframe/@src") == ["https://www.youtube.com/embed/abc"]


def test_editor_markup_in_a_title_stays_text_in_every_output(tiny_site):
    title = '<img src=x onerror="window.pwned=1">Tin "nóng" & mới'
    tiny_site.post("2025/01/a.md", f"title: '{title}'\ndate: 2025-01-02\nslug: tin-nong\nsummary: '<script>alert(1)</script>'")
    built = tiny_site.build()
    assert built.errors == []
    page = built.html("2025/01/tin-nong/")
    assert texts(page, "//article//h1") == [title] and page.xpath("//img[@onerror]") == []
    assert "<script>alert" not in built.all_text().replace("&lt;script&gt;", "")
    # The search index holds the title as data; the search page shows it as text (tests/test_browser.py).
    assert [record["meta"]["title"] for record in built.search_records()] == [title]
    feed = feedparser.parse((built.site_dir / "atom.xml").read_bytes())
    assert feed.entries[0].title == title and not feed.bozo


# --- addresses --------------------------------------------------------------

def test_a_title_without_letters_needs_a_slug(tiny_site):
    tiny_site.post("2025/01/a.md", 'title: "!!! ???"\ndate: 2025-01-02')
    tiny_site.post("2025/01/b.md", "title: 🎉🎉\ndate: 2025-01-02\nauthors: ['!!!', Hoàng Tuấn]")
    built = tiny_site.build()
    assert built.aborted and built.errors[:3] == [
        "posts/2025/01/a.md:2: title: has no letters or digits to make the article's address from; add a line such as: slug: thong-bao-moi",
        "posts/2025/01/b.md:2: title: has no letters or digits to make the article's address from; add a line such as: slug: thong-bao-moi",
        "posts/2025/01/b.md:4: authors: \"!!!\" has no letters or digits to make the author's page address from; write the author's name",
    ]


@pytest.mark.parametrize("slug", ["../../../x", ".", "..", "a/b", "Chữ", "x y", "-x", ""])
def test_a_slug_is_one_safe_segment(tiny_site, slug):
    tiny_site.post("2025/01/a.md", f"title: Tin\ndate: 2025-01-02\nslug: '{slug}'")
    built = tiny_site.build()
    assert built.aborted
    assert any(line.startswith("posts/2025/01/a.md:4: slug: ") for line in built.errors)


@pytest.mark.parametrize("slug", ["../../../x", ".", "co-quan/../..", "X"])
def test_a_registry_slug_cannot_leave_site_or_replace_a_page(tiny_site, slug):
    registry = tiny_site.root / "registries/topics.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + f"\n- name: Chủ đề lạ\n  slug: '{slug}'\n", encoding="utf-8")
    built = tiny_site.build()
    assert built.aborted
    assert any(f'slug: "{slug}" is not a valid slug' in line for line in built.errors)
    outside = [p for p in tiny_site.root.parent.rglob("*") if tiny_site.root not in p.parents and p != tiny_site.root]
    assert outside == []


def test_registry_parent_cycles_are_errors(tiny_site):
    registry = tiny_site.root / "registries/agencies.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8")
        + "\n- name: Cơ quan A\n  slug: co-quan-a\n  parent: co-quan-b\n- name: Cơ quan B\n  slug: co-quan-b\n  parent: co-quan-a\n"
        + "- name: Cơ quan C\n  slug: co-quan-c\n  parent: co-quan-c\n",
        encoding="utf-8",
    )
    result = check(tiny_site)
    cycles = [line for line in result.stdout.splitlines() if "parent:" in line]
    assert result.returncode == 1 and len(cycles) == 3
    assert cycles[0].endswith(': parent: "Cơ quan A" is its own parent or ancestor; give the chain of parents a top, with no parent')


@pytest.mark.parametrize("name", ["co-quan.md", "co-quan/index.md", "atom.xml", "2025/01/index.md", "sitemap.xml"])
def test_a_docs_file_at_a_generated_url_is_an_error(tiny_site, name):
    tiny_site.post("2025/01/a.md", FRONT)
    tiny_site.write(f"docs/{name}", "# Trang tĩnh\n")
    built = tiny_site.build()
    assert built.aborted
    assert any(line.startswith(f"docs/{name}:1: file: is in the way of the generated /") for line in built.errors)


# --- what is not public ---------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082")  # a real 1×1 picture: the build decodes every picture it publishes


def test_pictures_of_unpublished_articles_stay_out_of_site(tiny_site):
    for name in ("draft", "future", "expired", "public", "shared", "front"):
        tiny_site.write(f"docs/assets/{name}.png", PNG)
    tiny_site.post("2025/01/a.md", "title: Nháp\ndate: 2025-01-02\ndraft: true", "![a](/assets/draft.png) ![b](../../../assets/shared.png)\n")
    tiny_site.post("2025/01/b.md", "title: Sắp đăng\ndate: 2030-01-02", "![a](/assets/future.png)\n")
    tiny_site.post("2025/01/c.md", "title: Hết hạn\ndate: 2025-01-02\nexpires: 2025-06-01", '<img src="/assets/expired.png" alt="x">\n')
    tiny_site.post("2025/01/d.md", "title: Đã đăng\ndate: 2025-01-03", "![a](/assets/public.png)\n\n![b](/assets/shared.png)\n")
    tiny_site.post("2025/01/e.md", "title: Nháp ảnh đầu\ndate: 2025-01-02\ndraft: true\nimage: assets/front.png\nimage_alt: Ảnh", "Chữ.\n")
    built = tiny_site.build()
    assert built.errors == []
    present = sorted(p.name for p in (built.site_dir / "assets").glob("*.png"))
    assert present == ["public.png", "shared.png"]


@pytest.mark.parametrize("link", [
    "[nháp](/2025/01/nhap/)",
    "[nháp][r]\n\n[r]: /2025/01/nhap/",
    '<a href="/2025/01/nhap/">nháp</a>',
    "[nháp](https://example.gov.vn/2025/01/nhap/)",
    "<https://example.gov.vn/2025/01/nhap>",
    "[nháp](/2025/01/nhap)",
    "[nháp](/2025/01/nhap/index.html)",
    "[nháp](../nhap/#phan-2)",
    "[nháp](/2025/01/NHAP/?a=1)",
    "[nháp](/2025/01/nh%61p/)",
    # Forms only a browser reads as that address.
    '<a href="/2025/01/nhap/" href="/">nháp</a>',
    "[nháp](https:/2025/01/nhap/)",
    '<a href="\\2025\\01\\nhap\\">nháp</a>',
    "[nháp](https://example.gov.vn./2025/01/nhap/)",
])
def test_links_to_an_unpublished_article_are_caught_in_every_form(tiny_site, link):
    tiny_site.post("2025/01/nhap.md", "title: Nháp\ndate: 2025-01-02\ndraft: true")
    tiny_site.post("2025/01/a.md", FRONT, f"Xem {link}\n")
    built = tiny_site.build()
    line = 7 + link.count("\n")  # a reference link is reported where its address is written
    expected = f"posts/2025/01/a.md:{line}: body: links to /2025/01/nhap/, which is draft (posts/2025/01/nhap.md); publish that article first, or remove the link"
    assert built.aborted and expected in built.errors
    assert expected in check(tiny_site).stdout.splitlines()


def test_links_elsewhere_and_to_public_articles_pass(tiny_site):
    tiny_site.post("2025/01/b.md", "title: Bài B\ndate: 2025-01-01")
    tiny_site.post("2025/01/a.md", FRONT, "[b](/2025/01/bai-b/) [b2](https://example.gov.vn/2025/01/bai-b) [x](https://other.example/2025/01/nhap/) [m](mailto:a@b.vn)\n")
    assert tiny_site.build().errors == []


def test_the_importer_escapes_attribute_lists(tiny_site, tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text('date 2022-04 Tin nhập\n\nĐoạn một.\n{: onclick="alert(1)" }\n\nĐoạn {: .x } &lt; <b>hai</b>\n', encoding="utf-8")
    tiny_site.write_config()
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00"}
    subprocess.run([NEWSROOM, "import", str(raw)], cwd=tiny_site.root, env=env, check=True, capture_output=True, timeout=60)
    built = tiny_site.build()
    assert built.errors == []
    page = built.html("2022/04/tin-nhap/")
    assert texts(page, "//div[@class='nr-body']/p") == ['Đoạn một. {: onclick="alert(1)" }', "Đoạn {: .x } &lt; <b>hai</b>"]
    assert page.xpath("//*[@onclick]") == []
