"""newsroom preview: updates equal full builds byte for byte, rewrite only what changed, never go blank.

The first tests drive ``hooks/preview.py``'s ``Preview`` in this process, the
last ones the real command (``newsroom preview``) on loopback.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from newsroom.bench import project_config
from tests.conftest import ROOT
from tests.test_serve import free_port

sys.path.insert(0, str(ROOT / "hooks"))
import preview  # noqa: E402  (hooks/preview.py)

AGENCIES = ["UBND tỉnh", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Ban Tuyên giáo Tỉnh ủy"]
TOPICS = ["Y tế", "Giáo dục", "Thông báo", "Kinh tế"]
AUTHORS = ["Hoàng Tuấn", "Lê Hoa", "Trần Minh"]
SERVE_URL = "http://127.0.0.1:8999/cong/"


class Project:
    """A portal project in a temp folder: the real docs/, registries and templates, generated articles."""

    def __init__(self, root: Path, seed: int = 0):
        import shutil

        self.root, self.random = root, random.Random(seed)
        shutil.copytree(ROOT / "docs", root / "docs")
        shutil.copytree(ROOT / "registries", root / "registries")
        config = {**project_config(), "site_url": "https://example.gov.vn/cong/", "watch": []}
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        self.count = 0

    def write(self, name: str, title: str, date: str, agencies=None, topics=None, authors=None, extra: str = "", body: str = "") -> Path:
        file = self.root / "posts" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        front = {"title": title, "date": date, "agencies": agencies or [self.random.choice(AGENCIES)],
                 "topics": topics or [self.random.choice(TOPICS)], "authors": authors or [self.random.choice(AUTHORS)]}
        text = yaml.safe_dump(front, allow_unicode=True) + extra
        file.write_text(f"---\n{text}---\n\n{body or 'Đoạn đầu của bài.'}\n\nĐoạn thứ hai.\n", encoding="utf-8")
        return file

    def add(self) -> Path:
        self.count += 1
        month, day = self.random.randint(1, 12), self.random.randint(1, 28)
        # Half have a slug of their own, so a new title keeps their address (an update that moves no article).
        return self.write(f"2025/{month:02}/bai-{self.count}.md", f"Bài số {self.count}", f"2025-{month:02}-{day:02}",
                          agencies=self.random.sample(AGENCIES, self.random.randint(1, 2)),
                          topics=self.random.sample(TOPICS, self.random.randint(1, 2)),
                          extra=f"slug: tin-{self.count}\n" if self.count % 2 else "")

    def articles(self) -> list[Path]:
        return sorted((self.root / "posts").rglob("*.md"))


def tree(folder: Path) -> dict[str, bytes]:
    return {file.relative_to(folder).as_posix(): file.read_bytes() for file in folder.rglob("*") if file.is_file()}


def full_build(project: Path) -> dict[str, bytes]:
    reference = preview.Preview(project / "mkdocs.yml", SERVE_URL)
    try:
        assert reference.rebuild() == "full", reference.problems
        return tree(reference.root)
    finally:
        reference.close()


def replace_in(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, (old, file)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_NOW", "2026-11-26T12:00")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("NEWSROOM_WORKERS", "1")
    made = Project(tmp_path / "project")
    for _ in range(24):
        made.add()
    return made


DATE = r"date: '?\d{4}-\d\d-\d\d'?"


def sub_in(file: Path, pattern: str, new: str) -> None:
    file.write_text(re.sub(pattern, new, file.read_text(encoding="utf-8")), encoding="utf-8")


def _edit(project: Project, step: int) -> tuple[str, list[Path]]:
    """One random editor's action: its name (for the failure message) and the paths it touched."""
    rnd, files = project.random, project.articles()
    file = rnd.choice(files)
    touched = [file]
    action = rnd.choice(["add", "title", "date", "agencies", "draft", "delete", "rename", "body", "authors", "schedule", "pin"])
    if action == "add":
        touched = [project.add()]
    elif action == "title":
        replace_in(file, "title: ", f"title: Sửa {step} ")
    elif action == "date":
        sub_in(file, DATE, f"date: 2024-{rnd.randint(1, 12):02}-{rnd.randint(1, 28):02}")
    elif action == "agencies":
        sub_in(file, r"agencies:\n(- .*\n)+", f"agencies:\n- {rnd.choice(AGENCIES)}\n")
    elif action == "draft":
        replace_in(file, "---\n\n", "draft: true\n---\n\n")
    elif action == "delete" and len(files) > 3:
        file.unlink()
    elif action == "rename":
        touched.append(file.rename(file.with_name(f"doi-ten-{step}.md")))
    elif action == "body":
        replace_in(file, "Đoạn thứ hai.", f"Đoạn thứ hai, sửa lần {step}.")
    elif action == "authors":
        sub_in(file, r"authors:\n(- .*\n)+", f"authors:\n- Tác Giả Mới {step % 3}\n")
    elif action == "schedule":
        sub_in(file, DATE, "date: 2027-01-05")
    elif action == "pin":
        replace_in(file, "---\n\n", "pinned: true\n---\n\n")
    return f"{action} {file.name}", touched


