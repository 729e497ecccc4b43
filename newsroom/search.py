"""The search index: Pagefind, fed only the public articles, in a form that matches Vietnamese as typed.

Each public article gets a small source page (never served) holding what
readers search: title, summary, body, agencies, topics and authors, with the
facets (agency, topic, year) and the date to sort by.

Pagefind is given the text already folded: no accents, tones or "đ" (which
has no Unicode decomposition, so Pagefind would keep it: "quyet dinh" would
miss "quyết định"). Folding also keeps its index small: Pagefind sizes its
index chunks by a word's unaccented form, so accented words made every chunk
several times larger than it intends. The text as written travels beside it
as the record's ``text``, which the search page (docs/assets/search.js) ranks
and highlights on and shows. Pagefind 1.5 indexes every metadata field too,
which doubled the index and the work of every query, so ``text`` is written
in an alphabet of punctuation, two characters a byte (``opaque``): Pagefind
finds no word in it, and the page decodes it.

The index is split into bundles of whole years, newest first, each of at
least ``extra.newsroom.search_bundle_size`` articles (1,000 unless set) (``pagefind/2025/``, ``pagefind/2016-2019/``;
a small archive is one bundle): a query searches the newest bundle and shows
its results while older ones follow, so what a reader waits for and
downloads first does not grow with the archive. Bundles are filled from the
oldest year up, so a full one never changes as new articles come (readers'
caches and the host keep its files); whole years rather than a fixed count
of articles, which would shift every bundle with each new article. Only the newest bundle keeps
Pagefind's script and WebAssembly: the others are merged into it at query
time (Pagefind's ``mergeIndex``), each with a ``bundle`` filter so that one
can be searched at a time.

Pagefind's time for a query grows with the positions it reports for every
matching page, so a word is indexed at most ``REPEATS`` times per article:
"của" or "tỉnh" occur dozens of times in most articles. Ranking by adjacent
syllables uses the text as written, not Pagefind's positions.

Pagefind runs from the package's own binary (PyPI ``pagefind[bin]``,
pinned): nothing is downloaded at build time.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import pagefind_bundle, urls
from .post import Post

SOURCE_DIR = ".search-source"  # under site_dir while building; removed once indexed
_BUNDLES = ".bundles"  # under SOURCE_DIR, where each bundle's years are gathered: never a year
OUTPUT_DIR = "pagefind"  # the index, one bundle per year, served with the site
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")  # loaded from the newest year only
REPEATS = 3  # occurrences of a word indexed per article (what ranking needs; more only slows queries)
_WORD = re.compile(r"\w+")
OPAQUE = "!#$%()*+,-./:;=?"  # 16 characters that are no part of a word to Pagefind (search.js decodes them)
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
    written, in attributes; only the folded copy is searched.
    """
    head = [("meta", "title", post.title), ("meta", "date", post.date.short), ("meta", "agencies", " · ".join(t.name for t in post.agencies))]
    head += [("filter", "agency", term.name) for term in post.agencies]
    head += [("filter", "topic", term.name) for term in post.topics]
    head += [("filter", "year", str(post.date.year)), ("sort", "date", f"{post.date.moment:%Y%m%d%H%M} {post.url}")]
    names = " · ".join([term.name for term in post.terms] + [author.name for author in post.authors])
    parts = [" ".join(post.title.split()), " ".join(post.summary.split()), plain_text(post.html), names]
    head.append(("meta", "text", opaque(" ".join(part for part in parts if part))))
    tags = "".join(f'<meta data-pagefind-{kind}="{key}[content]" content="{html.escape(value)}">' for kind, key, value in head if value)
    weights = (4, 2, 1, 1)
    seen: Counter[str] = Counter()
    searched = "".join(f'<p data-pagefind-weight="{w}">{html.escape(_capped(fold(part), seen))}</p>' for w, part in zip(weights, parts) if part)
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{tags}</head><body><main data-pagefind-body>'
        f"{searched}</main></body></html>"
    )


def opaque(text: str) -> str:
    """``text`` as UTF-8, each byte as two characters of ``OPAQUE``: data Pagefind stores but cannot index."""
    return "".join(OPAQUE[byte >> 4] + OPAQUE[byte & 15] for byte in text.encode("utf-8"))


def _capped(text: str, seen: Counter[str]) -> str:
    """``text`` without the words already indexed ``REPEATS`` times in this article (``seen`` counts them)."""
    kept = []
    for token in text.split():
        key = " ".join(_WORD.findall(token.lower()))
        seen[key] += 1
        if not key or seen[key] <= REPEATS:
            kept.append(token)
    return " ".join(kept)


def bundles(posts: list[Post], size: int) -> dict[str, list[int]]:
    """Bundle name ("2025", "2016-2019") -> its years, newest first.

    Filled from the oldest year up, each closed once it holds ``size`` articles:
    a closed bundle never changes as new articles come (only edits to its own
    articles change it); the newest bundle is the one still filling.
    """
    per_year = Counter(post.date.year for post in posts)
    grouped: list[list[int]] = []
    years: list[int] = []
    for year in sorted(per_year):
        years.append(year)
        if sum(per_year[y] for y in years) >= size:
            grouped.append(years)
            years = []
    if years:  # the newest years, still filling
        grouped.append(years)
    return {_name(group): sorted(group, reverse=True) for group in reversed(grouped)}


def _name(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def clear_sources(site_dir: Path) -> None:
    """Removes source pages a stopped build left: MkDocs keeps hidden folders, and they would be indexed."""
    shutil.rmtree(site_dir / SOURCE_DIR, ignore_errors=True)


def source_path(site_dir: Path, post: Post) -> Path:
    """Where an article's source page goes: by year, gathered into bundles when indexed."""
    return urls.inside(site_dir, f"{SOURCE_DIR}/{post.date.year}/{post.url}", "index.html")


def build_index(site_dir: Path, planned: dict[str, list[int]]) -> None:
    """Index the source pages into ``site_dir/pagefind/<bundle>/``, then remove them (no index without them).

    ``planned`` is ``bundles(posts)``. Two bundles are indexed at a time (Pagefind
    uses both cores only part of the time). Raises ``RuntimeError`` with
    Pagefind's own message when it fails.
    """
    source = site_dir / SOURCE_DIR
    if not source.is_dir():
        return  # no public article yet: Pagefind refuses to index nothing, and there is nothing to find
    try:
        names = list(planned)
        for name in names:  # a bundle's years side by side in one folder (an article's URL starts with its year)
            folder = urls.inside(source, f"{_BUNDLES}/{name}")
            folder.mkdir(parents=True)
            for year in planned[name]:
                for child in (source / str(year)).iterdir():
                    child.rename(folder / child.name)
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [(source / _BUNDLES / name, site_dir / OUTPUT_DIR / name) for name in names]
            failures = [failure for failure in pool.map(lambda job: _index(*job), jobs) if failure]
    finally:
        shutil.rmtree(source, ignore_errors=True)
    if failures:
        raise RuntimeError(failures[0])
    for name in names:
        bundle = site_dir / OUTPUT_DIR / name
        pagefind_bundle.canonicalize(bundle)
        for file in UNUSED + (RUNTIME if name != names[0] else ()):  # the search page has its own UI
            (bundle / file).unlink(missing_ok=True)


def _index(source: Path, output: Path) -> str | None:
    """Runs Pagefind over one bundle's source pages; returns its message if it failed."""
    from pagefind_bin import get_executable  # the binary shipped in the wheel

    command = [str(get_executable()), "--site", str(source), "--output-path", str(output), "--force-language", "vi", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return f"Pagefind failed on {source.name} ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
    return None
