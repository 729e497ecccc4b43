"""scripts/publish for real: releases in a temp DEST served over HTTP from DEST/current,
switched whole while a reader keeps fetching, never touched by a failed build, rolled back, pruned."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newsroom import compress, loopback, publish

NOW = "2026-11-26T12:00"


@pytest.fixture
def project(tiny_site):
    tiny_site.write_config()
    tiny_site.article("2025/01/a.md", "Bài một", "mot", "2025-01-01")
    return tiny_site


def run(project, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSROOM_NOW": NOW, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "newsroom.publish", "--project", str(project.root), *args],
                          cwd=project.root, env=env, capture_output=True, text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def live(dest: Path) -> str:
    return os.readlink(dest / "current").rsplit("/", 1)[-1]


def releases(dest: Path) -> list[str]:
    return sorted(p.name for p in (dest / "releases").iterdir())


class Reader(threading.Thread):
    """Fetches pages in a loop; keeps every failure and every body it got."""

    def __init__(self, base: str, pages: tuple[str, ...]):
        super().__init__(daemon=True)
        self.base, self.pages = base, pages
        self.stop, self.failures, self.bodies, self.count = threading.Event(), [], [], 0

    def run(self):
        while not self.stop.is_set():
            for page in self.pages:
                try:
                    with urllib.request.urlopen(self.base + page, timeout=10) as response:
                        self.bodies.append((page, response.read()))
                except (OSError, urllib.error.URLError) as error:
                    self.failures.append((page, repr(error)))
                self.count += 1


def whole_versions(dest: Path, page: str) -> set[bytes]:
    """The page's bytes in every release there is: a fetched body must be one of them."""
    found = set()
    for release in (dest / "releases").iterdir():
        path = release / page
        path = path / "index.html" if path.is_dir() else path
        if path.is_file():
            found.add(path.read_bytes())
    return found


def test_releases_switch_whole_fail_safe_roll_back_and_are_pruned(project, tmp_path):
    dest = tmp_path / "dest"
    first = run(project, str(dest))
    assert first.returncode == 0, first.stderr
    assert "(published)" in first.stderr
    one = live(dest)
    assert (dest / "releases" / one / publish.MARK).read_text().strip() == publish.content_hash(dest / "current")
    assert os.readlink(dest / "current") == f"releases/{one}"  # relative: DEST can move
    policy = (dest / "csp.conf").read_text(encoding="utf-8")  # for nginx: include /srv/portal/csp.conf;
    assert policy.startswith('add_header Content-Security-Policy "default-src \'self\'; script-src \'self\'')
    assert "'sha256-" in policy and "unsafe-inline" not in policy and policy.endswith('" always;\n')
    assert "csp.conf changed: reload" in first.stderr

    with loopback.serve(dest / "current") as base:
        reader = Reader(base, ("", "2025/01/mot/", "atom.xml", "sitemap.xml"))
        reader.start()
        try:
            # A second release, switched in while the reader fetches.
            project.article("2025/02/b.md", "Bài hai", "hai", "2025-02-01")
            second = run(project, str(dest))
            assert second.returncode == 0, second.stderr
            two = live(dest)
            assert two != one and os.readlink(dest / "previous") == f"releases/{one}"
            assert "Bài hai".encode() in urllib.request.urlopen(base).read()

            # The same content again: no new release, nothing switched.
            again = run(project, str(dest))
            assert again.returncode == 0 and "unchanged" in again.stderr
            assert live(dest) == two and releases(dest) == sorted([one, two])

            # A failing third (an invalid article): the second stays live, byte for byte.
            before = snapshot(dest / "current")
            home = urllib.request.urlopen(base).read()
            project.post("2025/03/c.md", 'title: Hỏng\ndate: "không phải ngày"')
            third = run(project, str(dest))
            assert third.returncode != 0
            assert "current was not changed" in third.stderr
            assert "posts/2025/03/c.md" in third.stdout + third.stderr
            assert live(dest) == two and snapshot(dest / "current") == before
            assert urllib.request.urlopen(base).read() == home
            assert releases(dest) == sorted([one, two])  # its leftovers are gone

            # The switch itself, many times over, between two whole releases.
            for _ in range(50):
                publish._point(dest, "current", one)
                publish._point(dest, "current", two)
        finally:
            reader.stop.set()
            reader.join()
        assert reader.count > 50
        print(f"reader: {reader.count} fetches during the switches, {len(reader.failures)} failures")
        assert reader.failures == []
        for page, data in reader.bodies:
            assert data in whole_versions(dest, page), f"a half or mixed page at {page!r}"
        assert len({data for page, data in reader.bodies if page == ""}) == 2  # it saw the switches

        # Rollback: the first release is live again; a second rollback has nowhere to go.
        back = run(project, "--rollback", str(dest))
        assert back.returncode == 0, back.stderr
        assert live(dest) == one
        assert "Bài hai".encode() not in urllib.request.urlopen(base).read()
        assert run(project, "--rollback", str(dest)).returncode == 1


def test_pruning_keeps_the_newest_and_never_current_or_previous(project, tmp_path):
    built = project.build(now=NOW)
    assert built.aborted is None
    dest = tmp_path / "dest"
    made = []
    for n in range(4):
        (built.site_dir / "version.txt").write_text(str(n))
        result = run(project, "--keep", "2", "--no-compress", "--site", str(built.site_dir), str(dest))
        assert result.returncode == 0, result.stderr
        made.append(live(dest))
    assert releases(dest) == made[-2:]
    # Roll back, publish again: the release rolled back to is now "previous" and survives --keep 1.
    assert run(project, "--rollback", str(dest)).returncode == 0
    assert live(dest) == made[-2]
    (built.site_dir / "version.txt").write_text("5")
    assert run(project, "--keep", "1", "--no-compress", "--site", str(built.site_dir), str(dest)).returncode == 0
    newest = live(dest)
    assert releases(dest) == sorted([made[-2], newest])
    assert os.readlink(dest / "previous") == f"releases/{made[-2]}"


def test_an_interrupted_copy_leaves_current_and_is_swept(project, tmp_path):
    dest = tmp_path / "dest"
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>một</p>", encoding="utf-8")
    publish.publish(dest, site=site, precompress=False)
    first = live(dest)
    (dest / "releases" / ".incoming-dead").mkdir()  # what a killed run leaves
    (site / "index.html").write_text("<p>hai</p>", encoding="utf-8")
    real = compress.compress_site

    def interrupted(folder):
        raise KeyboardInterrupt

    compress.compress_site = interrupted
    try:
        with pytest.raises(KeyboardInterrupt):
            publish.publish(dest, site=site, precompress=True)
    finally:
        compress.compress_site = real
    assert live(dest) == first and releases(dest) == [first]


def test_a_real_folder_at_current_is_never_replaced(project, tmp_path):
    dest = tmp_path / "dest"
    (dest / "current").mkdir(parents=True)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("x", encoding="utf-8")
    result = run(project, "--site", str(site), str(dest))
    assert result.returncode == 1
    assert "is not a symbolic link" in result.stderr
    assert (dest / "current").is_dir() and not (dest / "current").is_symlink()
