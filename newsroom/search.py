"""The search index: Pagefind, fed only the public articles, in a form that matches Vietnamese as typed.

Each public article gets a small source page (never served) holding what
readers search: title, summary, body, agencies, topics and authors, with the
facets (agency, topic, year) and the date to sort by.

Pagefind is given the text already folded: no accents, tones or "đ" (which
has no Unicode decomposition, so Pagefind would keep it: "quyet dinh" would
miss "quyết định"). Folding also keeps its index small: Pagefind sizes its
index chunks by a word's unaccented form, so accented words made every chunk
several times larger than it intends. The text as written, which the search
page (docs/assets/search.js) ranks and highlights on and shows, never goes
through Pagefind: its time grows with the length of every field it is given
(the text as a metadata field made a third of its work), so it is written
beside the source page and put into each page's record once Pagefind is done
(``pagefind_bundle.attach_texts``), in place of the folded copy.

The index is split into bundles of whole years, newest first, each of at
least ``extra.newsroom.search_bundle_size`` articles (1,000 unless set) (``pagefind/2024/``, ``pagefind/2016-2019/``;
a small archive is one bundle): a query searches the newest bundle and shows
its results while older ones follow, so what a reader waits for and
downloads first does not grow with the archive. Bundles are filled from the
oldest year up, so a full one never changes as new articles come (readers'
caches and the host keep its files); whole years rather than a fixed count
of articles, which would shift every bundle with each new article. The
newest bundle, if it holds more than ``2 * TIER`` articles, is split the same
way into bundles of whole months (``pagefind/2025.10-2025.12/``), so that the
first results come from a small index. Only the newest bundle keeps
Pagefind's script and WebAssembly: the page opens each bundle as a Pagefind
instance of its own (``createInstance``), so that searching one reads only
its index, and the older bundles' entries name the newest one's WebAssembly.

Pagefind's time for a query grows with the positions it reports for every
matching page, so a word is indexed at most ``REPEATS`` times per article:
"của" or "tỉnh" occur dozens of times in most articles. Ranking by adjacent
syllables uses the text as written, not Pagefind's positions.

Pagefind runs from the package's own binary (PyPI ``pagefind[bin]``,
pinned): nothing is downloaded at build time. A bundle indexed by an earlier
build from the same source pages is copied from ``.cache/search/`` instead
(``newsroom.search_cache``).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import threading
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import pagefind_bundle, search_cache, urls
from .files import write_whole
from .post import Post

SOURCE_DIR = ".search-source"  # under site_dir while building; removed once indexed
_BUNDLES = ".bundles"  # under SOURCE_DIR, where each bundle's years are gathered: never a year
TEXT_FILE = "text.txt"  # beside each source page: its text as written (Pagefind reads only .html)
OUTPUT_DIR = "pagefind"  # the index, one bundle per year, served with the site
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")  # loaded from the newest year only
TIER = 250  # articles, at least, in each bundle of the newest months (see bundles)
_PAGEFIND_RUNS = 2  # at a time: one a core
REPEATS = 3  # occurrences of a word indexed per article (what ranking needs; more only slows queries)
_WORD = re.compile(r"\w+")
_WORDS: dict[str, tuple[str, str]] = {}  # a word as written -> folded, and the key _searched counts it by
_WORDS_KEPT = 100_000  # then forgotten (about 30 MB): dates, numbers and codes never end
_MARKS = re.compile(r"[\u0300-\u036f]")
# "y" after a syllable's h, k, l, m, s, t or qu, as search.js's loose() finds it; written to start
# with the "y", which the regular expression engine scans for fast (5 times faster than \b(qu|[hklmst])y\b).
_CONSONANT_Y = re.compile(r"[yY](?:(?<=\b[hklmstHKLMST][yY])|(?<=\b[qQ][uU][yY]))\b")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|figcaption|blockquote|pre|div|dd|dt)>|<br>", re.IGNORECASE)


def fold(text: str) -> str:
    """Text without accents, tones or "đ", word for word: what Pagefind indexes and queries are folded to.

    A syllable that is a consonant and "y" is written with "i" too, and both
    spellings are in use ("kỹ"/"kĩ", "lý"/"lí", "Mỹ"/"Mĩ", "quý"/"quí", "sỹ"/"sĩ",
    "tỷ"/"tỉ", "hy"/"hi"): folded, "y" is "i" there ("tuy", "hay", "ý" keep theirs).
    """
    plain = _MARKS.sub("", unicodedata.normalize("NFD", text)).replace("đ", "d").replace("Đ", "D")
    return _CONSONANT_Y.sub(lambda y: "i" if y[0] == "y" else "I", plain)


def plain_text(body_html: str) -> str:
    """The words of sanitized HTML, one space between them (blocks kept apart)."""
    return " ".join(html.unescape(_TAG.sub(" ", _BLOCK_END.sub(" ", body_html))).split())


def source_files(post: Post) -> tuple[str, str]:
    """The page Pagefind indexes for one public article, and the text as written that its record gets.

    What is shown (title, date, agencies) and the facets go in as written, in
    attributes; only the folded copy is searched.
    """
    head = [("meta", "title", post.title), ("meta", "date", post.date.short), ("meta", "agencies", " · ".join(t.name for t in post.agencies))]
    head += [("filter", "agency", term.name) for term in post.agencies]
    head += [("filter", "topic", term.name) for term in post.topics]
    head += [("filter", "year", str(post.date.year)), ("sort", "date", f"{post.date.moment:%Y%m%d%H%M} {post.url}")]
    names = " · ".join([term.name for term in post.terms] + [author.name for author in post.authors])
    parts = [" ".join(post.title.split()), " ".join(post.summary.split()), plain_text(post.html), names]
    tags = "".join(f'<meta data-pagefind-{kind}="{key}[content]" content="{html.escape(value)}">' for kind, key, value in head if value)
    weights = (4, 2, 1, 1)
    seen: dict[str, int] = {}
    searched = "".join(f'<p data-pagefind-weight="{w}">{html.escape(_searched(part, seen))}</p>' for w, part in zip(weights, parts) if part)
    page = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8">{tags}</head><body><main data-pagefind-body>'
        f"{searched}</main></body></html>"
    )
    return page, " ".join(part for part in parts if part)


def _searched(text: str, seen: dict[str, int]) -> str:
    """``text`` folded, without the words already indexed ``REPEATS`` times in this article (``seen`` counts them).

    Folding is word by word (``fold`` never joins or splits words), so each
    distinct word is folded once per process and remembered (``_WORDS``):
    news text repeats a few thousand syllables, and this is a third of the
    time of folding whole texts.
    """
    kept = []
    for token in text.split():
        known = _WORDS.get(token)
        if known is None:
            if len(_WORDS) >= _WORDS_KEPT:
                _WORDS.clear()
            folded = fold(token)
            low = folded.lower()
            # The key counted: a word and the same with punctuation ("tinh," "tinh") are one.
            known = _WORDS[token] = (folded, low if low.isalnum() else " ".join(_WORD.findall(low)))
        folded, key = known
        count = seen[key] = seen.get(key, 0) + 1
        if count <= REPEATS or not key:
            kept.append(folded)
    return " ".join(kept)


class Span(list):
    """A bundle's years, or (year, month) pairs, newest first; ``articles``: how many it holds."""

    def __init__(self, parts, articles: int):
        super().__init__(parts)
        self.articles = articles


