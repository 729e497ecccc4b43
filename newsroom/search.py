"""The search index: Pagefind, fed only the public articles, in a form that matches Vietnamese as typed.

Each public article gets a small source page (never served) holding what
readers search: title, summary, body, agencies, topics and authors, with the
facets (agency, topic, year) and the date to sort by. Pagefind folds accents
but not "đ", which has no Unicode decomposition; in the source pages "đ" is
written as "d" plus a combining stroke (U+0335), which Pagefind folds away like
any accent, so "quyet dinh" finds "quyết định". The search page turns the
stroke back into "đ" before showing an excerpt, and folds queries the same
way (docs/assets/search.js).

Pagefind runs once over the source pages, from the package's own binary
(PyPI ``pagefind[bin]``, pinned): nothing is downloaded at build time.
"""

from __future__ import annotations

import shutil
import subprocess
from html import escape
from pathlib import Path

from . import pagefind_bundle, urls
from .post import Post

SOURCE_DIR = ".search-source"  # under site_dir while building; removed once indexed
OUTPUT_DIR = "pagefind"  # the index, served with the site
STROKE = "\u0335"  # COMBINING SHORT STROKE OVERLAY: "d" + STROKE reads as "đ", folds to "d"
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
_FOLD_D = str.maketrans({"đ": "d" + STROKE, "Đ": "D" + STROKE})


def searchable(text: str) -> str:
    """Text as Pagefind should index it: "đ" made foldable."""
    return text.translate(_FOLD_D)


def source_page(post: Post) -> str:
    """The page Pagefind indexes for one public article.

    What is shown (title, date, agencies) and the facets go in as written, in
    attributes; only the searched text has its "đ" made foldable.
    """
    head = [("meta", "title", post.title), ("meta", "date", post.date.short), ("meta", "agencies", " · ".join(t.name for t in post.agencies))]
    head += [("filter", "agency", term.name) for term in post.agencies]
    head += [("filter", "topic", term.name) for term in post.topics]
    head += [("filter", "year", str(post.date.year)), ("sort", "date", f"{post.date.moment:%Y%m%d%H%M} {post.url}")]
    tags = "".join(f'<meta data-pagefind-{kind}="{key}[content]" content="{escape(value)}">' for kind, key, value in head if value)
    names = [term.name for term in post.terms] + [author.name for author in post.authors]
    body = (
        f'<h1 data-pagefind-weight="4">{escape(post.title)}</h1>'
        f'<p data-pagefind-weight="2">{escape(post.summary)}</p>'
        f"{post.html}"
        f"<p>{escape(' · '.join(names))}</p>"
    )
    return f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{tags}</head><body><main data-pagefind-body>{searchable(body)}</main></body></html>'


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