@pytest.mark.parametrize("seed, told", [(1, False), (2, True), (3, True)])
def test_random_edits_give_the_bytes_of_a_full_build(project, seed, told, monkeypatch):
    """``told``: the update is told which paths changed (as the watcher does) instead of looking at every file."""
    project.random.seed(seed)
    in_place = []  # updates that kept the plan and swapped the edited articles in (pages.with_swaps)
    with_swaps = preview.incremental.pages.with_swaps
    monkeypatch.setattr(preview.incremental.pages, "with_swaps", lambda *args: in_place.append(1) or with_swaps(*args))
    served = preview.Preview(project.root / "mkdocs.yml", SERVE_URL)
    served.events = told
    try:
        assert served.rebuild() == "full"
        for step in range(10):
            done, touched = _edit(project, step)
            served.saw([str(path) for path in touched])
            time.sleep(0.002)  # a new mtime even on coarse clocks
            assert served.rebuild() == "update", (done, served.problems)
            expected, got = full_build(project.root), tree(served.root)
            assert sorted(got) == sorted(expected), done
            differ = [name for name in expected if expected[name] != got[name]]
            assert not differ, (done, differ[:5])
        assert in_place  # both kinds of update were compared
        # A registry change rebuilds everything, and still equals a full build.
        replace_in(project.root / "registries/topics.yml", "description: Sản xuất, kinh doanh", "description: Sản xuất, thương mại")
        assert served.rebuild() == "full"
        assert tree(served.root) == full_build(project.root)
    finally:
        served.close()


def _mtimes(folder: Path) -> dict[str, int]:
    return {file.relative_to(folder).as_posix(): file.stat().st_mtime_ns for file in folder.rglob("*") if file.is_file()}


def test_an_update_rewrites_only_the_pages_that_changed(project):
    article = project.write("2025/06/mot-bai.md", "Một bài", "2025-06-15", agencies=["Sở Y tế"], topics=["Y tế"])
    served = preview.Preview(project.root / "mkdocs.yml", SERVE_URL)
    try:
        served.rebuild()
        before = _mtimes(served.root)
        time.sleep(0.01)
        replace_in(article, "Đoạn thứ hai.", "Đoạn thứ hai, đã sửa.")  # not the summary: only its own page shows it
        assert served.rebuild() == "update"
        after = _mtimes(served.root)
        assert [name for name in after if after[name] != before.get(name)] == ["2025/06/mot-bai/index.html"]

        replace_in(article, "title: Một bài", "title: Một bài mới")  # a new title (and URL): its listings and feeds too
        assert served.rebuild() == "update"
        changed = {name for name, mtime in _mtimes(served.root).items() if mtime != after.get(name)}
        assert "2025/06/mot-bai-moi/index.html" in changed and not (served.root / "2025/06/mot-bai").exists()
        assert {"index.html", "co-quan/so-y-te/index.html", "chu-de/y-te/index.html", "2025/06/index.html", "atom.xml"} <= changed
        assert "gioi-thieu/index.html" not in changed and not any(name.startswith("assets/") for name in changed)
    finally:
        served.close()


