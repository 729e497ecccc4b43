"""Shared fixtures: tiny real sites built in a temp dir with the project's own
mkdocs.yml, hooks, templates and registries."""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import html5lib
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from newsroom.bench import project_config

ROOT = Path(__file__).resolve().parent.parent
SEED_POST = ROOT / "posts/2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw.md"
# The scraped original of the first real article, as the newsroom received it.
SEED_SOURCE = ROOT / "tests/fixtures/seed/000_609d6541cf0a907a.txt"


def build_served_site(root: Path, **newsroom) -> Path:
    """Builds the project folder ``root`` (docs, registries, posts already there) for
    https://example.gov.vn/cong/, as CI does (``mkdocs build --strict`` in a child process),
    with these ``extra.newsroom`` settings; returns its site/, to be served under /cong/."""
    config = {**project_config(), "site_url": "https://example.gov.vn/cong/"}
    config["extra"]["newsroom"].update(newsroom)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {"NEWSROOM_NOW": "2026-11-26T12:00", "NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root, env=env, check=True, timeout=300)
    return root / "site"


def seed_paragraphs() -> list[str]:
    source = SEED_SOURCE.read_text(encoding="utf-8")
    return [p.strip() for p in source.split("\n", 1)[1].split("\n\n") if p.strip()]


@dataclass
class Built:
    site_dir: Path
    errors: list[str]
    aborted: str | None = None
    _pages: dict = field(default_factory=dict)

    def text(self, url: str) -> str:
        return (self.site_dir / url / "index.html").read_text(encoding="utf-8")

    def html(self, url: str):
        """The page at ``url``, parsed as a browser would (html5lib, lxml tree)."""
        if url not in self._pages:
            self._pages[url] = html5lib.parse(self.text(url), treebuilder="lxml", namespaceHTMLElements=False)
        return self._pages[url]

    def all_text(self) -> str:
        """Every text file the build wrote, concatenated: for "appears nowhere" checks."""
        parts = []
        for file in sorted(self.site_dir.rglob("*")):
            if file.suffix in {".html", ".xml", ".json", ".txt", ".js"} and "assets" not in file.parts:
                parts.append(file.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)


    def search_records(self) -> list[dict]:
        """Every page record in the Pagefind index (its fragments: gzip over a marker and JSON)."""
        records = []
        for file in sorted((self.site_dir / "pagefind").glob("*/fragment/*.pf_fragment")):
            data = gzip.decompress(file.read_bytes())
            records.append(json.loads(data[len(b"pagefind_dcd"):]))
        return records


class TinySite:
    """A project folder in tmp_path: the real docs/ and registries, chosen posts."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
        self.root, self.monkeypatch, self.caplog = root, monkeypatch, caplog
        shutil.copytree(ROOT / "docs", root / "docs")
        shutil.copytree(ROOT / "registries", root / "registries")
        (root / "posts").mkdir()
        self.config = project_config()

    def post(self, path: str, front_matter: str, body: str = "Nội dung bài viết.\n") -> Path:
        return self.write(f"posts/{path}", f"---\n{front_matter.strip()}\n---\n\n{body}")

    def article(self, path: str, title: str, slug: str, date: str, extra: str = "") -> Path:
        """An article of UBND tỉnh with a slug of its own; ``extra``: more front matter lines."""
        return self.post(path, f"title: {title}\nslug: {slug}\ndate: {date}\n{extra}agencies: [UBND tỉnh]")

    def write(self, path: str, content: str | bytes) -> Path:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            file.write_text(content, encoding="utf-8")
        return file

    def write_config(self, **config) -> None:
        settings = {**self.config, **config}
        (self.root / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")

    def build(self, now: str = "2026-11-26T12:00", **config) -> Built:
        self.monkeypatch.setenv("NEWSROOM_NOW", now)
        self.write_config(**config)
        self.caplog.clear()
        aborted = None
        with self.caplog.at_level(logging.INFO, logger="mkdocs"):
            try:
                build(load_config(str(self.root / "mkdocs.yml")))
            except Abort as error:
                aborted = str(error)
        errors = [r.getMessage() for r in self.caplog.records if r.levelno >= logging.ERROR]
        return Built(self.root / "site", errors, aborted)


@pytest.fixture
def tiny_site(tmp_path, monkeypatch, caplog) -> TinySite:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return TinySite(tmp_path / "project", monkeypatch, caplog)


def texts(tree, xpath: str) -> list[str]:
    """Normalized text of every element matching ``xpath``."""
    return [" ".join("".join(el.itertext()).split()) for el in tree.xpath(xpath)]
