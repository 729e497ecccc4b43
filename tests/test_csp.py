"""The Content-Security-Policy README's nginx block sends: every page type loads under it in
Chromium with no violation, and an inline script the build did not write is blocked."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from browser import browser_page  # noqa: F401 (a fixture; skips the module without a browser)
from conftest import ROOT
from newsroom import csp, loopback, pagetypes
from newsroom.bench import project_config

README = ROOT / "README.md"
LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(
  e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || "")));
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A small real site with every page type (agency, topic, author, month, year, article)."""
    root = tmp_path_factory.mktemp("csp")
    for folder in ("docs", "registries"):
        shutil.copytree(ROOT / folder, root / folder)
    post = root / "posts/2025/01/a.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: Bài một\nslug: mot\ndate: 2025-01-01\nauthors: [Lê Văn A]\nagencies: [UBND tỉnh]\n"
                    "topics: [Kinh tế]\n---\n\nNội dung **bài viết** quyết định.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(project_config(), allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([str(Path(sys.executable).parent / "newsroom"), "build"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return root / "site"


@contextlib.contextmanager
def serve_with(site_dir: Path, headers: dict[str, str]):
    """The loopback server, every response with ``headers`` (as nginx's add_header ... always)."""
    class Handler(loopback._Handler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def documented_headers() -> dict[str, str]:
    """The security headers README's nginx block adds (the CSP is included from csp.conf)."""
    text = README.read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("add_header ") and "Cache-Control" not in line and "Vary" not in line:
            name, value = line[len("add_header "):].split(" ", 1)
            found[name] = value.rsplit(" always;", 1)[0].strip().strip('"')
    return found


def test_readme_documents_the_security_headers():
    headers = documented_headers()
    assert {"X-Content-Type-Options", "Referrer-Policy", "Strict-Transport-Security"} <= set(headers)
    assert "include" in README.read_text(encoding="utf-8") and "csp.conf" in README.read_text(encoding="utf-8")


def test_every_page_type_loads_under_the_policy_without_a_violation(site, browser_page):
    policy = csp.policy(site)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    headers = {**documented_headers(), "Content-Security-Policy": policy}
    page = browser_page
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTENER)
    kinds = pagetypes.find(site)
    assert {"article", "agency", "topic", "author", "month", "year", "search", "not-found"} <= set(kinds)
    with serve_with(site, headers) as base:
        for kind, address in kinds.items():
            response = page.goto(base + address, wait_until="networkidle")
            assert response.headers["content-security-policy"] == policy
            if kind == "search":  # Pagefind loads its index and WebAssembly: wait for the results
                page.wait_for_function("() => { const s = document.getElementById('search-status').textContent;"
                                       " return s && !s.startsWith('Đang'); }", timeout=20000)
                assert page.locator("#search-results li h2 a").count() >= 1
            violations = page.evaluate("window.__violations")
            assert violations == [], (kind, violations)
        assert not [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m], console
        assert page.errors == []


def test_an_inline_script_the_build_did_not_write_is_blocked(site, browser_page, tmp_path):
    policy = csp.policy(site)
    planted = tmp_path / "site"
    planted.mkdir()
    (planted / "index.html").write_text((site / "index.html").read_text(encoding="utf-8").replace(
        "</body>", "<script>document.title='injected'</script></body>"), encoding="utf-8")
    page = browser_page
    page.add_init_script(LISTENER)
    with serve_with(planted, {"Content-Security-Policy": policy}) as base:
        page.goto(base, wait_until="load")
        assert page.title() != "injected"
        assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))


def test_pictures_from_other_sites_and_embeddable_frames_are_allowed_by_origin(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(
        '<img src="https://Anh.Example.vn/x.jpg" alt=""><img src="../b.png" alt="">'
        '<img src="https://evil.vn;script-src%20*@x/a.png"><img src="https://x.vn&quot;;script-src *.png">'
        '<picture><source srcset="https://cdn.example.org/1.webp 1x, /2.webp 2x"></picture>'
        '<script type="application/ld+json">{"a": 1}</script><script>var a = 1;</script>', encoding="utf-8")
    value = csp.policy(tmp_path, ("www.youtube.com",))
    directives = dict(part.split(" ", 1) for part in value.split("; "))
    assert directives["img-src"] == "'self' data: https://anh.example.vn https://cdn.example.org"
    assert directives["frame-src"] == "https://www.youtube.com"
    # One inline script runs (its hash is listed); the JSON-LD is data.
    assert directives["script-src"].count("'sha256-") == 1
    assert csp.inline_hashes(tmp_path) == ["'sha256-+dZ6udsWxNVoGfScAq7t5IIF5UJb4F6RhjbN6oe1p4w='"]  # of "var a = 1;"
