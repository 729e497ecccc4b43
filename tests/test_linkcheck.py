"""newsroom check-links: every internal reference in the built site resolves, offline, under a sub-path too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newsroom import linkcheck

NEWSROOM = str(Path(sys.executable).parent / "newsroom")


def run(project, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([NEWSROOM, *args], cwd=project.root, env=env, capture_output=True, text=True, timeout=300)


def test_a_built_site_under_a_sub_path_holds_and_a_planted_broken_link_fails(tiny_site):
    tiny_site.write_config(site_url="https://example.gov.vn/cong-thong-tin/")
    tiny_site.post("2025/01/a.md", "title: Bài một\nslug: mot\ndate: 2025-01-01\nagencies: [UBND tỉnh]",
                   "Xem [văn bản](https://vanban.example.vn/qd-1) và [trang chủ](/cong-thong-tin/).\n")
    assert run(tiny_site, "build").returncode == 0
    clean = run(tiny_site, "check-links", "--external")
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout == "https://vanban.example.vn/qd-1\n"  # listed, never fetched
    assert ", 0 broken; 1 external address(es), not fetched" in clean.stderr

    page = tiny_site.root / "site/2025/01/mot/index.html"
    html = page.read_text(encoding="utf-8")
    html = html.replace("</main>", '<a href="../khong-co/">x</a><img src="/cong-thong-tin/anh/mat.webp" alt="">'
                        '<img srcset="../../../assets/images/favicon.png 1x, ../mat-2x.png 2x" alt=""></main>', 1)
    page.write_text(html, encoding="utf-8")
    (tiny_site.root / "site/assets/portal.css").unlink()  # an asset every page links
    broken = run(tiny_site, "check-links")
    assert broken.returncode == 1
    lines = broken.stdout.splitlines()
    assert any(line.startswith("2025/01/mot/index.html:") and '"../khong-co/" leads to no file' in line for line in lines)
    assert any('"/cong-thong-tin/anh/mat.webp" leads to no file' in line for line in lines)
    assert any('"../mat-2x.png" leads to no file' in line for line in lines)
    assert not any("favicon.png" in line for line in lines)
    assert any(line.startswith("index.html:") and "portal.css" in line for line in lines)
    github = run(tiny_site, "check-links", "--format", "github")
    assert github.stdout.startswith("::error file=")


def test_references_of_every_kind_and_where_they_point(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("x", encoding="utf-8")
    (site / "a/index.html").write_text("x", encoding="utf-8")
    (site / "a/p.png").write_bytes(b"x")
    (site / "a/page.html").write_text(
        '<link rel="stylesheet" href="../s.css"><script src="/goc/a/p.png"></script>\n'
        '<a href="#top">top</a><a href="mailto:x@y.vn">m</a><a href="tel:0123">t</a>\n'
        '<a href="./?q=1#x">self</a><a href="https://example.gov.vn/khac/">outside</a>\n'
        '<a href="https://example.gov.vn/goc/a">folder</a><a href="../../..">up</a>'
        '<img srcset="p.png 480w, q.png 960w"><a href="HTTPS://Other.example/x">ext</a>', encoding="utf-8")
    report = linkcheck.check_site(site, "https://example.gov.vn/goc/")
    found = sorted((p.line, p.message) for p in report.problems)
    assert found == [
        (1, '"../s.css" leads to no file in the built site'),
        (3, '"https://example.gov.vn/khac/" points outside the site\'s path /goc/'),
        (4, '"../../.." points outside the site\'s path /goc/'),
        (4, '"q.png" leads to no file in the built site'),
    ]
    assert report.external == {"https://Other.example/x"}  # listed as written, never fetched
