"""What Pagefind is given for one article (newsroom.search.source_files), read back with a real HTML parser, and the records it makes."""

from __future__ import annotations

import gzip
import hashlib
import json
import posixpath
import re
import threading
import time

import cbor2

import html5lib

from newsroom import pagefind_bundle, search, search_cache, urls
from newsroom.dates import parse
from newsroom.post import Post

BODY = "<p>Tỉnh ủy họp. " + "Tỉnh, tỉnh; TỈNH " * 5 + "<b>&lt;script&gt;</b> Đà Nẵng.</p>"


def _source():
    post = Post(path="p.md", title="Tỉnh ủy & \"Đà Nẵng\"", date=parse("2024-05-02"), slug="t", body="b", summary="Tóm tắt.")
    post.html = BODY
    source, text = search.source_files(post)
    page = html5lib.parse(source, treebuilder="lxml", namespaceHTMLElements=False)
    meta = {m.get("data-pagefind-meta"): m.get("content") for m in page.iter("meta") if m.get("data-pagefind-meta")}
    indexed = " ".join(p.text or "" for p in page.iter("p"))
    return text, meta, indexed


def test_the_text_as_written_goes_beside_the_page_pagefind_reads_not_into_it():
    text, meta, indexed = _source()
    assert text.startswith('Tỉnh ủy & "Đà Nẵng" Tóm tắt. Tỉnh ủy họp.') and "<script>" in text
    assert set(meta) == {"title[content]", "date[content]"}  # and agencies, if any: no field of text for Pagefind to go through
    assert indexed.isascii()


def test_each_record_gets_its_text_as_written_under_a_name_from_its_bytes(tiny_site):
    tiny_site.post("2024/05/tin.md", 'title: "Tin <b>mới</b> & Đà Nẵng"\nslug: tin-moi\ndate: 2024-05-02\nsummary: Tóm tắt.\nauthors: Trần Thị Hòa',
                   "Quyết định số 238-QĐ/TW về **công tác** tuyên giáo.\n")
    tiny_site.post("2024/06/khac.md", "title: Tin khác\ndate: 2024-06-02", "Nội dung khác.\n")
    built = tiny_site.build()
    assert built.errors == []
    records = {record["url"]: record for record in built.search_records()}
    written = records["/2024/05/tin-moi/"]
    assert written["meta"]["text"] == "Tin <b>mới</b> & Đà Nẵng Tóm tắt. Quyết định số 238-QĐ/TW về công tác tuyên giáo. Trần Thị Hòa"
    assert written["content"] == "" and records["/2024/06/tin-khac/"]["meta"]["text"].startswith("Tin khác Nội dung khác.")
    bundle = built.site_dir / "pagefind" / "2024"
    [meta_file] = bundle.glob("pagefind.*.pf_meta")
    listed = {name for name, _ in cbor2.loads(gzip.decompress(meta_file.read_bytes())[len(b"pagefind_dcd"):])[1]}
    files = {file.stem: file.read_bytes() for file in (bundle / "fragment").iterdir()}
    assert set(files) == listed  # every record the index names, and no other
    assert all(hashlib.sha256(data).hexdigest().startswith(name.removeprefix("vi_")) for name, data in files.items())
    assert not (built.site_dir / search.SOURCE_DIR).exists()


def test_a_word_is_indexed_folded_and_at_most_repeats_times():
    _, meta, indexed = _source()
    words = [w.strip(",;.&\"").lower() for w in indexed.split()]
    assert words.count("tinh") == search.REPEATS  # eleven in the article, title included
    assert "da" in words and "nang" in words and "đa" not in words
    assert meta["title[content]"] == 'Tỉnh ủy & "Đà Nẵng"'  # shown as written, from an attribute


def _capped_whole(text: str, seen: dict) -> str:  # the whole text folded at once, then capped: what _searched must give
    kept = []
    for token in search.fold(text).split():
        key = " ".join(re.findall(r"\w+", token.lower()))
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= search.REPEATS or not key:
            kept.append(token)
    return " ".join(kept)


