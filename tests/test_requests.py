"""No wasted requests: every page type loads without fetching a sitemap, a 4xx/5xx or a console error.

Material's JavaScript reads every ``link[rel=alternate]`` as a language
alternate and fetches ``sitemap.xml`` beside its href: ``/sitemap.xml`` for the
site feed, ``<page>/sitemap.xml`` (a 404) for an agency's, topic's or author's.
One site is built for the module and served under a sub-path, as hosts do.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

from browser import browser_page, serve  # noqa: F401 (a fixture)
from conftest import ROOT, SEED_POST, build_served_site, html5lib

SEED_URL = "2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw/"
PAGES = {
    "home": "",
    "article": SEED_URL,
    "agency": "co-quan/ban-tuyen-giao-tinh-uy/",
    "topic": "chu-de/xay-dung-dang/",
    "author": "tac-gia/hoang-tuan/",
    "month": "2022/04/",
    "year": "2022/",
    "feeds": "theo-doi/",
    "search": "tim-kiem/?q=k%C3%BD%20k%E1%BA%BFt",
    "not-found": "404.html",
    "english": "en/",
    "english-contacts": "en/contacts/",
}


def build_site(root: Path) -> Path:
    """The seed article and one more, built for https://example.gov.vn/cong/; returns site/."""
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(ROOT / "registries", root / "registries")
    (root / "posts/2022/04").mkdir(parents=True)
    shutil.copy(SEED_POST, root / "posts/2022/04" / SEED_POST.name)
    (root / "posts/2022/04/hoi-nghi.md").write_text(
        "---\ntitle: Hội nghị tuyên truyền pháp luật\ndate: 2022-04-20\nauthors: Hoàng Tuấn\n"
        "agencies: [Ban Tuyên giáo Tỉnh ủy]\ntopics: [Xây dựng Đảng]\n---\n\nNội dung hội nghị.\n", encoding="utf-8")
    return build_served_site(root)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("requests") / "project")


@pytest.fixture(scope="module")
def base(site):
    with serve(site, "/cong/") as url:
        yield url


@pytest.mark.parametrize("kind", PAGES)
def test_a_page_fetches_no_sitemap_and_nothing_that_fails(browser_page, base, kind):
    failed = []
    browser_page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    browser_page.goto(base + PAGES[kind], wait_until="networkidle")
    browser_page.wait_for_timeout(200)  # Material subscribes after load; its requests would have started
    assert [url for url in browser_page.requests if "sitemap" in url] == []
    assert failed == []
    assert browser_page.errors == []


def test_feed_links_stay_discoverable(site):
    """Feed readers find an agency page's feeds: rel has the token "alternate", type is Atom."""
    tree = html5lib.parse((site / PAGES["agency"] / "index.html").read_text(encoding="utf-8"),
                          treebuilder="lxml", namespaceHTMLElements=False)
    feeds = [link for link in tree.iter("link") if "alternate" in link.get("rel", "").split()]
    assert {link.get("type") for link in feeds} == {"application/atom+xml"}
    page = "https://example.gov.vn/cong/" + PAGES["agency"]
    hrefs = sorted(urljoin(page, link.get("href")) for link in feeds)
    assert hrefs == ["https://example.gov.vn/cong/atom.xml", page + "atom.xml"]
    for href in hrefs:  # each is a feed the build wrote
        assert (site / href.removeprefix("https://example.gov.vn/cong/")).is_file(), href