def test_a_broken_save_keeps_the_last_good_pages_and_names_the_problem(project):
    article = project.write("2025/06/mot-bai.md", "Một bài", "2025-06-15")
    served = preview.Preview(project.root / "mkdocs.yml", SERVE_URL)
    try:
        served.rebuild()
        page = served.root / "2025/06/mot-bai/index.html"
        good = page.read_bytes()
        replace_in(article, "date: '2025-06-15'", "date: '2025-16-15'")
        assert served.rebuild() == "failed"
        assert page.read_bytes() == good
        assert served.problems == ['posts/2025/06/mot-bai.md:6: date: "2025-16-15" is not a real date (month must be in 1..12); '
                                   "write YYYY-MM-DD, YYYY-MM or YYYY-MM-DD HH:MM, e.g. 2022-04-15"]
        replace_in(article, "2025-16-15", "2025-06-16")
        assert served.rebuild() == "update" and served.problems == []
    finally:
        served.close()


def test_drafts_scheduled_and_expired_articles_are_shown_and_marked(project):
    draft = project.write("2025/06/nhap.md", "Bài nháp", "2025-06-15", extra="draft: true\n")
    project.write("2025/06/hen.md", "Bài hẹn giờ", "2027-01-05")
    project.write("2025/06/het.md", "Bài hết hạn", "2025-06-10", extra="expires: 2025-12-01\n")
    served = preview.Preview(project.root / "mkdocs.yml", SERVE_URL)
    try:
        served.rebuild()
        notes = {url: (served.root / url / "index.html").read_text(encoding="utf-8") for url in ("2025/06/bai-nhap", "2027/01/bai-hen-gio", "2025/06/bai-het-han")}
        assert "Bản nháp:" in notes["2025/06/bai-nhap"] and "Hẹn giờ:" in notes["2027/01/bai-hen-gio"] and "Hết hạn:" in notes["2025/06/bai-het-han"]
        assert served.page_of(draft) == SERVE_URL + "2025/06/bai-nhap/"
        assert served._portal.preview is False  # another build in this process (a test's) publishes as usual
        assert "Bài nháp" in (served.root / "index.html").read_text(encoding="utf-8")
        replace_in(draft, "draft: true\n", "")  # published: the note goes, the page stays
        assert served.rebuild() == "update"
        assert "Bản nháp:" not in (served.root / "2025/06/bai-nhap/index.html").read_text(encoding="utf-8")
    finally:
        served.close()


def test_the_banner_escapes_what_editors_wrote():
    shown = preview.banner(['posts/a.md:2: title: "<script>alert(1)</script>" & more']).decode()
    assert "<script>" not in shown and "&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; more" in shown


# The real command on loopback.

