"""Precompressed copies: beside every text file worth it, the same bytes every run, giving back the file."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import brotli

from newsroom import compress

NEWSROOM = str(Path(sys.executable).parent / "newsroom")


def copies(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.suffix in (".gz", ".br")}


def test_build_compress_is_deterministic_and_round_trips(tiny_site, tmp_path):
    tiny_site.write_config()
    tiny_site.post("2025/01/a.md", "title: Bài một\nslug: mot\ndate: 2025-01-01\nagencies: [UBND tỉnh]")
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00"}
    runs = []
    for _ in range(2):
        result = subprocess.run([NEWSROOM, "build", "--compress"], cwd=tiny_site.root, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        runs.append(copies(tiny_site.root / "site"))
    assert runs[0] == runs[1]  # byte for byte: gzip's header has no name and no time
    site = tiny_site.root / "site"
    for name in ("index.html", "atom.xml", "sitemap.xml", "2025/01/mot/index.html"):
        assert f"{name}.gz" in runs[0] and f"{name}.br" in runs[0], name
    assert any(name.startswith("assets/javascripts/") and name.endswith(".js.br") for name in runs[0])
    assert any(name.startswith("assets/stylesheets/") and name.endswith(".css.gz") for name in runs[0])
    for name, data in runs[0].items():
        original = (site / name[:-3]).read_bytes()
        assert (gzip.decompress(data) if name.endswith(".gz") else brotli.decompress(data)) == original
        assert len(data) < len(original)
    assert gzip.open(site / "index.html.gz").read() and (site / "index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"  # mtime 0
    assert not (site / "robots.txt.gz").exists()  # too small to be worth it
    assert not any(p.name.endswith((".gz.gz", ".br.gz", ".png.gz")) for p in site.rglob("*"))


def test_without_compress_there_are_no_copies(tiny_site):
    tiny_site.write_config()
    tiny_site.post("2025/01/a.md", "title: Bài một\nslug: mot\ndate: 2025-01-01\nagencies: [UBND tỉnh]")
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00"}
    assert subprocess.run([NEWSROOM, "build"], cwd=tiny_site.root, env=env, capture_output=True, timeout=300).returncode == 0
    assert not list((tiny_site.root / "site").rglob("*.br"))


def test_compress_site_skips_binary_and_small_files(tmp_path):
    (tmp_path / "a.html").write_text("<p>xin chào</p>" * 100, encoding="utf-8")
    (tmp_path / "b.png").write_bytes(b"\x89PNG" * 200)
    (tmp_path / "c.css").write_text("a{}", encoding="utf-8")
    assert compress.compress_site(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "a.html.br", "a.html.gz", "b.png", "c.css"]
    assert compress.check_round_trip(tmp_path / "a.html")
