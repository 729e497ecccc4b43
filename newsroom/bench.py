"""Benchmark: build a deterministic synthetic archive and measure the build.

Articles get about 5 KB of Vietnamese text with the word statistics of real
news (``newsroom/benchtext.py``), 1-4 agencies and 1-3 topics from
the shipped registries, and dates spread over ten years. The build runs in a
child process so its peak memory is measured on its own.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from . import benchtext, search, site

PROJECT = Path(__file__).resolve().parent.parent
_ARTICLE = re.compile(r"^(blog/)?\d{4}/\d{2}/(\d{2}/)?(?!trang/)[^/]+/index\.html$")


def corpus(count: int, seed: int = 2022) -> list[dict]:
    """``count`` articles as front-matter dicts plus a "body", the same every run."""
    rng = random.Random(seed)
    registries = site.load_registries(site.Settings.from_options(PROJECT, PROJECT / "docs", {}))
    agencies = [t.name for t in registries.agencies.terms]
    topics = [t.name for t in registries.topics.terms]
    authors = [f"Phóng viên {chr(65 + i)}" for i in range(26)]
    vocabulary = benchtext.Vocabulary(known=(*agencies, *topics))
    articles = []
    for i in range(count):
        year, month, day = 2016 + i * 10 // max(count, 1), rng.randint(1, 12), rng.randint(1, 28)
        title, body = benchtext.article(rng, vocabulary)
        articles.append({
            "title": f"{title} ({i})",
            "date": f"{year}-{month:02}-{day:02}",
            "authors": rng.sample(authors, rng.randint(1, 2)),
            "agencies": rng.sample(agencies, rng.randint(1, 4)),
            "topics": rng.sample(topics, rng.randint(1, 3)),
            "body": body,  # about 5 KB
        })
    return articles


def generate(posts_dir: Path, count: int) -> dict:
    """The corpus as our posts: posts/YYYY/MM/bai-N.md. Returns its mean size, words and distinct words an article."""
    sizes, words, distinct = [], [], []
    for i, article in enumerate(corpus(count)):
        front = {k: v for k, v in article.items() if k != "body"}
        _write(posts_dir / f"{article['date'][:4]}/{article['date'][5:7]}/bai-{i}.md", front, article["body"])
        tokens = re.findall(r"\w+", article["body"].lower())
        sizes.append(len(article["body"].encode()))
        words.append(len(tokens))
        distinct.append(len(set(tokens)))
    return {name: round(statistics.mean(values)) if values else 0
            for name, values in (("body_bytes", sizes), ("words", words), ("distinct_words", distinct))}


def generate_blog(docs_dir: Path, count: int) -> None:
    """The same corpus for Material's blog plugin: agencies as categories, topics as tags."""
    (docs_dir / "blog/posts").mkdir(parents=True)
    (docs_dir / "blog/index.md").write_text("# Tin tức\n", encoding="utf-8")
    for i, article in enumerate(corpus(count)):
        front = {"title": article["title"], "date": date.fromisoformat(article["date"]),
                 "categories": article["agencies"], "tags": article["topics"]}
        _write(docs_dir / f"blog/posts/bai-{i}.md", front, article["body"])


def _write(path: Path, front: dict, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}\n", encoding="utf-8")


def project_config() -> dict:
    """The project's mkdocs.yml, usable from a site folder elsewhere."""
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(PROJECT / "hooks/portal.py")]
    config["theme"]["custom_dir"] = str(PROJECT / "overrides")
    config["watch"] = [str(PROJECT / path) for path in config.get("watch", [])]
    return config


BLOG_CONFIG = {
    "site_name": "Cổng thông tin điện tử tỉnh",
    "site_url": "https://example.gov.vn/",
    "theme": {"name": "material", "language": "vi", "font": False},
    "plugins": [
        {"search": {"lang": "vi"}},
        # Authors pages need an .authors.yml; left off, which spares the blog that work.
        {"blog": {"pagination_per_page": 20, "authors": False, "post_url_format": "{date}/{slug}"}},
        "tags",
    ],
}


