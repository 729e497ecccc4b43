"""`newsroom build` for real: site/ is replaced whole or not at all, workers die
with the build, and the same sources give the same bytes."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import feedparser
import pytest

from newsroom import bench, output

NEWSROOM = str(Path(sys.executable).parent / "newsroom")
NOW = "2026-11-26T12:00"
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree in /proc")


@pytest.fixture
def project(tiny_site):
    tiny_site.write_config()
    tiny_site.post("2025/01/a.md", "title: Bài một\nslug: mot\ndate: 2025-01-01\nagencies: [UBND tỉnh]")
    return tiny_site


@pytest.fixture(scope="module")
def big_posts(tmp_path_factory) -> Path:
    """1,500 benchmark articles: a build that takes a few seconds, to interrupt."""
    posts = tmp_path_factory.mktemp("big") / "posts"
    bench.generate(posts, 1500)
    return posts


def build(project, *args, workers: int | None = None, **env) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSROOM, "build", *args], cwd=project.root, env=_env(workers, env), capture_output=True, text=True, timeout=300)


def start(project, workers: int | None = None) -> subprocess.Popen:
    return subprocess.Popen([NEWSROOM, "build"], cwd=project.root, env=_env(workers, {}),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _env(workers, extra) -> dict:
    env = {**os.environ, "NEWSROOM_NOW": NOW, **extra}
    if workers is not None:
        env["NEWSROOM_WORKERS"] = str(workers)
    return env


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, by path: the whole tree, to compare."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def scratch(project) -> list[Path]:
    return sorted(project.root.glob(".site.*"))


def good_site(project) -> dict[str, bytes]:
    result = build(project)
    assert result.returncode == 0, result.stderr
    return snapshot(project.root / "site")


# --- the swap -------------------------------------------------------------------

def test_a_good_build_appears_with_the_folder_mode_a_mkdir_gives(project):
    first = good_site(project)
    assert "2025/01/mot/index.html" in first and "atom.xml" in first
    umask = os.umask(0)
    os.umask(umask)
    assert (project.root / "site").stat().st_mode & 0o777 == 0o777 & ~umask  # readable by the web server
    project.post("2025/02/b.md", "title: Bài hai\nslug: hai\ndate: 2025-02-01")
    second = good_site(project)
    assert "2025/02/hai/index.html" in second and "2025/02/hai/index.html" not in first
    assert scratch(project) == []


def test_a_post_without_date_leaves_the_previous_site_byte_identical(project):
    before = good_site(project)
    project.post("2025/03/c.md", "title: Không có ngày")
    result = build(project)
    assert result.returncode == 1
    assert "posts/2025/03/c.md:" in result.stderr and "date" in result.stderr
    assert snapshot(project.root / "site") == before
    assert scratch(project) == []


def test_mkdocs_options_that_would_move_the_output_are_refused(project):
    for args in (["-d", "elsewhere"], ["--site-dir=elsewhere"], ["-qd", "x"], ["--config-file", "other.yml"]):
        result = build(project, *args)
        assert result.returncode == 1 and "is chosen by newsroom build itself" in result.stdout, args
    assert not (project.root / "site").exists() and scratch(project) == []


def test_a_stale_scratch_folder_is_removed_but_not_one_a_running_build_holds(project):
    stale, held = project.root / ".site.new-dead", project.root / ".site.new-busy"
    for folder in (stale, held):
        (folder / "2025").mkdir(parents=True)
        (folder / "2025/index.html").write_text("half", encoding="utf-8")
    fd = os.open(held, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        good_site(project)
        assert scratch(project) == [held]
    finally:
        os.close(fd)
    shutil.rmtree(held)


def test_without_renameat2_two_renames_swap_the_trees(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "_renameat2", lambda: None)
    site, new = tmp_path / "site", tmp_path / ".site.new-x"
    site.mkdir(), new.mkdir()
    (site / "old.html").write_text("old"), (new / "new.html").write_text("new")
    old = output.swap(new, site)
    assert [p.name for p in site.iterdir()] == ["new.html"] and [p.name for p in old.iterdir()] == ["old.html"]
    assert old.name.startswith(".site.old-")


@linux_only
def test_renameat2_exchanges_the_trees_in_place(tmp_path):
    if output._renameat2() is None:
        pytest.skip("no renameat2 in this C library")
    site, new = tmp_path / "site", tmp_path / ".site.new-x"
    site.mkdir(), new.mkdir()
    (site / "old.html").write_text("old"), (new / "new.html").write_text("new")
    assert output.swap(new, site) == new
    assert [p.name for p in site.iterdir()] == ["new.html"] and [p.name for p in new.iterdir()] == ["old.html"]


# --- interrupted builds ---------------------------------------------------------

def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a live process, None once it is gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in "ZX" else (fields[0], int(fields[1]), int(fields[19]))


def children(pid: int) -> dict[int, int]:
    """Live children of ``pid``: pid -> start time (to tell a reused pid apart)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) and stat[1] == pid:
            found[int(entry.name)] = stat[2]
    return found


