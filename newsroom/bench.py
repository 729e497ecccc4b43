"""Benchmark: build a deterministic synthetic archive and measure the build.

Articles get realistic Vietnamese paragraphs, 1-4 agencies and 1-3 topics from
the shipped registries, and dates spread over ten years. The build runs in a
child process so its peak memory is measured on its own.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from . import site

PROJECT = Path(__file__).resolve().parent.parent
WORDS = (
    "hội nghị triển khai kế hoạch phát triển kinh tế xã hội tỉnh nhân dân cán bộ đảng viên chương trình "
    "phối hợp công tác tuyên truyền pháp luật giáo dục y tế văn hóa quốc phòng an ninh nông nghiệp "
    "môi trường đầu tư xây dựng nông thôn mới chuyển đổi số cải cách hành chính thực hiện nhiệm vụ "
    "giải pháp kết quả đánh giá năm quý tháng đồng chí chủ tịch phó bí thư thường trực ủy ban"
).split()


def generate(posts_dir: Path, count: int, seed: int = 2022) -> None:
    rng = random.Random(seed)
    registries = site.load_registries(site.Settings.from_options(PROJECT, PROJECT / "docs", {}))
    agencies = [t.name for t in registries.agencies.terms]
    topics = [t.name for t in registries.topics.terms]
    authors = [f"Phóng viên {chr(65 + i)}" for i in range(26)]
    for i in range(count):
        year, month, day = 2016 + i * 10 // max(count, 1), rng.randint(1, 12), rng.randint(1, 28)
        title = " ".join(rng.choices(WORDS, k=rng.randint(6, 14))).capitalize() + f" ({i})"
        body = "\n\n".join(_sentence(rng, 60) for _ in range(8))  # about 3 KB
        front = {
            "title": title,
            "date": f"{year}-{month:02}-{day:02}",
            "authors": rng.sample(authors, rng.randint(1, 2)),
            "agencies": rng.sample(agencies, rng.randint(1, 4)),
            "topics": rng.sample(topics, rng.randint(1, 3)),
        }
        target = posts_dir / f"{year}/{month:02}/bai-{i}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}\n", encoding="utf-8")


def project_config() -> dict:
    """The project's mkdocs.yml, usable from a site folder elsewhere."""
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(PROJECT / "hooks/portal.py")]
    config["theme"]["custom_dir"] = str(PROJECT / "overrides")
    config["watch"] = [str(PROJECT / path) for path in config.get("watch", [])]
    return config


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def bench(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        project = Path(tmp)
        for name in ("docs", "registries"):
            shutil.copytree(PROJECT / name, project / name)
        generate(project / "posts", count)
        (project / "mkdocs.yml").write_text(yaml.safe_dump(project_config(), allow_unicode=True), encoding="utf-8")
        env = {"NEWSROOM_NOW": "2026-11-26T12:00", "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsroom.cli", "--project", str(project), "check"],
                       check=True, env=env, stderr=subprocess.DEVNULL)
        check = time.perf_counter() - start
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(project / "mkdocs.yml")], check=True, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        site_dir = project / "site"
        files = [p for p in site_dir.rglob("*") if p.is_file()]
        return {
            "posts": count,
            "check_s": round(check, 2),
            "wall_s": round(wall, 2),
            "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
            "peak_mb": round(after.ru_maxrss / 1024),
            "pages": sum(1 for p in files if p.name == "index.html"),
            "site_mb": round(sum(p.stat().st_size for p in files) / 2**20, 1),
            "search_mb": round((site_dir / "search/search_index.json").stat().st_size / 2**20, 2),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="+", type=int, help="numbers of articles, e.g. 1000 10000")
    args = parser.parse_args()
    print(f"# {platform.node()}: {platform.processor() or platform.machine()}, Python {platform.python_version()}", flush=True)
    for count in args.counts:
        print(f"building {count} articles ...", file=sys.stderr, flush=True)
        print(bench(count), flush=True)


if __name__ == "__main__":
    main()
