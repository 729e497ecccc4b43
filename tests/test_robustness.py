"""Broken settings and extreme input: one clear line each, in the build and in
``newsroom check``, never a traceback. Real builds of tiny sites, real CLI runs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from newsroom import site
from newsroom.problems import Problems

NEWSROOM = str(Path(sys.executable).parent / "newsroom")
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
NOW = "2026-11-26T09:00"
OUTSIDE = "is outside the years 1000 to 9998 that the site can handle; write a year from 1000 to 9998, e.g. 2022-04-15"
INVISIBLE = "delete it (pasted from Word?), or run newsroom check --fix"
ESCAPE = "delete the escape by hand (newsroom check --fix leaves escapes alone)"
DEEP = "nested too deeply (more than 20 levels of lists or groups); write plain text, a date, or a list of names"


@pytest.fixture
def project(tiny_site):
    tiny_site.write_config()
    return tiny_site


def check(project, *args, **env):
    """``newsroom check`` run for real; asserts it printed no traceback."""
    result = subprocess.run([NEWSROOM, "check", *args], cwd=project.root, env={**os.environ, "NEWSROOM_NOW": NOW, **env},
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def mkdocs_build(project, **env):
    """``mkdocs build`` run for real, with the tiny site's mkdocs.yml as it is."""
    result = subprocess.run([MKDOCS, "build"], cwd=project.root, env={**os.environ, "NEWSROOM_NOW": NOW, "NO_MKDOCS_2_WARNING": "1", **env},
                            capture_output=True, text=True, timeout=180)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def assert_both_fail_with(project, lines: list[str], **build):
    """``newsroom check`` and the build report exactly ``lines``, and stop."""
    env = {"NEWSROOM_NOW": build.pop("now")} if "now" in build else {}
    result = check(project, **env)
    assert (result.returncode, result.stdout.splitlines()) == (1, lines)
    built = project.build(**({"now": env["NEWSROOM_NOW"]} if env else {}), **build)
    assert built.errors == lines
    assert built.aborted and not (built.site_dir / "index.html").exists()


