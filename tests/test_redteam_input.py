"""Hostile and careless input found by red-teaming: each a clear error line, never a
traceback, a hang, or a lost file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

NEWSROOM = str(Path(sys.executable).parent / "newsroom")
GOOD = "title: Bài một\nslug: mot\ndate: 2025-01-01\nagencies: [UBND tỉnh]"


@pytest.fixture
def project(tiny_site):
    tiny_site.write_config()
    tiny_site.post("2025/01/a.md", GOOD)
    return tiny_site


def run(project, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00"}
    return subprocess.run([NEWSROOM, *args], cwd=project.root, env=env, capture_output=True, text=True, timeout=120)


def assert_one_clear_line(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert expected in result.stdout.splitlines()


# --- site_dir: the build empties or replaces it ------------------------------------

@pytest.mark.parametrize("site_dir, holds", [("posts", "posts"), ("posts/2025", "posts"), ("registries", "registries"),
                                             (".", "mkdocs.yml"), ("mkdocs.yml", "mkdocs.yml")])
def test_newsroom_build_refuses_a_site_dir_that_would_delete_the_sources(project, site_dir, holds):
    project.write_config(site_dir=site_dir)
    before = {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    result = run(project, "build")
    line = next(n for n, text in enumerate((project.root / "mkdocs.yml").read_text().splitlines(), 1) if text.startswith("site_dir:"))
    assert_one_clear_line(result, f'mkdocs.yml:{line}: site_dir: "{site_dir}" overlaps {holds}, which every build would delete; '
                                  "set site_dir to a folder of its own, e.g. site")
    assert {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file()} == before


def test_plain_mkdocs_build_refuses_site_dir_posts_before_emptying_it(project):
    built = project.build(site_dir="posts")
    assert built.aborted and any('site_dir: "posts" overlaps posts' in error for error in built.errors)
    assert (project.root / "posts/2025/01/a.md").read_text(encoding="utf-8").startswith("---\ntitle: Bài một")


def test_a_site_dir_name_too_long_for_the_scratch_folder_is_one_line(project):
    project.write_config(site_dir="s" * 250)
    result = run(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{'s' * 250}:1: site_dir: no folder can be made beside it: File name too long")


# --- names the system refuses (ENAMETOOLONG) --------------------------------------

def test_a_posts_dir_name_too_long_is_a_missing_folder_not_a_traceback(project):
    project.write_config(extra={"newsroom": {"posts_dir": "p" * 300}})
    result = run(project, "check")
    assert_one_clear_line(result, f"{'p' * 300}:1: posts_dir: the articles folder does not exist; "
                                  "create it or fix extra.newsroom.posts_dir in mkdocs.yml")


def test_an_image_path_too_long_is_a_missing_picture_not_a_traceback(project):
    image = "a/" * 3000 + "x.png"
    project.post("2025/01/b.md", f"title: Bài hai\ndate: 2025-01-01\nimage: {image}\nimage_alt: Ảnh")
    result = run(project, "check")
    assert_one_clear_line(result, f'posts/2025/01/b.md:4: image: "{image}" does not exist in docs/; put the picture there or fix the path')


# --- the summary made from the first paragraph ---------------------------------------

@pytest.mark.parametrize("lead", ["[" * 50_000, "&amp;" * 200_000, "a" + "[x](y" * 20_000],
                         ids=["brackets", "entities", "open-links"])
def test_a_lead_paragraph_the_body_check_refuses_is_never_converted_for_the_summary(lead):
    # The summary used to convert the first paragraph before the body's bounds were checked: minutes, or RecursionError.
    from newsroom.excerpt import first_paragraph

    started = time.perf_counter()
    summary = first_paragraph(lead + "\n\nĐoạn hai.")
    assert time.perf_counter() - started < 2
    assert "<" not in summary


def test_check_of_50000_open_brackets_in_the_lead_is_quick_and_one_error(project):
    project.post("2025/01/b.md", "title: Bài hai\ndate: 2025-01-01", "[" * 50_000 + "\n")
    started = time.perf_counter()
    result = run(project, "check")
    assert time.perf_counter() - started < 20
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert all(line.startswith("posts/2025/01/b.md:") for line in result.stdout.splitlines())


@pytest.mark.parametrize("block, summary", [
    ("Lời dẫn *đậm* [liên kết](/a/).\n{: .caption }", "Lời dẫn đậm liên kết."),
    ("Lời dẫn. {: .lead }", "Lời dẫn."),
    ("a {: x} b", "a {: x} b"),
    ("a" + "{" * 100_000, "a" + "{" * 100_000),
])
def test_a_closing_attribute_list_is_dropped_from_the_summary_in_linear_time(block, summary):
    from newsroom.excerpt import first_paragraph

    started = time.perf_counter()
    assert first_paragraph(block) == summary
    assert time.perf_counter() - started < 1


# --- a --- written too early: the fields below it were published as text ---------------

@pytest.mark.parametrize("source, line", [
    ("---\ntitle: Bài hai\ndate: 2025-01-01\n---\ndraft: true\n---\n\nNội dung.\n", 5),
    ("---\ntitle: Bài hai\ndate: 2025-01-01\n---\n\ndraft: true\n---\n\nNội dung.\n", 6),
    ("---\ntitle: Bài hai\ndate: 2025-01-01\n---\n---\nDraft: yes\n---\n\nNội dung.\n", 6),
], ids=["next-line", "after-a-blank", "doubled-dashes"])
def test_a_draft_flag_below_the_closing_dashes_is_an_error_not_a_publication(project, source, line):
    project.write("posts/2025/01/b.md", source)
    result = run(project, "check")
    assert_one_clear_line(result, f"posts/2025/01/b.md:{line}: draft: is below the --- that ends the front matter, so it is not read; "
                                  "move it above that line, or delete a --- written too early")
    built = project.build()
    assert built.aborted and not (project.root / "site/2025/01/bai-hai").exists()


def test_a_field_like_line_later_in_the_body_is_prose(project):
    project.post("2025/01/b.md", "title: Bài hai\ndate: 2025-01-01", "Ngày 15-4: hội nghị.\n\ndraft: true là một từ tiếng Anh.\n")
    assert run(project, "check").returncode == 0


# --- one problem, one line ------------------------------------------------------------

def test_a_file_name_with_a_line_break_stays_on_one_line_in_both_formats(project):
    project.write("posts/2025/01/x\ny,z:1.md", "---\ntitle: Bài hai\ndate: 2025-01-01\ndraft: 1\n---\n\nNội dung.\n")
    result = run(project, "check")
    assert result.stdout.splitlines() == ["posts/2025/01/x\\u000ay,z:1.md:4: draft: must be true or false, not the number 1; "
                                          "write draft: true or draft: false, without quotes"]
    result = run(project, "check", "--format", "github")
    assert result.stdout.splitlines() == ["::error file=posts/2025/01/x\\u000ay%2Cz%3A1.md,line=4::draft: must be true or false, "
                                          "not the number 1; write draft: true or draft: false, without quotes"]


def test_a_quoted_line_break_in_a_value_stays_on_one_line(project):
    project.post("2025/01/b.md", 'title: Bài hai\ndate: 2025-01-01\nslug: "a\\nb"')
    lines = run(project, "check").stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith('posts/2025/01/b.md:4: slug: "a\\u000ab" is not a valid slug; ')


def test_an_unknown_yaml_tag_is_one_line_without_the_parser_s_position_lines(project):
    project.post("2025/01/b.md", "title: Bài hai\ndate: 2025-01-01\nsummary: !!python/object:os.system x")
    assert run(project, "check").stdout.splitlines() == [
        "posts/2025/01/b.md:4: summary: cannot be read: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object:os.system'"]