def bench(count: int, kind: str = "portal", workdir: str | None = None, search: bool = False, preview: bool = False,
          search_memory: int = 0, again: bool = False) -> dict:
    """Build ``count`` articles with our portal ("portal") or Material's blog ("material-blog")."""
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-", dir=workdir) as tmp:
        project = Path(tmp)
        env = {"NEWSROOM_NOW": "2026-11-26T12:00", "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
        result = {"build": kind, "posts": count}
        if kind == "portal":
            for name in ("docs", "registries"):
                shutil.copytree(PROJECT / name, project / name)
            result["corpus"] = generate(project / "posts", count)
            _write_config(project, project_config())
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "newsroom.cli", "--project", str(project), "check"],
                           check=True, env=env, stderr=subprocess.DEVNULL)
            result["check_s"] = round(time.perf_counter() - start, 2)
        else:
            generate_blog(project / "docs", count)
            _write_config(project, BLOG_CONFIG)
        result.update(_timed_build(project, env))
        if again and kind == "portal":
            _add_newest(project / "posts")
            result["again"] = {k: v for k, v in _timed_build(project, env).items() if k in ("wall_s", "cpu_s", "peak_mb", "phases")}
        if search and kind == "portal":
            from .searchbench import measure

            result.update(measure(project / "site"))
        if search_memory and kind == "portal":
            from .searchbench import memory

            result["search_memory_mb"] = memory(project / "site", search_memory)
        if preview and kind == "portal":
            from .previewbench import measure as measure_preview

            result.update(measure_preview(project, env))
            result["preview_edit_ratio"] = round(statistics.median(result["preview_edit_ms"]) / 1000 / result["wall_s"], 3)
        return result


def _add_newest(posts_dir: Path) -> None:
    """One more article in the newest month, as an editor adds one between two builds."""
    newest = max(posts_dir.glob("*/*"))
    model = min(newest.glob("*.md")).read_text(encoding="utf-8")
    (newest / "bai-moi.md").write_text(re.sub(r"(?m)^title: .*$", "title: Bài mới đăng", model, count=1), encoding="utf-8")


def _write_config(project: Path, config: dict) -> None:
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def _timed_build(project: Path, env: dict) -> dict:
    """Wall and CPU time and peak memory of one ``mkdocs build`` in a child process."""
    command = [sys.executable, "-c", _CHILD, str(project / "mkdocs.yml")]
    start = time.perf_counter()
    child = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    usage, phases = child.stdout.splitlines()[-2:]  # the last two lines, whatever a plugin printed
    cpu, peak_kb = map(float, usage.split())
    site_dir = project / "site"
    files = [p for p in site_dir.rglob("*") if p.is_file()]
    # Our articles live at YYYY/MM/<slug>/ (the blog's under blog/YYYY/MM/DD/<slug>/).
    articles = [p.stat().st_size for p in files if _ARTICLE.match(p.relative_to(site_dir).as_posix())]
    pagefind = site_dir / search.OUTPUT_DIR  # ours; the blog has Material's
    search_index = pagefind if pagefind.is_dir() else site_dir / "search/search_index.json"
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_mb": round(peak_kb / 1024),
        "pages": sum(1 for p in files if p.name == "index.html"),
        "site_mb": round(sum(p.stat().st_size for p in files) / 2**20, 1),
        "search_mb": round(_size(search_index) / 2**20, 2),
        "search_files": sum(1 for p in search_index.rglob("*") if p.is_file()) if search_index.is_dir() else 1,
        "article_kb": round(sum(articles) / len(articles) / 1024, 1) if articles else None,
        "article_max_kb": round(max(articles) / 1024, 1) if articles else None,
        "phases": json.loads(phases),
    }


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


# Runs the build and prints its CPU time (with its page-writing workers) and
# peak memory (of the largest process), so the check run above does not count;
# then, as "phases", when each MkDocs event longer than 10 ms started and how
# long it took, in seconds from the start of the process.
_CHILD = """
import json, os, resource, sys, time
started = time.perf_counter()
import mkdocs.plugins
from mkdocs.commands.build import build
from mkdocs.config import load_config
phases, run_event = [], mkdocs.plugins.PluginCollection.run_event
def timed(self, name, *args, **kwargs):
    start = time.perf_counter()
    try:
        return run_event(self, name, *args, **kwargs)
    finally:
        if time.perf_counter() - start > 0.01:
            phases.append([name, round(start - started, 2), round(time.perf_counter() - start, 2)])
mkdocs.plugins.PluginCollection.run_event = timed
import newsroom.search
index = newsroom.search.build_index
def timed_index(*args):
    start = time.perf_counter()
    try:
        return index(*args)
    finally:
        phases.append(["search_index", round(start - started, 2), round(time.perf_counter() - start, 2)])
newsroom.search.build_index = timed_index
config = load_config(sys.argv[1])
phases.append(["load_config", 0, round(time.perf_counter() - started, 2)])
build(config)
phases.append(["end", round(time.perf_counter() - started, 2), 0])
own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime, max(own.ru_maxrss, workers.ru_maxrss))
print(json.dumps(phases), flush=True)
os._exit(0)  # as newsroom build's child (newsroom.mkdocs_child): no teardown after the site is written
"""


