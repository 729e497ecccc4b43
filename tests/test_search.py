"""The search page in a real browser: Vietnamese as readers type it, facets in the URL, only public articles.

One site is built for the module (the seed article and a few rivals chosen to
trip a naive search) and served on loopback, at the root and under a sub-path.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, browser_page, serve, sync_playwright  # noqa: F401 (a fixture)
from conftest import ROOT, SEED_POST, build_served_site

SEED_TITLE = "Ký kết chương trình phối hợp công tác theo Quyết định 238-QĐ/TW"
SEED_URL = "2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw/"
POSTS = {
    # Every word of "ban tuyên giáo tỉnh ủy", many times, never side by side.
    "2023/05/roi-rac.md": ("Tỉnh tổ chức hội thi", "2023-05-02", "UBND tỉnh", "Văn hóa",
                           "Ban giám khảo tỉnh, ủy viên, giáo viên tuyên dương. " * 8),
    # "da" (skin) and "nang" many times; Đà Nẵng once.
    "2023/06/cham-soc-da.md": ("Chăm sóc da mùa hè", "2023-06-01", "Sở Y tế", "Y tế",
                               "Da khô, da dầu, nang lông: nàng nào cũng cần biết về da. " * 6),
    "2023/06/da-nang.md": ("Đoàn công tác thăm Đà Nẵng", "2023-06-02", "UBND tỉnh", "Kinh tế",
                           "Đoàn đã làm việc tại thành phố Đà Nẵng về hợp tác đầu tư."),
    # "hòa" once against "hóa" and "hoa" many times.
    "2024/01/hoa-binh.md": ("Lễ kỷ niệm", "2024-01-05", "Sở Văn hóa, Thể thao và Du lịch", "Văn hóa",
                            "Buổi lễ diễn ra trong không khí hòa bình."),
    "2024/01/hoa-hoc.md": ("Hội thi hóa học", "2024-01-06", "Sở Giáo dục và Đào tạo", "Giáo dục",
                           "Hóa học, hoa và hóa chất: hóa hóa hoa hoa hóa. " * 5),
    # Written with "i" where others write "y" (kĩ/kỹ): either spelling finds it.
    "2024/01/ki-thuat.md": ("Hội thảo kĩ thuật", "2024-01-07", "Sở Giáo dục và Đào tạo", "Giáo dục",
                            "Bàn về kĩ thuật canh tác mới."),
}
HIDDEN = {  # a word only unpublished articles have
    "2024/02/nhap.md": "title: Nháp bimatnhap\ndate: 2024-02-01\ndraft: true",
    "2030/01/sap-dang.md": "title: Sắp đăng bimatnhap\ndate: 2030-01-01",
    "2024/03/het-han.md": "title: Hết hạn bimatnhap\ndate: 2024-03-01\nexpires: 2024-06-01",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site folder (built once: every test here only reads it)."""
    root = tmp_path_factory.mktemp("search") / "project"
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(ROOT / "registries", root / "registries")
    (root / "posts/2022/04").mkdir(parents=True)
    shutil.copy(SEED_POST, root / "posts/2022/04" / SEED_POST.name)
    for path, (title, date, agency, topic, body) in POSTS.items():
        _write(root / "posts" / path, f"title: {title}\ndate: {date}\nagencies: [\"{agency}\"]\ntopics: [\"{topic}\"]", body)
    for path, front in HIDDEN.items():
        _write(root / "posts" / path, front, "Nội dung bimatnhap.")
    return build_served_site(root, search_bundle_size=1)  # one bundle a year here: searched one after another


