"""The search index: Pagefind, fed only the public articles, in a form that matches Vietnamese as typed.

Each public article gets a small source page (never served) holding what
readers search: title, summary, body, agencies, topics and authors, with the
facets (agency, topic, year) and the date to sort by.

Pagefind is given the text already folded: no accents, tones or "đ" (which
has no Unicode decomposition, so Pagefind would keep it: "quyet dinh" would
miss "quyết định"). Folding also keeps its index small: Pagefind sizes its
index chunks by a word's unaccented form, so accented words made every chunk
several times larger than it intends. The text as written travels beside it,
unindexed, as the record's ``text``; folding keeps every word in place, so the
search page (docs/assets/search.js) ranks and highlights on the original
words and shows them.

Pagefind runs once over the source pages, from the package's own binary
(PyPI ``pagefind[bin]``, pinned): nothing is downloaded at build time.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

from . import pagefind_bundle, urls
from .post import Post

SOURCE_DIR = ".search-source"  # under site_dir while building; removed once indexed
OUTPUT_DIR = "pagefind"  # the index, served with the site
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
_MARKS = re.compile(r"[\u0300-\u036f]")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|figcaption|blockquote|pre|div|dd|dt)>|<br>", re.IGNORECASE)


def fold(text: str) -> str:
    """Text without accents, tones or "đ", word for word: what Pagefind indexes and queries are folded to."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d").replace("Đ", "D")


def plain_text(body_html: str) -> str:
    """The words of sanitized HTML, one space between them (blocks kept apart)."""
    return " ".join(html.unescape(_TAG.sub(" ", _BLOCK_END.sub(" ", body_html))).split())


def source_page(post: Post) -> str:
    """The page Pagefind indexes for one public article.

    What is shown (title, date, agencies, the text) and the facets go in as
    written, in attributes or an unindexed element; only the folded copy is searched.
    """
    head = [("meta", "title", post.title), ("meta", "date", post.date.short), ("meta", "agencies", " · ".join(t.name for t in post.agencies))]
    head += [("filter", "agency", term.name) for term in post.agencies]
    head += [("filter", "topic", term.name) for term in post.topics]
    head += [("filter", "year", str(post.date.year)), ("sort", "date", f"{post.date.moment:%Y%m%d%H%M} {post.url}")]
    tags = "".join(f'<meta data-pagefind-{kind}="{key}[content]" content="{html.escape(value)}">' for kind, key, value in head if value)
    names = " · ".join([term.name for term in post.terms] + [author.name for author in post.authors])
    parts = [" ".join(post.title.split()), " ".join(post.summary.split()), plain_text(post.html), names]
    weights = (4, 2, 1, 1)
    searched = "".join(f'<p data-pagefind-weight="{w}">{html.escape(fold(part))}</p>' for w, part in zip(weights, parts) if part)
    shown = html.escape(" ".join(part for part in parts if part))
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{tags}</head><body><main data-pagefind-body>'
        f'{searched}<div data-pagefind-ignore="index"><p data-pagefind-meta="text">{shown}</p></div>'
        "</main></body></html>"
    )


def source_path(site_dir: Path, post: Post) -> Path:
    return urls.inside(site_dir, SOURCE_DIR + "/" + post.url, "index.html")


def build_index(site_dir: Path) -> None:
    """Index the source pages into ``site_dir/pagefind/``, then remove them (no index without them).

    Raises ``RuntimeError`` with Pagefind's own message when it fails.
    """
    from pagefind_bin import get_executable  # the binary shipped in the wheel

    source = site_dir / SOURCE_DIR
    if not source.is_dir():
        return  # no public article yet: Pagefind refuses to index nothing, and there is nothing to find
    command = [
        str(get_executable()), "--site", str(source), "--output-path", str(site_dir / OUTPUT_DIR),
        "--force-language", "vi", "--silent",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    finally:
        shutil.rmtree(source, ignore_errors=True)
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    pagefind_bundle.canonicalize(site_dir / OUTPUT_DIR)
    for name in UNUSED:  # Pagefind's own UIs: the search page has its own (docs/assets/search.js)
        (site_dir / OUTPUT_DIR / name).unlink(missing_ok=True)
