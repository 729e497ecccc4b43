"""Which files are articles: one rule for the build and ``newsroom check``.

An article is a regular file under the posts folder whose name ends in ``.md``
or ``.markdown``, in any letter case. Names (of files or folders) that start
with ``.`` are hidden and skipped silently: a trash folder, editors' lock and
swap files (``.#x.md``, ``.x.md.swp``). So are backups: ``x.md~`` and
``#x.md#``. A symbolic link named like an article, or leading to a folder, is
an error and never followed: it could publish a file from outside the project,
or loop. A named pipe, socket or device named like an article is an error and
never opened: reading a pipe would hang the build.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .problems import Problem

SUFFIXES = (".md", ".markdown")
_REAL = "an article must be a real file inside posts/"
_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def is_skipped(name: str) -> bool:
    """A hidden name, or an editor's backup: never an article, never looked into."""
    return name.startswith(".") or name.endswith("~") or (len(name) > 1 and name.startswith("#") and name.endswith("#"))


def is_article_name(name: str) -> bool:
    return not is_skipped(name) and name.lower().endswith(SUFFIXES)


def find_articles(folder: Path, shown_folder: str) -> tuple[list[Path], list[Problem]]:
    """Every article under ``folder``, in sorted order, and the problems found on the way.

    ``shown_folder`` is ``folder`` as editors see it (``posts``); problems name
    ``shown_folder/relative/path``. ``folder`` itself may be a link (a posts
    folder kept elsewhere); nothing under it is followed.
    """
    found, problems = find_article_files(folder, shown_folder)
    return [Path(path) for path, _, _ in found], problems


def find_article_files(folder: Path, shown_folder: str) -> tuple[list[tuple[str, str, os.stat_result]], list[Problem]]:
    """``find_articles`` with each article's path (a string: no Path made for each of 10,000 files),
    its path as shown and its ``lstat`` (taken by the walk anyway)."""
    found: list[tuple[str, str, os.stat_result]] = []
    problems: list[Problem] = []
    _walk(folder, shown_folder, found, problems)
    return found, problems


def _walk(folder: Path | str, shown_folder: str, found: list, problems: list[Problem]) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        problems.append(Problem(shown_folder, 1, "folder", f"cannot be listed: {error.strerror}"))
        return
    for entry in entries:  # sorted by name at every level: the order of sorted(rglob())
        if is_skipped(entry.name):
            continue
        path, shown_path = entry.path, f"{shown_folder}/{entry.name}"
        try:
            if entry.is_symlink():
                # is_dir() follows the link with stat() only, which opens nothing (False on a loop).
                if is_article_name(entry.name) or entry.is_dir():
                    problems.append(Problem(shown_path, 1, "file", "is a symbolic link", _REAL))
            elif entry.is_dir(follow_symlinks=False):
                _walk(path, shown_path, found, problems)
            elif is_article_name(entry.name):
                info = entry.stat(follow_symlinks=False)
                problem = not_a_real_file(path, shown_path, info.st_mode)
                if problem:
                    problems.append(problem)
                else:
                    found.append((path, shown_path, info))
        except OSError as error:  # gone or unreadable between the listing and the look
            problems.append(Problem(shown_path, 1, "file", f"cannot be read: {error.strerror}"))


def not_a_real_file(path: Path, shown_path: str, mode: int | None = None) -> Problem | None:
    """The error for a link, pipe, socket or device at ``path`` (from lstat), else None."""
    mode = os.lstat(path).st_mode if mode is None else mode
    if stat.S_ISLNK(mode):
        return Problem(shown_path, 1, "file", "is a symbolic link", _REAL)
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        return Problem(shown_path, 1, "file", f"is {kind}, not a regular file", _REAL)
    return None


def ignored_by_build(file: Path, posts_dir: Path) -> str | None:
    """Why the build's walk of ``posts_dir`` does not read ``file``, or None when it does."""
    absolute, root = Path(os.path.abspath(file)), Path(os.path.abspath(posts_dir))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return "it is not inside posts/"
    if any(is_skipped(part) for part in relative.parts):
        return "hidden and backup names (.x, x~, #x#) are skipped"
    if not is_article_name(relative.name):
        return "an article's name ends in .md or .markdown"
    for parent in list(absolute.parents)[: len(relative.parts) - 1]:
        if parent.is_symlink():
            return f"{parent.name} is a symbolic link, which the build never follows"
    return None


def read_article_bytes(path: Path) -> bytes:
    """The file's bytes; an ``OSError`` for a link, pipe or device, which is never read.

    The walk already refused those by lstat, but the file may have been
    replaced since: O_NOFOLLOW refuses a link, O_NONBLOCK makes opening a pipe
    return at once, and fstat checks what was actually opened.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:  # what O_NOFOLLOW says about a link
            raise OSError(errno.ELOOP, "is a symbolic link", str(path)) from None
        raise
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return file.read()