def test_words_folded_one_by_one_give_what_the_whole_text_folded_gives():
    parts = ["Kỹ thuật (kỹ) KỸ, kĩ-thuật Đà Nẵng 238-QĐ/TW 238-qđ/tw qđ. tỉnh, tỉnh; tỉnh: tỉnh! Tỉnh “Hòa” hoà…",
             "a\u0301 e\u0300 \u0301ư\u0309 y ý Ý  hy  Hy ky. quý QUÝ Quy — – ... ,,,", "İstanbul ß ǅ ﬁ ½ 𝔸 ١٢ 漢字 ສະບາຍດີ"]
    for words_kept in (search._WORDS_KEPT, 1):  # and when the remembered words are forgotten at every word
        search._WORDS.clear()
        old, search._WORDS_KEPT = search._WORDS_KEPT, words_kept
        try:
            mine, theirs = {}, {}
            assert [search._searched(part, mine) for part in parts] == [_capped_whole(part, theirs) for part in parts]
            assert mine == theirs
        finally:
            search._WORDS_KEPT = old


def _posts(*years):
    return [Post(path=f"{i}.md", title="t", date=parse(f"{y}-01-02"), slug=f"t{i}", body="b", summary="") for i, y in enumerate(years)]


def test_bundles_are_whole_years_filled_from_the_oldest_and_listed_newest_first(tmp_path):
    posts = _posts(2025, 2025, 2025, 2024, 2023, 2023, 2021, 2019)
    assert search.bundles(posts, 3) == {"2024-2025": [2025, 2024], "2019-2023": [2023, 2021, 2019]}
    assert list(search.bundles(posts + _posts(2026), 3)) == ["2026", "2024-2025", "2019-2023"]  # full ones stay
    assert search.bundles(posts, 1000) == {"2019-2025": [2025, 2024, 2023, 2021, 2019]}  # a small archive: one
    assert search.bundles(posts, 1) == {str(y): [y] for y in (2025, 2024, 2023, 2021, 2019)}
    assert search.bundles([], 5) == {}
    post = posts[3]
    assert search.source_path(tmp_path, post) == tmp_path / search.SOURCE_DIR / "2024" / post.url / "index.html"


def test_source_pages_left_by_a_stopped_build_are_never_indexed(tiny_site):
    tiny_site.post("2024/05/tin.md", "title: Tin mới\ndate: 2024-05-02")
    tiny_site.write("site/.search-source/2024/2024/01/da-go/index.html",
                    '<html><body><main data-pagefind-body><p>bimatdago</p></main></body></html>')
    built = tiny_site.build()
    assert built.errors == []
    assert [record["url"] for record in built.search_records()] == ["/2024/05/tin-moi/"]


def _dated(*dates):
    return [Post(path=f"{i}.md", title="t", date=parse(d), slug=f"d{i}", body="b", summary="") for i, d in enumerate(dates)]


def test_the_newest_bundle_is_split_into_months_filled_from_the_oldest():
    posts = _dated("2023-02-01", "2023-03-01", "2024-01-05", "2024-01-20", "2024-03-01", "2024-05-01", "2024-06-01")
    bundles = search.bundles(posts, 2, tier=2)  # the newest bundle, 2024, holds 5 > 2 x 2 articles: split
    assert bundles == {"2024.06": [(2024, 6)], "2024.03-2024.05": [(2024, 5), (2024, 3)], "2024.01": [(2024, 1)], "2023": [2023]}
    assert [span.articles for span in bundles.values()] == [1, 2, 2, 2]
    later = search.bundles(posts + _dated("2024-07-01"), 2, tier=2)
    assert list(later) == ["2024.06-2024.07", "2024.03-2024.05", "2024.01", "2023"]  # full months stay
    next_year = search.bundles(posts + _dated("2025-01-01"), 2, tier=2)
    assert next_year == {"2025": [2025], "2024": [2024], "2023": [2023]}  # a closed year is whole again
    assert list(search.bundles(posts, 2, tier=3)) == ["2024", "2023"]  # 5 articles: small enough in one
    assert search.bundles(posts, 1000) == {"2023-2024": [2024, 2023]}  # tiers of TIER (250): none here