def markdown_extensions() -> tuple[list[str], dict[str, dict]]:
    """The build's Markdown extensions and their settings, as MkDocs reads them from mkdocs.yml.

    tests/test_plaintext.py checks this matches MkDocs' own reading.
    """
    from .body import extensions_from_config

    return extensions_from_config(project_config()["markdown_extensions"])


def markdown_speed(count: int, rounds: int = 3) -> dict:
    """Milliseconds to convert one corpus article with the project's Markdown extensions, with and without newsroom.plaintext (best of ``rounds``)."""
    import markdown  # only this measurement needs it

    names, configs = markdown_extensions()
    bodies = [article["body"] for article in corpus(count)]
    result = {"markdown_articles": count}
    for label, extensions in (("without_plaintext_ms", [n for n in names if n != "newsroom.plaintext"]), ("with_plaintext_ms", names)):
        converter = markdown.Markdown(extensions=extensions, extension_configs=configs)
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            for body in bodies:
                converter.reset().convert(body)
            best = min(best, time.perf_counter() - start)
        result[label] = round(best / len(bodies) * 1000, 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="+", type=int, help="numbers of articles, e.g. 1000 10000")
    parser.add_argument("--vs", choices=["material-blog"], help="also build the same corpus with Material's blog plugin")
    parser.add_argument("--rounds", type=int, default=1, help="build this many times (with --vs: this many of the other's builds, each between two of ours)")
    parser.add_argument("--markdown", action="store_true", help="also time converting the articles' Markdown, with and without newsroom.plaintext")
    parser.add_argument("--search", action="store_true", help="also measure searching the built site in headless Chromium: transfer and time per query")
    parser.add_argument("--search-memory", type=int, default=0, metavar="N",
                        help="also run N searches of common words back to back in headless Chromium, and report the browser's page memory every 5")
    parser.add_argument("--preview", action="store_true", help="also measure newsroom preview: from saving a file to the page shown in headless Chromium")
    parser.add_argument("--again", action="store_true",
                        help="also build again after adding one article to the newest month, keeping .cache/ as CI can (search bundles of closed years come from it)")
    parser.add_argument("--dir", help="where to build (default: the system's temp folder); file creation speed differs a lot between disks")
    args = parser.parse_args()
    # Stopped (a CI job cancelled, kill): unwind, so the corpus, gigabytes at 50,000 and often
    # in /dev/shm (memory), is removed with the build it was running (subprocess.run kills that).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine()) if Path("/proc/cpuinfo").exists() else platform.machine()
    where = args.dir or tempfile.gettempdir()
    print(f"# {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, building in {where}", flush=True)
    for count in args.counts:
        if args.markdown:
            print(markdown_speed(count), flush=True)
        if args.vs:
            compare(count, args.vs, args.rounds, args.dir)
        else:
            for round_ in range(args.rounds):
                _run(count, "portal", round_ + 1, args.dir, args.search, args.preview, args.search_memory, args.again)


def compare(count: int, other: str, rounds: int, workdir: str | None) -> list[float]:
    """The portal and ``other`` alternating, starting and ending with the portal.

    Each of the other's builds is compared with the mean of the portal builds
    just before and after it, so a machine that speeds up or slows down during
    the run (this one drifts by tens of percent) does not tilt the ratio.
    """
    portal, ratios = [_run(count, "portal", 1, workdir)], []
    for round_ in range(1, rounds + 1):
        theirs = _run(count, other, round_, workdir)
        portal.append(_run(count, "portal", round_ + 1, workdir))
        ratios.append((portal[-2] + portal[-1]) / 2 / theirs)
        print(f"ratio portal/{other} at {count}: {ratios[-1]:.3f} (portal {portal[-2]} s and {portal[-1]} s around {theirs} s)", flush=True)
    if rounds > 1:
        print(f"median ratio at {count} over {rounds} rounds: {statistics.median(ratios):.3f} (from {min(ratios):.3f} to {max(ratios):.3f})", flush=True)
    return ratios


def _run(count: int, kind: str, round_: int, workdir: str | None, search: bool = False, preview: bool = False,
         search_memory: int = 0, again: bool = False) -> float:
    print(f"building {count} articles with {kind} (round {round_}) ...", file=sys.stderr, flush=True)
    result = bench(count, kind, workdir, search, preview, search_memory, again)
    print(result, flush=True)
    return result["wall_s"]

if __name__ == "__main__":
    main()