def bundles(posts: list[Post], size: int, tier: int | None = None) -> dict[str, Span]:
    """Bundle name ("2025.10-2025.12", "2024", "2016-2019") -> its years or months, newest first.

    Filled from the oldest year up, each closed once it holds ``size`` articles:
    a closed bundle never changes as new articles come (only edits to its own
    articles change it). The newest of them (the one still filling, or the
    last closed while its last year is the newest) is searched first: if it
    holds more than ``2 * tier`` articles, it is split the same way into spans of
    whole months of at least ``tier`` articles, filled from its oldest month, so
    that the first results come from a small index. Once a newer year starts
    a new bundle, its months become one bundle of whole years again.
    """
    tier = TIER if tier is None else tier
    per_year = Counter(post.date.year for post in posts)
    grouped = _fill(per_year, size)
    tiers: list[list[tuple[int, int]]] = []
    per_month: Counter[tuple[int, int]] = Counter()
    if grouped and sum(per_year[year] for year in grouped[-1]) > 2 * tier:
        newest = set(grouped.pop())
        per_month = Counter((post.date.year, post.date.month) for post in posts if post.date.year in newest)
        tiers = _fill(per_month, tier)
    named = {_months(t): Span(sorted(t, reverse=True), sum(per_month[m] for m in t)) for t in reversed(tiers)}
    named.update({_name(g): Span(sorted(g, reverse=True), sum(per_year[y] for y in g)) for g in reversed(grouped)})
    return named