def test_older_bundles_use_the_newest_bundles_webassembly(tiny_site):
    tiny_site.monkeypatch.setattr(search, "TIER", 1)
    for path, date in (("2023/02/a.md", "2023-02-01"), ("2023/03/b.md", "2023-03-01"),
                       ("2024/01/c.md", "2024-01-05"), ("2024/03/d.md", "2024-03-01"), ("2024/05/e.md", "2024-05-01")):
        tiny_site.post(path, f"title: Tin {path[8]}\ndate: {date}")
    built = tiny_site.build(extra=_bundle_size(tiny_site, 2))
    assert built.errors == []
    pagefind = built.site_dir / "pagefind"
    assert sorted(p.name for p in pagefind.iterdir()) == ["2023", "2024.01", "2024.03", "2024.05"]
    page = (built.site_dir / "tim-kiem/index.html").read_text(encoding="utf-8")
    assert 'data-bundles="2024.05 2024.03 2024.01 2023"' in page and 'data-articles="1 1 1 2"' in page
    assert (pagefind / "2024.05/wasm.unknown.pagefind").is_file() and not list((pagefind / "2024.01").glob("wasm.*"))
    entry = json.loads((pagefind / "2023/pagefind-entry.json").read_text(encoding="utf-8"))
    wasm = entry["languages"]["vi"]["wasm"]  # fetched as pagefind/2023/wasm.<wasm>.pagefind
    assert posixpath.normpath(f"pagefind/2023/wasm.{wasm}.pagefind") == "pagefind/2024.05/wasm.unknown.pagefind"


def test_folding_drops_accents_tones_and_d_and_writes_a_consonant_and_y_with_i():
    assert search.fold("Đà Nẵng, quyết định") == "Da Nang, quyet dinh"
    assert search.fold("Kỹ thuật Mỹ, quý, bác sỹ, tỷ, hy sinh") == search.fold("Kĩ thuật Mĩ, quí, bác sĩ, tỉ, hi sinh")
    assert search.fold("tuy, hay, ý kiến, thủy, Vy") == "tuy, hay, y kien, thuy, Vy"  # no consonant and "y" alone


def _bundle_size(tiny_site, size):
    """The site's extra settings with bundles of ``size`` articles."""
    return {**tiny_site.config["extra"], "newsroom": {**tiny_site.config["extra"]["newsroom"], "search_bundle_size": size}}


def _two_bundles(tiny_site):
    tiny_site.post("2023/02/a.md", "title: Tin năm trước\ndate: 2023-02-01", "Quyết định năm trước.\n")
    tiny_site.post("2024/03/b.md", "title: Tin năm nay\ndate: 2024-03-01", "Quyết định năm nay.\n")
    runs = []
    index = search._index
    tiny_site.monkeypatch.setattr(search, "_index", lambda source, output: runs.append(source.name) or index(source, output))
    extra = _bundle_size(tiny_site, 1)
    return runs, lambda: tiny_site.build(extra=extra)


def _bundle_files(site_dir, name):
    folder = site_dir / "pagefind" / name
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_bundle_whose_articles_did_not_change_is_copied_from_the_cache(tiny_site):
    runs, build = _two_bundles(tiny_site)
    first = build()
    assert first.errors == [] and sorted(runs) == ["2023", "2024"]
    older, newer = _bundle_files(first.site_dir, "2023"), _bundle_files(first.site_dir, "2024")
    runs.clear()
    tiny_site.post("2024/03/b.md", "title: Tin năm nay\ndate: 2024-03-01", "Quyết định năm nay, sửa lại.\n")
    second = build()
    assert second.errors == [] and runs == ["2024"]  # only the bundle whose article changed
    assert _bundle_files(second.site_dir, "2023") == older and _bundle_files(second.site_dir, "2024") != newer
    texts = {record["url"]: record["meta"]["text"] for record in second.search_records()}
    assert texts["/2024/03/tin-nam-nay/"].endswith("sửa lại.") and texts["/2023/02/tin-nam-truoc/"].endswith("năm trước.")
    cache = tiny_site.root / search_cache.CACHE_FOLDER
    assert len(list(cache.iterdir())) == 2  # this build's entries only: the old 2024 one is gone
    runs.clear()
    assert build().errors == [] and runs == []
    assert _bundle_files(tiny_site.root / "site", "2024") == _bundle_files(second.site_dir, "2024")