def alive(processes: dict[int, int]) -> list[int]:
    return [pid for pid, started in processes.items() if (stat := _stat(pid)) and stat[2] == started]


def wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.02)
    raise AssertionError(f"{what}: not within {seconds} s")


def writing(project, build_pid: int, workers: int):
    """The mkdocs process and its workers, once they have started writing articles into the scratch folder."""
    mkdocs = children(build_pid)
    if len(mkdocs) != 1:
        return None
    pid = next(iter(mkdocs))
    forked = children(pid)
    if len(forked) < workers - 1:
        return None
    written = [p for folder in scratch(project) for p in folder.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html")]
    return (pid, mkdocs[pid], forked) if written else None


def big_build(project, big_posts, workers: int = 3):
    """A good small site, then 1,500 more articles being written: the build's process tree."""
    before = good_site(project)
    shutil.copytree(big_posts, project.root / "posts", dirs_exist_ok=True)
    process = start(project, workers)
    tree = wait_until(lambda: writing(project, process.pid, workers), 120, "the workers writing articles")
    return before, process, tree


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_to_newsroom_build_stops_the_build_and_keeps_the_previous_site(project, big_posts, signum):
    before, process, (mkdocs, started, workers) = big_build(project, big_posts)
    process.send_signal(signum)
    out = process.communicate(timeout=30)[0]
    assert process.returncode != 0
    if signum == signal.SIGTERM:
        assert process.returncode == 128 + signal.SIGTERM  # mkdocs died of the forwarded SIGTERM
    else:
        assert "Aborted!" in out and "Traceback" not in out  # mkdocs' own Ctrl-C: one KeyboardInterrupt
    wait_until(lambda: not alive({mkdocs: started, **workers}), 2, "every build process gone")
    assert snapshot(project.root / "site") == before
    assert scratch(project) == []


@linux_only
def test_sigterm_to_the_mkdocs_process_kills_every_worker_at_once(project, big_posts):
    before, process, (mkdocs, started, workers) = big_build(project, big_posts)
    assert len(workers) >= 2
    os.kill(mkdocs, signal.SIGTERM)
    killed = time.monotonic()
    wait_until(lambda: not alive(workers), 2, f"workers {sorted(workers)} gone after their parent died")
    print(f"workers gone {time.monotonic() - killed:.3f} s after SIGTERM")
    assert process.wait(timeout=30) == 128 + signal.SIGTERM
    assert snapshot(project.root / "site") == before
    assert scratch(project) == []


# --- the same sources, the same bytes --------------------------------------------

def test_the_same_sources_and_clock_give_the_same_bytes_whatever_the_workers_and_the_time(project):
    bench.generate(project.root / "posts", 150)
    with (project.root / "registries/agencies.yml").open("a", encoding="utf-8") as registry:
        registry.write("\n- name: Ban Không Bài\n  slug: ban-khong-bai\n")  # an agency no article names
    project.post("2019/05/sua.md", "title: Bài cũ sửa lại\ndate: 2019-05-01\nupdated: 2026-11-20 09:30\nauthors: Ẩn danh")
    one = build(project, workers=1)
    assert one.returncode == 0, one.stderr
    first = snapshot(project.root / "site")
    time.sleep(1.1)  # another second on the wall clock, and another day on MkDocs' (SOURCE_DATE_EPOCH)
    three = build(project, workers=3, SOURCE_DATE_EPOCH="1000000000")
    assert three.returncode == 0, three.stderr
    second = snapshot(project.root / "site")
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []
    # A feed with no entries carries the site's last change, not the build's clock.
    empty = feedparser.parse(first["co-quan/ban-khong-bai/atom.xml"])
    assert empty.entries == [] and empty.feed.updated == "2026-11-20T09:30:00+07:00"


def test_an_empty_site_dates_its_feeds_by_the_build_clock(tiny_site):
    tiny_site.write_config()
    result = build(tiny_site)
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((tiny_site.root / "site/co-quan/so-noi-vu/atom.xml").read_bytes())
    assert datetime.fromisoformat(feed.feed.updated) == datetime.fromisoformat(NOW + "+07:00")