def config_line(project, text: str) -> int:
    """The line of mkdocs.yml (as the tiny site wrote it) that holds ``text``."""
    lines = (project.root / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


# --- dates at the edge of the calendar -----------------------------------------

EDGES = ['"9999-12-31 23:59+00:00"', '"0001-01-01 00:00+14:00"', "9999-12", "0001-01-01", '"0999-12-31 23:59"',
         '"9998-12-31 23:59-12:00"', "0000-01", '"1000-01-01 00:00+14:00"']


def test_a_date_past_the_years_the_site_handles_is_one_line(project):
    expected = []
    for n, written in enumerate(EDGES):  # one article per date and field, one run
        for key in ("date", "updated", "expires"):
            front = f"title: A\nslug: a-{n}-{key}\ndate: 2025-01-01\n{key}: {written}" if key != "date" else f"title: A\nslug: a-{n}\ndate: {written}"
            project.post(f"{n}-{key}.md", front)
            expected.append(f'posts/{n}-{key}.md:{5 if key != "date" else 4}: {key}: "{written.strip(chr(34))}" {OUTSIDE}')
    result = check(project)
    assert (result.returncode, result.stdout.splitlines()) == (1, sorted(expected))


def test_the_build_stops_on_a_date_past_the_edge(project):
    project.post("2025/01/a.md", 'title: A\ndate: "9999-12-31 23:59+00:00"\nexpires: 0001-01-01')
    assert_both_fail_with(project, [
        f'posts/2025/01/a.md:3: date: "9999-12-31 23:59+00:00" {OUTSIDE}',
        f'posts/2025/01/a.md:4: expires: "0001-01-01" {OUTSIDE}',
    ])


def test_the_first_and_last_dates_accepted_build_a_whole_site(project):
    """Sorting, related articles, Babel, feeds (feedgen, lxml) and the sitemap at the calendar's edges."""
    shared = "agencies: [UBND tỉnh]\ntopics: [Y tế]\nauthors: Lê An"
    project.post("2025/01/a.md", f"title: Xưa nhất\nslug: xua\ndate: 1000-01-01\n{shared}")
    project.post("2025/01/b.md", f'title: Muộn nhất\nslug: muon\ndate: "9998-12-31 23:59+14:00"\nupdated: "9998-12-31 16:59"\npinned: true\n{shared}')
    project.post("2025/01/c.md", f'title: Tháng đầu\nslug: thang\ndate: 1000-01\nexpires: "9998-12-31 23:59"\n{shared}')
    project.post("2025/01/d.md", f"title: Giữa\nslug: giua\ndate: 1905-06-15 10:00\n{shared}")
    assert check(project, NEWSROOM_NOW="9998-12-31T23:58").returncode == 0
    built = project.build(now="9998-12-31T23:58")
    assert built.errors == [] and built.aborted is None
    assert "Muộn nhất" in built.text("9998/12/muon/") and "Xưa nhất" in built.text("1000/01/xua/")
    assert "1/1/1000" in built.text("1000/01/xua/")  # Babel formatted it
    feed = etree.parse(str(built.site_dir / "atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    published = dict(zip(feed.xpath("//a:entry/a:title/text()", namespaces=ns), feed.xpath("//a:entry/a:published/text()", namespaces=ns)))
    assert list(published) == ["Muộn nhất", "Giữa", "Xưa nhất", "Tháng đầu"]  # newest first; a tie goes by path
    # Before 1911 the zone database says +07:06:30; feeds take whole minutes.
    assert published == {"Muộn nhất": "9998-12-31T16:59:00+07:00", "Giữa": "1905-06-15T10:00:00+07:00",
                         "Xưa nhất": "1000-01-01T00:00:00+07:00", "Tháng đầu": "1000-01-01T00:00:00+07:00"}
    sitemap = (built.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>9998-12-31T16:59:00+07:00</lastmod>" in sitemap and "<lastmod>1000-01-01</lastmod>" in sitemap


# --- YAML nested too deeply -----------------------------------------------------

def test_a_list_nested_hundreds_deep_in_front_matter_is_one_line(project):
    depths = [21, 300, 1_000, 100_000]  # 100,000: libyaml's composer would crash the process
    for depth in depths:
        project.post(f"{depth}.md", "title: " + "[" * depth + "]" * depth + "\ndate: 2025-01-01")
    project.post("map.md", "title: A\ndate: 2025-01-01\nsummary: " + "{a: " * 5_000 + "x" + "}" * 5_000)
    result = check(project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == sorted([f"posts/{depth}.md:2: title: {DEEP}" for depth in depths] + [f"posts/map.md:4: summary: {DEEP}"])


def test_a_mapping_nested_deep_is_reported_where_it_gets_too_deep(project):
    nested = "".join("  " * level + "k:\n" for level in range(1, 500)) + "  " * 500 + "v"
    project.post("2025/01/a.md", f"title: A\ndate: 2025-01-01\nsummary:\n{nested}")
    assert_both_fail_with(project, [f"posts/2025/01/a.md:25: summary: {DEEP}"])  # summary: on line 4, 21 levels below


def test_deep_front_matter_stops_the_build_too(project):
    project.post("2025/01/a.md", "title: " + "[" * 1_000 + "]" * 1_000 + "\ndate: 2025-01-01")
    project.post("2025/01/b.md", "title: B\ndate: 2025-01-01\nauthors: &me [*me]")  # an alias to itself never ends
    assert_both_fail_with(project, [f"posts/2025/01/a.md:2: title: {DEEP}", f"posts/2025/01/b.md:4: authors: {DEEP}"])


def test_a_deep_value_that_loads_is_an_ordinary_type_error(project):
    project.post("2025/01/a.md", "title: " + "[" * 20 + "x" + "]" * 20 + "\ndate: 2025-01-01\nauthors: " + "{a: " * 20 + "x" + "}" * 20)
    result = check(project)
    assert result.stdout.splitlines() == [
        "posts/2025/01/a.md:2: title: must be text, not a list; write it as text on one line",
        "posts/2025/01/a.md:4: authors: must be a name or a list of names, not a group of fields; write authors: [Name one, Name two]",
    ]


def test_numbers_too_long_to_read_are_one_line(project):
    project.post("2025/01/a.md", "title: " + "1:" * 3_000 + "1\ndate: 2025-01-01\nsummary: " + "1" * 5_000)
    result = check(project)
    assert result.stdout.splitlines() == [
        'posts/2025/01/a.md:2: title: a number 6001 characters long; put it in quotes if it is text, e.g. "..."',
        'posts/2025/01/a.md:4: summary: a number 5000 characters long; put it in quotes if it is text, e.g. "..."',
    ]


@pytest.mark.parametrize("registry, kind", [("topics.yml", "topic"), ("agencies.yml", "agency")])
def test_a_registry_nested_too_deep_stops_build_and_check(project, registry, kind):
    file = project.root / "registries" / registry
    lines = file.read_text(encoding="utf-8").count("\n")
    with file.open("a", encoding="utf-8") as out:
        out.write("- name: Mới\n  aliases: " + "[" * 1_000 + "]" * 1_000 + "\n")
    assert_both_fail_with(project, [f"registries/{registry}:{lines + 2}: aliases: {DEEP}"])


# --- invisible characters ---------------------------------------------------------

def test_control_characters_in_title_and_body_stop_the_build_and_write_no_feed(project):
    file = project.post("2025/01/a.md", "title: Hội nghị\x07 tổng kết\ndate: 2025-01-01\nagencies: [UBND tỉnh]",
                        "Sáng 15-4,\x13 tại hội trường.\n\nĐoạn hai.\n")
    assert_both_fail_with(project, [
        f"posts/2025/01/a.md:2: title: contains the invisible control character U+0007; {INVISIBLE}",
        f"posts/2025/01/a.md:7: body: contains the invisible control character U+0013; {INVISIBLE}",
    ])
    assert not (project.root / "site/atom.xml").exists()
    fixed = check(project, "--fix")
    assert (fixed.returncode, fixed.stdout) == (0, "posts/2025/01/a.md: fixed: deleted 2 invisible character(s) (U+0007, U+0013)\n")
    assert file.read_text(encoding="utf-8") == "---\ntitle: Hội nghị tổng kết\ndate: 2025-01-01\nagencies: [UBND tỉnh]\n---\n\nSáng 15-4, tại hội trường.\n\nĐoạn hai.\n"
    built = project.build()
    assert built.errors == [] and "Hội nghị tổng kết" in (built.site_dir / "atom.xml").read_text(encoding="utf-8")


def test_each_kind_of_invisible_character_is_named_by_its_code(project):
    expected = []
    for char in ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\ufffe", "\uffff"]:
        name = f"{ord(char):04x}"
        project.post(f"{name}.md", f"title: A\nslug: a-{name}\ndate: 2025-01-01\nsummary: Tóm{char} tắt", f"Một{char} hai.\n")
        kind = "the non-character" if char in "\ufffe\uffff" else "the invisible control character"
        expected += [f"posts/{name}.md:5: summary: contains {kind} U+{ord(char):04X}; {INVISIBLE}",
                     f"posts/{name}.md:8: body: contains {kind} U+{ord(char):04X}; {INVISIBLE}"]
    result = check(project)
    assert (result.returncode, result.stdout.splitlines()) == (1, expected)


ESCAPES = {
    "\\ud800": "a lone surrogate U+D800 (half of a character)",
    "\\x07": "the invisible control character U+0007",
    "\\0": "the invisible control character U+0000",
    "\\e": "the invisible control character U+001B",
    "\\N": "the invisible control character U+0085",
    "\\uFFFF": "the non-character U+FFFF",
}


def test_an_escape_writing_an_invisible_character_is_an_error_fix_leaves_alone(project):
    expected, files = [], []
    for n, (escape, described) in enumerate(ESCAPES.items()):
        files.append(project.post(f"{n}.md", f'title: "Tin {escape} mới"\nslug: a-{n}\ndate: 2025-01-01\nauthors: ["An", "B{escape}"]'))
        expected += [f"posts/{n}.md:2: title: contains {described}, written as an escape in quotes; {ESCAPE}",
                     f"posts/{n}.md:5: authors: contains {described}, written as an escape in quotes; {ESCAPE}"]
    result = check(project, "--fix")
    assert (result.returncode, result.stdout.splitlines()) == (1, expected)  # nothing to fix: escapes are the editor's
    assert all(escape in file.read_text(encoding="utf-8") for escape, file in zip(ESCAPES, files))


def test_an_escaped_key_is_named_visibly(project):
    project.post("2025/01/a.md", 'title: A\ndate: 2025-01-01\n"ti\\atle": B')
    result = check(project)
    assert result.stdout == f"posts/2025/01/a.md:4: ti\\u0007tle: contains the invisible control character U+0007, written as an escape in quotes; {ESCAPE}\n"


def test_escape_in_the_build_stops_it_before_any_feed(project):
    project.post("2025/01/a.md", 'title: "Tin \\ud800 mới"\ndate: 2025-01-01')
    assert_both_fail_with(project, [f"posts/2025/01/a.md:2: title: contains a lone surrogate U+D800 (half of a character), written as an escape in quotes; {ESCAPE}"])


def test_invisible_characters_in_a_registry_are_errors_and_fixed(project):
    file = project.root / "registries/topics.yml"
    original = file.read_text(encoding="utf-8")
    lines = original.count("\n")
    file.write_text(original + "- name: Giáo\x1b dục nghề\n  aliases: [Dạy nghề\x7f]\n", encoding="utf-8")
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01")
    assert_both_fail_with(project, [
        f"registries/topics.yml:{lines + 1}: name: contains the invisible control character U+001B; {INVISIBLE}",
        f"registries/topics.yml:{lines + 2}: aliases: contains the invisible control character U+007F; {INVISIBLE}",
    ])
    fixed = check(project, "--fix")
    assert (fixed.returncode, fixed.stdout) == (0, "registries/topics.yml: fixed: deleted 2 invisible character(s) (U+001B, U+007F)\n")
    assert file.read_text(encoding="utf-8").endswith("- name: Giáo dục nghề\n  aliases: [Dạy nghề]\n")


def test_fix_keeps_crlf_line_endings_while_deleting_controls(project):
    file = project.write("posts/a.md", b"---\r\ntitle: A\x07\r\ndate: 2025-01-01\r\n---\r\n\r\nX\x13\r\n")
    fixed = check(project, "--fix")
    assert fixed.returncode == 0
    assert file.read_bytes() == b"---\r\ntitle: A\r\ndate: 2025-01-01\r\n---\r\n\r\nX\r\n"


# --- settings under extra.newsroom --------------------------------------------------

PER_PAGE = "must be a whole number from 1 to 1000, not"


@pytest.mark.parametrize("value, shown", [(0, "0"), ("abc", '"abc"'), (None, "empty")])
def test_per_page_must_be_a_whole_number_in_range(project, value, shown):
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01")
    extra = {"generator": False, "newsroom": {"per_page": value}}
    project.write_config(extra=extra)
    line = f"mkdocs.yml:{config_line(project, 'per_page:')}: extra.newsroom.per_page: {PER_PAGE} {shown}"
    assert_both_fail_with(project, [line], extra=extra)


FOLDER = "must be a folder inside the project, written relative to it (e.g. {}), not {}"


@pytest.mark.parametrize("value, shown", [(-1, "-1"), (True, "true"), (2.5, "2.5"), ("", '""'), ([20], "a list"), (1001, "1001"),
                                          ("20", '"20"'), (10**30, "a very large number"), (float("nan"), "nan")])
def test_per_page_values_checked_without_a_build(tmp_path, value, shown):
    (tmp_path / "mkdocs.yml").write_text("extra:\n  newsroom:\n    per_page: ...\n", encoding="utf-8")
    with pytest.raises(Problems) as error:
        site.Settings.from_options(tmp_path, tmp_path / "docs", {"per_page": value})
    assert str(error.value) == f"mkdocs.yml:3: extra.newsroom.per_page: {PER_PAGE} {shown}"


def test_good_settings_are_read(tmp_path):
    options = {"per_page": 1000, "posts_dir": "content/./posts/", "registries_dir": "data/registries"}
    settings = site.Settings.from_options(tmp_path, tmp_path / "docs", options)
    assert (settings.per_page, settings.posts_dir, settings.registries_dir) == (1000, tmp_path / "content/posts", tmp_path / "data/registries")


@pytest.mark.parametrize("value, shown", [(["posts"], "a list"), (3, "3"), ("/srv/posts", '"/srv/posts"'), ("../x", '"../x"'),
                                          ("a/../../x", '"a/../../x"'), ("", '""'), (".", '"."'), ("C:\\posts", '"C:\\posts"'),
                                          ("~/posts", '"~/posts"'), ("po\x00sts", '"po\\u0000sts"'), (None, "empty")])
@pytest.mark.parametrize("key, default", [("posts_dir", "posts"), ("registries_dir", "registries")])
def test_folders_must_be_relative_paths_inside_the_project(tmp_path, key, default, value, shown):
    (tmp_path / "mkdocs.yml").write_text(f"extra:\n  newsroom:\n    per_page: 20\n    {key}: ...\n", encoding="utf-8")
    with pytest.raises(Problems) as error:
        site.Settings.from_options(tmp_path, tmp_path / "docs", {key: value})
    assert str(error.value) == f"mkdocs.yml:4: extra.newsroom.{key}: {FOLDER.format(default, shown)}"


def test_check_reports_a_bad_folder_setting(project):
    project.write_config(extra={"generator": False, "newsroom": {"registries_dir": "/etc"}})
    result = check(project)
    line = config_line(project, "registries_dir:")
    assert (result.returncode, result.stdout) == (1, f"mkdocs.yml:{line}: extra.newsroom.registries_dir: {FOLDER.format('registries', chr(34) + '/etc' + chr(34))}\n")


def test_every_bad_setting_is_listed_at_once_in_build_and_check(project):
    extra = {"generator": False, "newsroom": {"per_pag": 3, "posts_dir": "../x", "embed_hosts": ["www.youtube.com", "https://vimeo.com/x"]}}
    project.write_config(extra=extra)
    assert_both_fail_with(project, [
        f"mkdocs.yml:{config_line(project, 'https://vimeo.com/x')}: extra.newsroom.embed_hosts: \"https://vimeo.com/x\" is not a plain host name; "
        "write it like www.youtube.com: no https://, no path, no port",
        f'mkdocs.yml:{config_line(project, "per_pag:")}: extra.newsroom.per_pag: unknown setting; did you mean "per_page"?',
        f"mkdocs.yml:{config_line(project, 'posts_dir:')}: extra.newsroom.posts_dir: {FOLDER.format('posts', chr(34) + '../x' + chr(34))}",
    ], extra=extra)


@pytest.mark.parametrize("value, shown", [([1, 2], "a list"), ("posts", '"posts"'), (5, "5")])
def test_extra_newsroom_must_be_a_group_of_settings(project, value, shown):
    extra = {"generator": False, "newsroom": value}
    project.write_config(extra=extra)
    line = (f"mkdocs.yml:{config_line(project, 'newsroom:')}: extra.newsroom: must be a group of settings "
            f"(posts_dir, registries_dir, per_page, embed_hosts, search_bundle_size), not {shown}")
    assert_both_fail_with(project, [line], extra=extra)


def test_a_setting_that_cannot_be_found_in_the_text_is_on_line_one(tmp_path):
    with pytest.raises(Problems) as error:
        site.Settings.from_options(tmp_path, tmp_path / "docs", {"per_page": "x"}, tmp_path / "mkdocs.yml")
    assert str(error.value) == 'mkdocs.yml:1: extra.newsroom.per_page: must be a whole number from 1 to 1000, not "x"'


def test_embed_hosts_are_plain_host_names(tmp_path):
    settings = site.Settings.from_options(tmp_path, tmp_path / "docs", {"embed_hosts": ["www.YouTube.com", "player.vimeo.com", "www.youtube.com"]})
    assert settings.embed_hosts == ("www.youtube.com", "player.vimeo.com")
    assert site.Settings.from_options(tmp_path, tmp_path / "docs", None).embed_hosts == ()
    bad = ["https://www.youtube.com", "www.youtube.com/embed", "www.youtube.com:443", "*.youtube.com", "localhost", "10.0.0.1",
           "a b.com", "", 3, "ví-dụ.vn", "-x.com", "x.com."]
    with pytest.raises(Problems) as error:
        site.Settings.from_options(tmp_path, tmp_path / "docs", {"embed_hosts": bad})
    assert len(error.value.problems) == len(bad)
    assert all(p.field == "extra.newsroom.embed_hosts" and "is not a plain host name" in p.message for p in error.value.problems)
    with pytest.raises(Problems, match="must be a list of host names, e.g. \\[www.youtube.com\\], not \"www.youtube.com\""):
        site.Settings.from_options(tmp_path, tmp_path / "docs", {"embed_hosts": "www.youtube.com"})


def test_mkdocs_build_aborts_on_a_bad_setting_without_traceback(project):
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01")
    project.write_config(extra={"generator": False, "newsroom": {"per_page": "abc"}})
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert f'mkdocs.yml:{config_line(project, "per_page:")}: extra.newsroom.per_page: {PER_PAGE} "abc"' in result.stderr


def test_check_reports_a_broken_mkdocs_yml_as_a_line(project):
    (project.root / "mkdocs.yml").write_text("site_name: A\nextra: [\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1 and result.stdout.startswith("mkdocs.yml:3: YAML: syntax error: ")
    (project.root / "mkdocs.yml").write_text("extra: " + "[" * 2_000 + "]" * 2_000 + "\n", encoding="utf-8")
    result = check(project)
    assert (result.returncode, result.stdout) == (1, "mkdocs.yml:1: YAML: nested too deeply\n")


# --- environment variables ---------------------------------------------------------

NOW_HINT = "write e.g. 2024-05-01T08:00"
WORKERS = "is not a whole number from 1 to 256; write e.g. NEWSROOM_WORKERS=2 (1: everything in one process)"


@pytest.mark.parametrize("now, message", [
    ("garbage", '"garbage" is not an ISO 8601 date-time'),
    ("2024-13-01T08:00", '"2024-13-01T08:00" is not an ISO 8601 date-time'),
    ("9999-12-31T23:59", '"9999-12-31T23:59" is outside the years 1000 to 9998'),
    ("0001-01-01T00:00+14:00", '"0001-01-01T00:00+14:00" is outside the years 1000 to 9998'),
    ("9998-12-31T23:59-12:00", '"9998-12-31T23:59-12:00" is outside the years 1000 to 9998'),
])
def test_a_bad_newsroom_now_is_one_line_in_build_and_check(project, now, message):
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01")
    assert_both_fail_with(project, [f"environment:1: NEWSROOM_NOW: {message}; {NOW_HINT}"], now=now)


@pytest.mark.parametrize("workers", ["abc", "0", "-3", "2.5", "100000"])
def test_a_bad_newsroom_workers_is_one_line_in_build_and_check(project, monkeypatch, workers):
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01")
    line = f'environment:1: NEWSROOM_WORKERS: "{workers}" {WORKERS}'
    result = check(project, NEWSROOM_WORKERS=workers)
    assert (result.returncode, result.stdout) == (1, line + "\n")
    monkeypatch.setenv("NEWSROOM_WORKERS", workers)
    built = project.build()
    assert built.errors == [line] and built.aborted


def test_both_environment_variables_are_reported_at_once_by_mkdocs(project):
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01")
    result = mkdocs_build(project, NEWSROOM_NOW="garbage", NEWSROOM_WORKERS="0")
    assert result.returncode == 1
    assert f'environment:1: NEWSROOM_NOW: "garbage" is not an ISO 8601 date-time; {NOW_HINT}' in result.stderr
    assert f'environment:1: NEWSROOM_WORKERS: "0" {WORKERS}' in result.stderr