def test_a_cache_entry_that_is_incomplete_or_holds_a_link_is_made_again(tiny_site):
    runs, build = _two_bundles(tiny_site)
    assert build().errors == []
    cache = tiny_site.root / search_cache.CACHE_FOLDER
    secret = tiny_site.root / "secret.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    linked, partial = sorted(cache.iterdir())
    next(linked.glob("fragment/*")).unlink()
    (linked / "fragment" / "vi_link.pf_fragment").symlink_to(secret)
    (partial / ".files.json").unlink()  # as a build stopped while saving it leaves it
    runs.clear()
    built = build()
    assert built.errors == [] and sorted(runs) == ["2023", "2024"]
    assert not list(built.site_dir.rglob("vi_link*")) and "mật khẩu" not in json.dumps(built.search_records(), ensure_ascii=False)
    assert {entry.name for entry in cache.iterdir()} == {linked.name, partial.name}
    assert not list(cache.rglob("vi_link*")) and all((entry / ".files.json").is_file() for entry in cache.iterdir())


def test_a_cache_entry_changed_since_it_was_saved_is_made_again(tiny_site):
    runs, build = _two_bundles(tiny_site)
    first = build()
    assert first.errors == []
    whole = {name: _bundle_files(first.site_dir, name) for name in ("2023", "2024")}
    cache = tiny_site.root / search_cache.CACHE_FOLDER
    emptied, cut = sorted(cache.iterdir())
    for record in emptied.glob("fragment/*"):  # as a cache only partly restored by CI, or two builds at once, may leave it
        record.unlink()
    next(cut.glob("fragment/*")).write_bytes(b"")
    runs.clear()
    built = build()
    assert built.errors == [] and sorted(runs) == ["2023", "2024"]
    assert {name: _bundle_files(built.site_dir, name) for name in ("2023", "2024")} == whole


def test_pagefind_takes_no_settings_from_the_working_folder_or_the_environment(tiny_site):
    tiny_site.post("2024/03/b.md", "title: Tin năm nay\ndate: 2024-03-01", "Quyết định năm nay.\n")
    tiny_site.write("pagefind.yml", "keep_index_url: true\nexclude_selectors: ['p']\n")
    tiny_site.monkeypatch.chdir(tiny_site.root)
    tiny_site.monkeypatch.setenv("PAGEFIND_KEEP_INDEX_URL", "true")
    built = tiny_site.build()
    assert built.errors == []
    [meta_file] = (built.site_dir / "pagefind").glob("*/pagefind.*.pf_meta")
    [[_, words]] = cbor2.loads(gzip.decompress(meta_file.read_bytes())[len(b"pagefind_dcd"):])[1]
    assert [record["url"] for record in built.search_records()] == ["/2024/03/tin-nam-nay/"] and words > 3


def test_a_failure_while_rewriting_pagefinds_output_stops_the_build_with_no_index(tiny_site):
    runs, build = _two_bundles(tiny_site)

    def broken(bundle, sources, text_file):
        raise ValueError(f"{bundle}/fragment/x.pf_fragment is not a Pagefind page record this build knows")

    tiny_site.monkeypatch.setattr(pagefind_bundle, "attach_texts", broken)
    built = build()
    assert built.aborted and "the search index was not built: the bundle 20" in built.aborted and "page record" in built.aborted
    assert not (built.site_dir / "pagefind").exists() and not (tiny_site.root / search_cache.CACHE_FOLDER).exists()