def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _until(url: str, test, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, body = _get(url)
            if test(status, body):
                return body
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never became as expected")
        time.sleep(0.1)


def _start(project: Project, *args: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00", "NO_MKDOCS_2_WARNING": "1"}
    command = [str(Path(sys.executable).parent / "newsroom"), "preview", "--no-open", "--port", str(port), *args]
    return subprocess.Popen(command, cwd=project.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), port


def _stop(server: subprocess.Popen) -> str:
    server.terminate()
    return server.communicate(timeout=20)[0]


def test_newsroom_preview_serves_updates_and_shows_errors_until_fixed(project):
    article = project.write("2025/06/mot-bai.md", "Một bài", "2025-06-15")
    server, port = _start(project, "posts/2025/06/mot-bai.md")
    base = f"http://127.0.0.1:{port}/cong/"
    try:
        page = base + "2025/06/mot-bai/"
        first = _until(page, lambda status, body: status == 200)
        assert "<h1>Một bài" in first and "livereload" in first
        replace_in(article, "Đoạn thứ hai.", "Đoạn đã sửa.")
        _until(page, lambda status, body: "Đoạn đã sửa." in body, 10)
        replace_in(article, "date: '2025-06-15'", "date: '2025-16-15'")
        broken = _until(page, lambda status, body: "nr-preview-error" in body, 10)
        assert "Đoạn đã sửa." in broken  # the last good page, under the banner
        assert "posts/2025/06/mot-bai.md:6: date: &quot;2025-16-15&quot; is not a real date" in broken
        assert "nr-preview-error" in _get(base)[1]  # on every page
        replace_in(article, "2025-16-15", "2025-06-15")
        _until(page, lambda status, body: status == 200 and "nr-preview-error" not in body, 10)
        moved = article.rename(article.with_name("doi-ten.md"))  # the same article under another file name
        replace_in(moved, "Đoạn đã sửa.", "Đoạn sau khi đổi tên.")
        _until(page, lambda status, body: "Đoạn sau khi đổi tên." in body, 10)
        project.write("2026/01/moi.md", "Bài trong thư mục mới", "2026-01-02")  # a new folder: looked at whole
        _until(base, lambda status, body: "Bài trong thư mục mới" in body, 10)
        moved.unlink()
        _until(page, lambda status, body: status == 404, 10)
    finally:
        output = _stop(server)
    assert f"newsroom preview: {page}" in output  # the address of the article named on the command line


def _pages_folder(server: subprocess.Popen) -> Path:
    """Where the preview writes its pages (it logs the folder after each full build)."""
    for line in server.stdout:
        if found := re.search(r"newsroom preview: pages in (\S+)", line):
            return Path(found.group(1))
    raise AssertionError("newsroom preview never said where its pages are")


def test_newsroom_preview_rewrites_only_the_pages_a_save_changes(project):
    article = project.write("2025/06/mot-bai.md", "Một bài", "2025-06-15", agencies=["Sở Y tế"], topics=["Y tế"])
    server, port = _start(project)
    page = f"http://127.0.0.1:{port}/cong/2025/06/mot-bai/"
    try:
        folder = _pages_folder(server)
        _until(page, lambda status, body: status == 200)
        before = _mtimes(folder)
        replace_in(article, "Đoạn thứ hai.", "Đoạn thứ hai, đã sửa.")
        _until(page, lambda status, body: "đã sửa" in body, 10)
        after = _mtimes(folder)
        assert [name for name in after if after[name] != before.get(name)] == ["2025/06/mot-bai/index.html"]
        added = project.write("2025/06/bai-moi.md", "Bài mới thêm", "2025-06-20", agencies=["Sở Y tế"], topics=["Y tế"])
        month = f"http://127.0.0.1:{port}/cong/2025/06/"
        _until(month, lambda status, body: "Bài mới thêm" in body, 10)
        changed = {name for name, mtime in _mtimes(folder).items() if mtime != after.get(name)}
        assert {"2025/06/bai-moi-them/index.html", "co-quan/so-y-te/index.html", "chu-de/y-te/index.html",
                "2025/06/index.html", "sitemap.xml"} <= changed
        assert not any(name.startswith(("assets/", "gioi-thieu/", "en/")) for name in changed)
        added.unlink()
        _until(month, lambda status, body: "Bài mới thêm" not in body, 10)
        assert not (folder / "2025/06/bai-moi-them").exists()
    finally:
        _stop(server)


def test_a_first_build_that_fails_serves_the_problem_until_it_is_fixed(project):
    article = project.write("2025/06/mot-bai.md", "Một bài", "2025-06-15", extra="draft: 'no'\n")
    server, port = _start(project)
    base = f"http://127.0.0.1:{port}/cong/"
    try:
        body = _until(base, lambda status, body: "nr-preview-error" in body)
        assert "posts/2025/06/mot-bai.md:" in body and "draft:" in body
        assert server.poll() is None
        replace_in(article, "draft: 'no'\n", "")
        _until(base + "2025/06/mot-bai/", lambda status, body: status == 200 and "nr-preview-error" not in body)
    finally:
        _stop(server)