def _write(path: Path, front: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def base(site):
    with serve(site, "/cong/") as url:
        yield url


def results(page, base: str, query: str = "", **params) -> list[tuple[str, str]]:
    """(title, href) of every result shown for the search page opened with these URL parameters."""
    params = {"q": query, **params} if query else params
    search = "&".join(f"{key}={quote(value)}" for key, value in params.items())
    page.goto(f"{base}tim-kiem/?{search}")
    return _shown(page)


def _shown(page) -> list[tuple[str, str]]:
    page.wait_for_function("() => { const s = document.getElementById('search-status').textContent; return s && !s.startsWith('Đang'); }", timeout=20000)
    links = page.locator("#search-results li h2 a")
    return [(link.inner_text(), link.get_attribute("href")) for link in links.all()]


@pytest.mark.parametrize("query", [
    "quyết định 238", "quyet dinh 238", "QUYET DINH", "ky ket chuong trinh phoi hop",
    unicodedata.normalize("NFD", "Ký kết chương trình"), "kế hoạch", "kế họach", "ke hoach", "Tòa án nhân dân", "toà án",
])
def test_queries_as_readers_type_them_find_the_seed(browser_page, base, query):
    found = results(browser_page, base, query)
    assert (SEED_TITLE, "/cong/" + SEED_URL) in found, found
    assert browser_page.errors == []


def test_adjacent_syllables_rank_first(browser_page, base):
    assert results(browser_page, base, "ban tuyên giáo tỉnh ủy")[0][0] == SEED_TITLE
    assert results(browser_page, base, "da nang")[0][0] == "Đoàn công tác thăm Đà Nẵng"


def test_an_accented_query_ranks_exact_tones_first(browser_page, base):
    found = [title for title, _ in results(browser_page, base, "hòa")]
    assert found[0] == "Lễ kỷ niệm" and "Hội thi hóa học" in found
    assert [title for title, _ in results(browser_page, base, "hoà")][0] == "Lễ kỷ niệm"  # the other tone placement


def test_a_quoted_query_is_an_exact_phrase(browser_page, base):
    assert [t for t, _ in results(browser_page, base, '"đà nẵng"')] == ["Đoàn công tác thăm Đà Nẵng"]
    assert results(browser_page, base, '"nẵng đà"') == []


def test_filters_narrow_the_count_and_survive_a_reload(browser_page, base):
    everything = results(browser_page, base, "tỉnh")
    narrowed = results(browser_page, base, "tỉnh", **{"co-quan": "Ban Tuyên giáo Tỉnh ủy"})
    assert len(everything) > 1 and narrowed == [(SEED_TITLE, "/cong/" + SEED_URL)]
    assert browser_page.locator("#nr-co-quan").input_value() == "Ban Tuyên giáo Tỉnh ủy"
    results(browser_page, base, "tỉnh")
    browser_page.select_option("#nr-nam", "2023")
    assert "nam=2023" in browser_page.url
    in_2023 = _shown(browser_page)
    assert 0 < len(in_2023) < len(everything) and ("Tỉnh tổ chức hội thi", "/cong/2023/05/tinh-to-chuc-hoi-thi/") in in_2023
    browser_page.reload()
    assert _shown(browser_page) == in_2023
    assert browser_page.locator("#nr-nam").input_value() == "2023"
    browser_page.wait_for_selector(".nr-search__facets[aria-busy=false]")  # counts come after the results
    assert "Ủy ban nhân dân tỉnh (2)" in browser_page.locator("#nr-co-quan option").all_inner_texts()


def test_newest_first(browser_page, base):
    found = results(browser_page, base, "", **{"chu-de": "Văn hóa", "sap-xep": "moi-nhat"})
    assert [title for title, _ in found] == ["Lễ kỷ niệm", "Tỉnh tổ chức hội thi"]


def test_unpublished_articles_are_never_found(browser_page, base, site):
    assert results(browser_page, base, "bimatnhap") == []
    assert "Không tìm thấy bài nào" in browser_page.inner_text("#search-status")
    assert not (site / ".search-source").exists()


def test_nothing_is_loaded_before_a_search_starts(browser_page, base):
    for url in ("", SEED_URL, "tim-kiem/"):
        browser_page.goto(base + url)
        browser_page.wait_for_load_state("networkidle")
    assert [r for r in browser_page.requests if "/pagefind/" in r] == []
    browser_page.fill("#nr-header-q", "quyết định")
    browser_page.press("#nr-header-q", "Enter")
    assert _shown(browser_page)[0][0] == SEED_TITLE
    assert any("/cong/pagefind/" in r for r in browser_page.requests)
    assert browser_page.errors == []


def test_keyboard_reaches_the_results(browser_page, base):
    results(browser_page, base, "quyết định")
    browser_page.focus("#nr-q")
    for _ in range(8):
        browser_page.keyboard.press("Tab")
        if browser_page.evaluate("() => document.activeElement.closest('#search-results') !== null"):
            break
    assert browser_page.evaluate("() => document.activeElement.getAttribute('href')") == "/cong/" + SEED_URL


def test_without_javascript_the_page_says_so(site):
    page = (site / "tim-kiem/index.html").read_text(encoding="utf-8")
    assert "<noscript>" in page and "Tìm kiếm cần JavaScript" in page and 'href="../luu-tru/"' in page


def test_bundles_of_years_and_only_the_newest_holds_pagefind(site):
    bundles = sorted(path.name for path in (site / "pagefind").iterdir())
    assert bundles == ["2022", "2023", "2024"]  # years with a public article (not 2030's scheduled one)
    assert (site / "pagefind/2024/pagefind.js").is_file() and (site / "pagefind/2024/wasm.unknown.pagefind").is_file()
    assert not list((site / "pagefind/2023").glob("*.js")) and not list((site / "pagefind/2022").glob("wasm.*"))
    assert 'data-bundles="2024 2023 2022"' in (site / "tim-kiem/index.html").read_text(encoding="utf-8")


def _index_words(bundle: Path) -> set[str]:
    import gzip

    import cbor2

    found = set()
    for chunk in (bundle / "index").glob("*.pf_index"):
        for entry in cbor2.loads(gzip.decompress(chunk.read_bytes())[len(b"pagefind_dcd"):])[0]:
            found.add(entry[0])
    return found


def test_the_text_as_written_is_carried_but_never_indexed(site):
    # "đơn vị", "chỉ đạo" are in the seed's body only: indexed folded, never as written (Pagefind
    # indexes metadata as written: the title's and the agencies' words are there both ways).
    words = _index_words(site / "pagefind/2022")
    assert {"don", "dao"} <= words and not [w for w in words if w.startswith(("đon", "đao"))]


def test_the_year_filter_loads_only_its_years_index(browser_page, base):
    found = results(browser_page, base, "tỉnh", nam="2022")
    assert found == [(SEED_TITLE, "/cong/" + SEED_URL)]
    assert not [r for r in browser_page.requests if "/pagefind/2023/" in r]


def test_a_query_of_no_word_finds_nothing_and_an_emptied_one_ends_the_search(browser_page, base):
    assert results(browser_page, base, "!!!") == []
    browser_page.fill("#nr-q", "")
    browser_page.press("#nr-q", "Enter")
    browser_page.wait_for_selector("#search-results[aria-busy=false]", state="attached")
    assert browser_page.inner_text("#search-status") == "" and browser_page.locator("#search-results li").count() == 0


def test_a_failed_download_is_said_and_the_next_search_starts_afresh(browser_page, base):
    browser_page.route("**/pagefind/2022/**", lambda route: route.abort())
    browser_page.goto(f"{base}tim-kiem/?q={quote('quyết định')}")
    browser_page.wait_for_function("() => document.getElementById('search-status').textContent.includes('Không tải được')")
    assert "Không tải được" in browser_page.inner_text("#search-status")
    browser_page.unroute("**/pagefind/2022/**")
    browser_page.errors.clear()  # the aborted requests, logged by the browser
    browser_page.press("#nr-q", "Enter")
    assert _shown(browser_page)[0] == (SEED_TITLE, "/cong/" + SEED_URL)


def test_months_of_the_newest_year_and_older_years_are_all_searched(tiny_site, browser_page):
    from newsroom import search

    tiny_site.monkeypatch.setattr(search, "TIER", 1)  # months of one article and more: bundles 2024.05, 2024.03, 2024.01, 2023
    for path, title, date in (("2023/02/a.md", "Hợp tác đầu tư với Lào", "2023-02-01"), ("2023/03/b.md", "Hội nghị", "2023-03-01"),
                              ("2024/01/c.md", "Tọa đàm", "2024-01-05"), ("2024/03/d.md", "Gặp mặt", "2024-03-01"),
                              ("2024/05/e.md", "Tiếp khách", "2024-05-01")):
        tiny_site.post(path, f"title: {title}\ndate: {date}", "Bàn về hợp tác giữa hai bên và nhiều việc khác.\n")
    newsroom = {**tiny_site.config["extra"]["newsroom"], "search_bundle_size": 2}
    built = tiny_site.build(extra={**tiny_site.config["extra"], "newsroom": newsroom})
    assert sorted(p.name for p in (built.site_dir / "pagefind").iterdir()) == ["2023", "2024.01", "2024.03", "2024.05"]
    with serve(built.site_dir, "/") as url:
        found = [title for title, _ in results(browser_page, url, "hop tac")]
        assert found[0] == "Hợp tác đầu tư với Lào" and len(found) == 5  # the oldest bundle's, ranked first once all are in
        browser_page.requests.clear()
        in_2024 = sorted(title for title, _ in results(browser_page, url, "hợp tác", nam="2024"))
        assert in_2024 == ["Gặp mặt", "Tiếp khách", "Tọa đàm"] and not [r for r in browser_page.requests if "/pagefind/2023/" in r]
    assert browser_page.errors == []


# Records what the page sends Pagefind's worker (the method of each message), and lets the test collect garbage.
_WORKER_LOG = """
window.nrWorkerMethods = [];
window.nrWorkers = 0;
const Original = window.Worker;
window.Worker = class extends Original { constructor(...args) { super(...args); window.nrWorkers++; } };
const send = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  if (message && message.method) window.nrWorkerMethods.push(message.method);
  return send.call(this, message, ...rest);
};
"""


def test_results_cost_the_worker_no_message_each_and_a_full_worker_is_replaced(tiny_site):
    # One bundle of 300 articles, all found by each search: Pagefind's wrapper would send one
    # message per result collected; the page instead replaces the worker (which keeps the results
    # and every index it loaded) once it holds more than 3 x 300 results: a new one is started
    # when a search ends, and the next search moves to it.
    built = _bundle_of_300(tiny_site)
    assert built.errors == [] and [p.name for p in (built.site_dir / "pagefind").iterdir()] == ["2024"]
    worker = (built.site_dir / "pagefind/2024/pagefind-worker.js").read_text(encoding="utf-8")
    exposed = worker.replace("wasm=instance.exports;", "wasm=instance.exports;self.nrWasm=wasm;", 1)
    assert exposed != worker  # the test's window on the worker's WebAssembly memory
    with serve(built.site_dir, "/") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + ["--js-flags=--expose-gc"])
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.add_init_script(_WORKER_LOG)
        page.route("**/pagefind-worker.js*", lambda route: route.fulfill(body=exposed, content_type="text/javascript"))
        page.goto(f"{url}tim-kiem/")

        def memory():
            return page.workers[-1].evaluate("self.nrWasm.memory.buffer.byteLength")

        for query in ("hợp tác", "hop tac", "hai ben"):  # 3 x 300 results: as many as it may hold
            assert "Tìm thấy 300 bài" in _searched(page, query)
        assert page.evaluate("window.nrWorkers") == 1
        assert "Tìm thấy 300 bài" in _searched(page, "ban ve")  # 1,200: a new worker once the reader pauses
        page.wait_for_function("() => window.nrWorkers === 2")
        held = page.workers[0].evaluate("self.nrWasm.memory.buffer.byteLength")
        page.click("#nr-more")  # the results shown are the old worker's, and still load their text
        page.wait_for_function("() => document.querySelectorAll('#search-results > li').length === 20")
        assert "destroy" not in page.evaluate("window.nrWorkerMethods")
        for _ in range(20):  # once the new worker has the bundle open with its filter files, a search moves to it
            page.wait_for_timeout(250)
            assert "Tìm thấy 300 bài" in _searched(page, "hop tac")
            if "destroy" in page.evaluate("window.nrWorkerMethods"):
                break
        assert page.evaluate("window.nrWorkers") == 2 and page.evaluate("window.nrWorkerMethods").count("destroy") == 1
        assert _alive_workers(page, 1) == 1 and memory() <= held  # the old worker stopped with its instances
        page.click("#nr-more")
        page.wait_for_function("() => document.querySelectorAll('#search-results > li').length === 20")
        page.evaluate("() => gc()")
        page.wait_for_timeout(500)  # finalizers run after the collection
        assert "releaseData" not in page.evaluate("window.nrWorkerMethods")
        browser.close()
    assert errors == []