def test_pagefind_runs_over_two_bundles_at_a_time_while_others_are_rewritten(tiny_site):
    for year in range(2019, 2025):
        tiny_site.post(f"{year}/03/a.md", f"title: Tin năm {year}\ndate: {year}-03-01", f"Quyết định năm {year}.\n")
    running, most, rewritten_beside = [], [], []
    index, attach = search._index, pagefind_bundle.attach_texts

    def counted(source, output):
        running.append(source.name)
        most.append(len(running))
        try:
            if source.name == "2024":  # indexed first, and the longest: the next bundles are rewritten meanwhile
                time.sleep(3)
            return index(source, output)
        finally:
            running.remove(source.name)

    def attached(bundle, sources, text_file):
        waited = time.monotonic()
        while len(running) < 2 and time.monotonic() - waited < 2:  # the next bundle's Pagefind, if it may start
            time.sleep(0.01)
        rewritten_beside.append(len(running))
        return attach(bundle, sources, text_file)

    tiny_site.monkeypatch.setattr(search, "_index", counted)
    tiny_site.monkeypatch.setattr(pagefind_bundle, "attach_texts", attached)
    extra = _bundle_size(tiny_site, 1)
    built = tiny_site.build(extra=extra)
    assert built.errors == [] and len(most) == 6 and max(most) == 2
    assert sorted(record["url"] for record in built.search_records()) == [f"/{year}/03/tin-nam-{year}/" for year in range(2019, 2025)]
    assert rewritten_beside[0] == 2  # the first bundle done is rewritten while Pagefind indexes two others
    assert not (built.site_dir / search.SOURCE_DIR).exists()


def test_a_bundle_key_names_every_source_page_and_none_is_made_without_all_of_them():
    posts = _dated("2023-05-02", "2024-05-02")
    for post in posts:
        post.html = "<p>Quyết định.</p>"
    planned = search.bundles(posts, size=1)
    digests = {post.url: search_cache.source_digest(*(part.encode() for part in search.source_files(post))) for post in posts}
    keys = search._keys(planned, digests)
    assert sorted(keys) == ["2023", "2024"] and len(set(keys.values())) == 2
    changed = search._keys(planned, {**digests, posts[1].url: search_cache.source_digest(b"<p>Quyet dinh moi.</p>", b"")})
    assert changed["2023"] == keys["2023"] and changed["2024"] != keys["2024"]
    moved = {"2024/05/elsewhere/": digests[posts[1].url], posts[0].url: digests[posts[0].url]}
    assert search._keys(planned, moved)["2024"] != keys["2024"]  # the same page at another URL
    assert search._keys(planned, {posts[0].url: digests[posts[0].url]}) == {"2023": keys["2023"]}  # 2024's page unknown: not cached
    assert search_cache.source_digest(b"ab", b"c") != search_cache.source_digest(b"a", b"bc")
    assert [urls.post_month(post.url) for post in posts] == [(2023, 5), (2024, 5)]


def test_bundles_of_months_are_keyed_by_their_own_months():
    posts = _dated("2024-01-05", "2024-02-05", "2024-03-05", "2024-04-05")
    planned = search.bundles(posts, size=10, tier=1)
    assert list(planned) == ["2024.04", "2024.03", "2024.02", "2024.01"]
    digests = {post.url: f"{i:040}" for i, post in enumerate(posts)}
    keys = search._keys(planned, digests)
    assert len(set(keys.values())) == 4
    changed = search._keys(planned, {**digests, posts[2].url: "f" * 40})  # March's article
    assert [name for name in planned if changed[name] != keys[name]] == ["2024.03"]


def _source_page(source, url):
    (source / url).mkdir(parents=True)
    (source / url / "index.html").write_text('<html lang="vi"><body><main data-pagefind-body><p>Quyet dinh</p></main></body></html>')
    (source / url / search.TEXT_FILE).write_text("Quyết định", encoding="utf-8")


def test_an_index_of_pages_its_key_does_not_name_is_not_cached(tmp_path):
    source, output, cache = tmp_path / "source", tmp_path / "output", tmp_path / "cache"
    for url in ("2024/03/a/", "2024/03/left-by-a-stopped-build/"):
        _source_page(source, url)
    gate = threading.Semaphore(1)
    assert search._bundle(source, output, cache, "k" * 40, 1, gate) == (None, None)
    assert len(list((output / "fragment").iterdir())) == 2 and not cache.exists() and not source.exists()
    _source_page(source, "2024/03/a/")
    assert search._bundle(source, output, cache, "k" * 40, 1, gate) == (None, "k" * 40)
    assert (cache / ("k" * 40) / ".files.json").is_file()
