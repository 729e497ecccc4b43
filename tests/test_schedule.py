"""When the site next changes on its own: the command a scheduler asks, and the build log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NEWSROOM = str(Path(sys.executable).parent / "newsroom")


@pytest.fixture
def project(tiny_site):
    tiny_site.write_config()
    tiny_site.article("2025/01/live.md", "Đang đăng", "dang", "2025-01-01")
    return tiny_site


def next_change(project, now: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSROOM_NOW": now}
    return subprocess.run([NEWSROOM, "next-change"], cwd=project.root, env=env, capture_output=True, text=True, timeout=60)


def test_nothing_due_prints_nothing_on_stdout(project):
    result = next_change(project, "2026-11-26T09:00")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "no scheduled or expiring article" in result.stderr


def test_the_earliest_of_scheduled_and_expiring_moments_in_vietnam_time(project):
    project.article("2026/11/hen.md", "Hẹn giờ", "hen", '"2026-11-28 08:00"')
    # Given in UTC: 2026-11-27 10:30 +07:00, the earliest.
    project.article("2025/02/het.md", "Sắp hết hạn", "het", "2025-02-01", 'expires: "2026-11-27 03:30+00:00"\n')
    project.article("2026/12/nhap.md", "Bản nháp", "nhap", '"2026-11-26 10:00"', "draft: true\n")
    # Expires before its hour: it never shows, so neither moment changes anything.
    project.article("2026/12/khong.md", "Không bao giờ", "khong", '"2026-11-26 11:00"', 'expires: "2026-11-26 10:00"\n')
    assert next_change(project, "2026-11-26T09:00").stdout == "2026-11-27T10:30:00+07:00\n"
    # Once the expiry has passed, the scheduled article is next; at its hour, nothing is left.
    assert next_change(project, "2026-11-27T10:30").stdout == "2026-11-28T08:00:00+07:00\n"
    assert next_change(project, "2026-11-28T08:00").stdout == ""


def test_a_scheduled_article_that_expires_later_changes_the_site_twice(project):
    project.article("2026/12/ca.md", "Cả hai", "ca", '"2026-12-01 07:00"', 'expires: "2026-12-02"\n')
    assert next_change(project, "2026-11-26T09:00").stdout == "2026-12-01T07:00:00+07:00\n"
    assert next_change(project, "2026-12-01T07:00:01").stdout == "2026-12-02T00:00:00+07:00\n"


def test_an_article_error_is_reported_not_a_moment(project):
    project.post("2026/12/sai.md", 'title: Sai\ndate: "ngày mai"')
    result = next_change(project, "2026-11-26T09:00")
    assert result.returncode == 1
    assert result.stdout.startswith("posts/2026/12/sai.md:")


def test_the_build_log_says_when_the_next_change_is_due(project):
    project.article("2026/11/hen.md", "Hẹn giờ", "hen", '"2026-11-28 08:00"')
    project.caplog.set_level("INFO")
    built = project.build(now="2026-11-26T12:00")
    assert built.aborted is None and not built.errors
    messages = [record.getMessage() for record in project.caplog.records]
    assert "newsroom: next change due 2026-11-28T08:00:00+07:00" in messages