def _bundle_of_300(tiny_site):
    """A site of one search bundle of 300 articles, every one found by "hợp tác", "hai bên" or "bàn về"."""
    for n in range(300):
        tiny_site.post(f"2024/{n % 12 + 1:02}/bai-{n}.md", f"title: Hợp tác số {n}\ndate: 2024-{n % 12 + 1:02}-{n % 28 + 1:02}",
                       f"Hai bên bàn về hợp tác. Mã {n}x{n}.\n")
    return tiny_site.build()


def _searched(page, query: str) -> str:
    """The status once ``query``, typed in the search box, is searched."""
    page.fill("#nr-q", query)
    page.press("#nr-q", "Enter")
    _shown(page)
    page.wait_for_selector(".nr-search__facets[aria-busy=false]", state="attached")
    return page.inner_text("#search-status")


def test_pagefind_failing_to_load_for_a_search_already_replaced_does_not_fail_the_next(browser_page, base):
    held = []
    browser_page.route("**/pagefind.js*", lambda route: route.continue_() if held else held.append(route))
    browser_page.goto(f"{base}tim-kiem/")
    browser_page.fill("#nr-q", "quyet dinh")
    browser_page.press("#nr-q", "Enter")  # loads Pagefind: held
    browser_page.wait_for_function("() => document.getElementById('search-status').textContent.startsWith('Đang')")
    browser_page.wait_for_timeout(300)
    assert held
    browser_page.fill("#nr-q", "")
    browser_page.press("#nr-q", "Enter")  # replaces it with a search of nothing
    held[0].abort()  # the first search's download fails, after it was replaced
    browser_page.wait_for_timeout(300)
    browser_page.errors.clear()  # the aborted request, logged by the browser
    browser_page.fill("#nr-q", "quyet dinh")
    browser_page.press("#nr-q", "Enter")
    assert _shown(browser_page)[0] == (SEED_TITLE, "/cong/" + SEED_URL)


