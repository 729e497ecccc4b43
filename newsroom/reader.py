"""Reading article files: bytes -> text -> front matter -> checked ``Post``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import frontmatter

from . import parallel, sources, text
from .body import Renderer
from .post import Post
from .problems import Problem, Problems
from .schema import FIELDS, Registries, build_post
from .yamlfile import invisible_problem, load_mapping

_handler = frontmatter.YAMLHandler()
_CONVERT = "convert it with: iconv -f {source} -t UTF-8 '{path}' > fixed.md"
# A field in the body's first lines: a second --- closed the front matter too early.
_STRAY_FIELD = re.compile(rf"[ \t]*({'|'.join(FIELDS)})[ \t]*:(?:[ \t]|$)", re.IGNORECASE)
_STRAY_LINES = 40  # how far into the body's first block to look


def read_post(
    file: Path, shown_path: str, registries: Registries, docs_dir: Path | None = None, renderer: Renderer | None = None
) -> tuple[Post | None, list[Problem]]:
    """One article file; never raises for an editor's mistake. With a ``renderer``, its body is converted and checked too."""
    try:
        source = text.decode(sources.read_article_bytes(file))
    except OSError as error:
        return None, [Problem(shown_path, 1, "file", f"cannot be read: {error.strerror}")]
    except text.NotUtf8 as error:
        iconv_name = "UTF-16" if error.encoding == "UTF-16" else "WINDOWS-1258"
        hint = _CONVERT.format(source=iconv_name, path=shown_path)
        return None, [Problem(shown_path, 1, "encoding", f"the file is not UTF-8 (it looks like {error.encoding})", hint)]
    try:
        meta, body, body_line = split(source, shown_path)
    except Problems as error:
        return None, error.problems
    post, problems = build_post(shown_path, meta, body, registries, docs_dir, body_line)
    if renderer is None:
        return post, problems
    rendered, found = renderer.render(body, shown_path, body_line)
    if post is not None and rendered is not None:
        post.attach(rendered)
    return (post if rendered is not None else None), sorted(problems + found)


def split(source: str, shown_path: str):
    """Front matter (with lines), body, and the line the body starts on."""
    opening = _handler.FM_BOUNDARY.match(source) if _handler.detect(source) else None
    if opening is None:
        raise Problems([Problem(shown_path, 1, "front matter", "the file does not start with ---", "begin the file with a front matter block between two --- lines")])
    try:
        fm, body = _handler.split(source)
    except ValueError:
        raise Problems([Problem(shown_path, 1, "front matter", "the front matter is never closed", "add a line with --- after the last field")]) from None
    first_line = source.count("\n", 0, opening.end()) + 1
    body_line = source.count("\n", 0, len(source) - len(body)) + 1
    # An invisible character in the body: editors cannot see it, feeds (XML) cannot hold it.
    problems = [found] if (found := invisible_problem(body, shown_path, body_line, "body")) else []
    problems += [found] if (found := _stray_field(body, shown_path, body_line)) else []
    try:
        meta = load_mapping(fm, shown_path, "front matter", first_line)
    except Problems as error:
        problems += error.problems
    if problems:
        raise Problems(problems)
    return meta, body, body_line


def _stray_field(body: str, shown_path: str, body_line: int) -> Problem | None:
    """A front matter field in the body's first block: ``draft: true`` there would be published as text."""
    started = False
    for index, line in enumerate(body.split("\n", _STRAY_LINES)[:_STRAY_LINES]):
        if not line.strip() or line.rstrip() == "---":
            if started:
                return None
            continue
        started = True
        if match := _STRAY_FIELD.match(line):
            return Problem(shown_path, body_line + index, match.group(1).lower(), "is below the --- that ends the front matter, so it is not read",
                           "move it above that line, or delete a --- written too early")
    return None


class Reading:
    """Every article under ``posts_dir`` (``sources.find_articles``), read by forked workers from the moment it starts.

    The build starts it early, so the files are read while MkDocs scans its
    theme; ``finish`` collects them.
    """

    def __init__(
        self, posts_dir: Path, project_dir: Path, registries: Registries, docs_dir: Path | None = None, renderer: Renderer | None = None
    ):
        files, self._walk_problems = article_files(posts_dir, project_dir)
        terms = [*registries.agencies.terms, *registries.topics.terms]

        def read(item: tuple[Path, str]):
            return read_post(item[0], item[1], registries, docs_dir, renderer)

        self._work = parallel.Shared(read, files, parallel.worker_count(len(files)), shared=terms)

    def finish(self) -> tuple[list[Post], list[Problem]]:
        """The good posts, in file order, and all problems."""
        posts, problems = [], list(self._walk_problems)
        for post, found in self._work.results():
            problems += found
            if post is not None:
                posts.append(post)
        return posts, problems

    def cancel(self) -> None:
        self._work.cancel()


def article_files(posts_dir: Path, project_dir: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Every article (``sources.find_articles``: the one rule) with its path as shown to editors, and the problems found."""
    found, problems = article_stats(posts_dir, project_dir)
    return [(Path(file), shown_path) for file, shown_path, _ in found], problems


def article_stats(posts_dir: Path, project_dir: Path) -> tuple[list[tuple[str, str, os.stat_result]], list[Problem]]:
    """``article_files`` with each file's ``lstat``, taken by the walk."""
    return sources.find_article_files(posts_dir, shown(posts_dir, project_dir))


def read_posts(
    posts_dir: Path, project_dir: Path, registries: Registries, docs_dir: Path | None = None, renderer: Renderer | None = None
) -> tuple[list[Post], list[Problem]]:
    """Every article under ``posts_dir``: the good posts and all problems."""
    return Reading(posts_dir, project_dir, registries, docs_dir, renderer).finish()


def shown(file: Path, project_dir: Path) -> str:
    """A path as editors see it: relative to the project, with forward slashes."""
    try:
        return file.resolve().relative_to(project_dir.resolve()).as_posix()
    except ValueError:
        return file.as_posix()