def _fill(counts: Counter, size: int) -> list[list]:
    """``counts``' keys in order, gathered from the first into groups of at least ``size``; the last may hold fewer."""
    grouped: list[list] = []
    group: list = []
    for key in sorted(counts):
        group.append(key)
        if sum(counts[k] for k in group) >= size:
            grouped.append(group)
            group = []
    if group:  # the newest, still filling
        grouped.append(group)
    return grouped


def _name(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _months(months: list[tuple[int, int]]) -> str:
    first, last = (f"{year:04}.{month:02}" for year, month in (months[0], months[-1]))
    return first if first == last else f"{first}-{last}"


def clear_sources(site_dir: Path) -> None:
    """Removes source pages a stopped build left: MkDocs keeps hidden folders, and they would be indexed."""
    shutil.rmtree(site_dir / SOURCE_DIR, ignore_errors=True)


def source_path(site_dir: Path, post: Post) -> Path:
    """Where an article's source page goes: by year, gathered into bundles when indexed."""
    return urls.inside(site_dir, f"{SOURCE_DIR}/{post.date.year}/{post.url}", "index.html")


def write_source(site_dir: Path, post: Post) -> str:
    """Writes an article's source page, and its text as written beside it (``TEXT_FILE``, which Pagefind does not read).

    Returns a hash of both, which names them in the key of the bundle's cached
    index (``search_cache.bundle_key``): the files need not be read again.
    """
    page, text = (part.encode("utf-8") for part in source_files(post))
    target = source_path(site_dir, post)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(page)
    target.with_name(TEXT_FILE).write_bytes(text)
    return search_cache.source_digest(page, text)


def build_index(site_dir: Path, planned: dict[str, Span], cache: Path | None = None, digests: dict[str, str] | None = None) -> None:
    """Index the source pages into ``site_dir/pagefind/<bundle>/``, then remove them (no index without them).

    ``planned`` is ``bundles(posts)``. Pagefind runs over two bundles at a time
    (one uses a core most of the time), and each bundle's output is rewritten
    (``pagefind_bundle``) while Pagefind goes on with the next ones: done in
    turn, the rewriting of two bundles left a core idle. With a ``cache`` folder
    (``newsroom.search_cache``) and ``digests`` (article URL -> what
    ``write_source`` returned, for every source page), a bundle indexed before
    from the same source pages is copied from there instead. Raises
    ``RuntimeError`` with Pagefind's own message when it fails.
    """
    source = site_dir / SOURCE_DIR
    if not source.is_dir():
        return  # no public article yet: Pagefind refuses to index nothing, and there is nothing to find
    try:
        names = list(planned)
        for name in names:  # a bundle's years side by side in one folder (an article's URL starts with its year)
            folder = urls.inside(source, f"{_BUNDLES}/{name}")
            folder.mkdir(parents=True)
            for part in planned[name]:
                _gather(source, part, folder)
        keys = _keys(planned, digests) if cache and digests is not None else {}
        pagefind = threading.Semaphore(_PAGEFIND_RUNS)

        def index(name: str) -> tuple[str | None, str | None]:
            try:
                return _bundle(source / _BUNDLES / name, site_dir / OUTPUT_DIR / name, cache, keys.get(name), planned[name].articles, pagefind)
            except (OSError, ValueError) as error:  # a disk error, or Pagefind's output not as this build knows it
                return f"the bundle {name}: {error}", None

        with ThreadPoolExecutor(max_workers=2 * _PAGEFIND_RUNS) as pool:  # the largest first: the last to end is a small one
            done = list(pool.map(index, sorted(names, key=lambda name: -planned[name].articles)))
    finally:
        shutil.rmtree(source, ignore_errors=True)
    if failures := [failure for failure, _ in done if failure]:
        shutil.rmtree(site_dir / OUTPUT_DIR, ignore_errors=True)  # no half index is published
        raise RuntimeError(failures[0])
    if cache:
        search_cache.keep_only(cache, {key for _, key in done if key})
    for name in names[1:]:
        bundle = site_dir / OUTPUT_DIR / name
        for file in RUNTIME:  # the newest bundle's serve them all
            (bundle / file).unlink(missing_ok=True)
        _share_wasm(bundle, names[0])


def _keys(planned: dict[str, Span], digests: dict[str, str]) -> dict[str, str]:
    """Each bundle's cache key, from the digests of its source pages; none for a bundle whose pages are not all known."""
    tool = search_cache.tool_key(_pagefind(), Path(__file__), Path(pagefind_bundle.__file__))
    by_part: dict[int | tuple[int, int], list[tuple[str, str]]] = {}  # a span's parts: years, or (year, month)
    for url, digest in digests.items():
        year, month = urls.post_month(url)
        for part in (year, (year, month)):
            by_part.setdefault(part, []).append((url, digest))
    keys = {}
    for name, span in planned.items():
        pages = [page for part in span for page in by_part.get(part, ())]
        if len(pages) == span.articles:
            keys[name] = search_cache.bundle_key(tool, pages)
    return keys


def _bundle(source: Path, output: Path, cache: Path | None, key: str | None, articles: int,
            pagefind: threading.Semaphore) -> tuple[str | None, str | None]:
    """One bundle's index, made or taken from the cache: Pagefind's message if it failed, and the cache key.

    Pagefind runs once ``pagefind`` lets it; the rest runs beside the others'
    Pagefind. An index of other than ``articles`` pages (one left by a stopped
    build, which the key does not name) is not cached.
    """
    shutil.rmtree(output, ignore_errors=True)  # nothing of an earlier build's index mixes in
    try:
        if key and search_cache.restore(cache, key, output):
            return None, key
        with pagefind:
            failure = _index(source, output)
        if failure:
            return failure, None
        records = pagefind_bundle.attach_texts(output, source, TEXT_FILE)
        pagefind_bundle.canonicalize(output)
        for file in UNUSED:  # the search page has its own UI
            (output / file).unlink(missing_ok=True)
        if key and records == articles:
            search_cache.save(cache, key, output)
            return None, key
        return None, None
    finally:
        shutil.rmtree(source, ignore_errors=True)  # now, beside the others' Pagefind, not all at the end


def _share_wasm(bundle: Path, newest: str) -> None:
    """Points an older bundle's entry at the newest bundle's WebAssembly.

    The page opens each bundle as a Pagefind instance of its own (a search then
    reads only that bundle's index), and every instance fetches
    ``<bundle>/wasm.<name>.pagefind`` as its entry names it: this name leads to the
    newest bundle's file, which the browser already holds, and the WebAssembly
    is started once for all of them.
    """
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for about in entry["languages"].values():
        about["wasm"] = f"unknown/../../{newest}/wasm.unknown"  # fetched as <bundle>/wasm.unknown/../../<newest>/wasm.unknown.pagefind
    # A new file: the cache may hold the old one under another name (search_cache.save).
    write_whole(entry_file, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _gather(source: Path, part: int | tuple[int, int], folder: Path) -> None:
    """Moves a year's source pages, or a (year, month)'s, into ``folder``, the bundle's."""
    if isinstance(part, int):
        for child in (source / str(part)).iterdir():
            child.rename(folder / child.name)
        return
    year, month = part
    moved = source / str(year) / urls.post(year, month, "").rstrip("/")  # "2025/10": an article's URL begins so
    if moved.is_dir():
        target = folder / moved.relative_to(source / str(year))
        target.parent.mkdir(parents=True, exist_ok=True)
        moved.rename(target)


def _index(source: Path, output: Path) -> str | None:
    """Runs Pagefind over one bundle's source pages; returns its message if it failed."""
    command = [str(_pagefind()), "--site", str(source), "--output-path", str(output), "--force-language", "vi", "--silent"]
    # Only the options given here: no pagefind.yml from a working folder, no PAGEFIND_* setting (the cache's key knows neither).
    settings = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND")}
    result = subprocess.run(command, capture_output=True, text=True, cwd=source, env=settings)
    if result.returncode != 0:
        return f"Pagefind failed on {source.name} ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
    return None


def _pagefind() -> Path:
    from pagefind_bin import get_executable  # the binary shipped in the wheel

    return Path(get_executable())