@pytest.mark.parametrize("query", ["qd 238", "238-QĐ/TW", "tw"])
def test_words_joined_by_punctuation_are_found_one_by_one(browser_page, base, query):
    found = results(browser_page, base, query)  # the seed's title has "238-QĐ/TW"
    assert (SEED_TITLE, "/cong/" + SEED_URL) in found, found
    marked = browser_page.locator("#search-results li").first.locator("mark").all_inner_texts()
    assert any("238-QĐ/TW" in m for m in marked) or query == "tw", marked


@pytest.mark.parametrize("query", ["kỹ thuật", "ky thuat", "kĩ thuật", "ki thuat", "KỸ THUẬT"])
def test_either_spelling_of_i_and_y_finds_the_other(browser_page, base, query):
    assert results(browser_page, base, query)[0][0] == "Hội thảo kĩ thuật"


def _alive_workers(page, count: int) -> int:
    """The page's live workers, once there are ``count`` or after 5 s."""
    for _ in range(50):
        if len(page.workers) == count:
            break
        page.wait_for_timeout(100)
    return len(page.workers)


def test_a_worker_that_fails_is_stopped_and_facets_stay(tiny_site):
    built = _bundle_of_300(tiny_site)  # 4 searches finding all 300 fill a worker (3 x 300)
    with serve(built.site_dir, "/") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.add_init_script(_WORKER_LOG)
        page.goto(f"{url}tim-kiem/")
        for query in ("hợp tác", "hop tac", "hai ben", "ban ve"):
            assert "Tìm thấy 300 bài" in _searched(page, query)
        years = page.locator("#nr-nam option").count()
        # The new worker started while the reader pauses cannot load the filter files: it is stopped, not used.
        page.route("**/pagefind/2024/filter/**", lambda route: route.abort())
        page.wait_for_function("() => window.nrWorkers === 2")
        page.wait_for_timeout(1000)
        assert _alive_workers(page, 1) == 1
        page.unroute("**/pagefind/2024/filter/**")
        assert "Tìm thấy 300 bài" in _searched(page, "hop tac") and page.locator("#nr-nam option").count() == years
        # A search whose downloads fail stops its worker; the next search starts a new one.
        page.route("**/fragment/**", lambda route: route.abort())
        page.fill("#nr-q", "ma 17x17")
        page.press("#nr-q", "Enter")
        page.wait_for_function("() => document.getElementById('search-status').textContent.includes('Không tải được')")
        page.unroute("**/fragment/**")
        assert "Tìm thấy 300 bài" in _searched(page, "hai ben") and _alive_workers(page, 1) == 1
        browser.close()


def test_the_filters_with_their_counts_fit_a_phone(tiny_site, browser_page):
    # The registry's longest agency name, with its count, is the lists' longest option.
    tiny_site.post("2024/05/mat-tran.md", "title: Hội nghị Mặt trận\ndate: 2024-05-02\nagencies: [Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh]\n"
                   "topics: [Văn hóa]")
    built = tiny_site.build()
    assert built.errors == []
    with serve(built.site_dir, "/") as url:
        assert results(browser_page, url, "hoi nghi mat tran")[0][0] == "Hội nghị Mặt trận"
        browser_page.wait_for_selector(".nr-search__facets[aria-busy=false]", state="attached")
        assert browser_page.viewport_size["width"] == 390
        assert browser_page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
