"""What Pagefind is given for one article (newsroom.search.source_page), read back with a real HTML parser."""

from __future__ import annotations

import html5lib

from newsroom import search
from newsroom.dates import parse
from newsroom.post import Post

BODY = "<p>Tỉnh ủy họp. " + "Tỉnh, tỉnh; TỈNH " * 5 + "<b>&lt;script&gt;</b> Đà Nẵng.</p>"


def _source():
    post = Post(path="p.md", title="Tỉnh ủy & \"Đà Nẵng\"", date=parse("2024-05-02"), slug="t", body="b", summary="Tóm tắt.")
    post.html = BODY
    page = html5lib.parse(search.source_page(post), treebuilder="lxml", namespaceHTMLElements=False)
    meta = {m.get("data-pagefind-meta"): m.get("content") for m in page.iter("meta") if m.get("data-pagefind-meta")}
    indexed = " ".join(p.text or "" for p in page.iter("p"))
    return post, meta, indexed


def _decode(code: str) -> str:  # as docs/assets/search.js does
    pairs = zip(code[0::2], code[1::2])
    return bytes(search.OPAQUE.index(a) << 4 | search.OPAQUE.index(b) for a, b in pairs).decode("utf-8")


def test_the_text_as_written_round_trips_in_characters_that_are_no_words():
    _, meta, _ = _source()
    code = meta["text[content]"]
    assert set(code) <= set(search.OPAQUE) and not any(ch.isalnum() or ch == "_" for ch in code)
    written = _decode(code)
    assert written.startswith('Tỉnh ủy & "Đà Nẵng" Tóm tắt. Tỉnh ủy họp.') and "<script>" in written


def test_a_word_is_indexed_folded_and_at_most_repeats_times():
    _, meta, indexed = _source()
    words = [w.strip(",;.&\"").lower() for w in indexed.split()]
    assert words.count("tinh") == search.REPEATS  # eleven in the article, title included
    assert "da" in words and "nang" in words and "đa" not in words
    assert meta["title[content]"] == 'Tỉnh ủy & "Đà Nẵng"'  # shown as written, from an attribute


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
