"""The portal's own settings, checked: ``extra.newsroom`` in mkdocs.yml and the environment.

A bad setting is a ``Problem`` on its line of mkdocs.yml, found by looking
the key up in the file's text (line 1 when it cannot be found there):

``mkdocs.yml:41: extra.newsroom.per_page: must be a whole number from 1 to 1000, not "abc"``

Environment variables are reported at ``environment:1``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from . import clock, parallel, text
from .problems import Problem, Problems, did_you_mean

PER_PAGE, MAX_PER_PAGE = 20, 1000
FOLDERS = {"posts_dir": "posts", "registries_dir": "registries"}  # setting -> default
KNOWN = ("posts_dir", "registries_dir", "per_page", "embed_hosts", "search_bundle_size")
BUNDLE_SIZE, MAX_BUNDLE_SIZE = 1000, 100_000  # articles in a search bundle of years (newsroom.search)
# A plain host name: dot-separated labels of letters, digits and inner hyphens,
# ending in a name (so not an IP address); no scheme, port, path or wildcard.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?=.{{1,253}}$)(?:{_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?")


@dataclass(frozen=True)
class Options:
    posts_dir: str  # relative to the project, normalized
    registries_dir: str
    per_page: int = PER_PAGE
    embed_hosts: tuple[str, ...] = ()
    search_bundle_size: int = BUNDLE_SIZE


def check(options: Any, config_file: Path, shown_path: str = "mkdocs.yml") -> Options:
    """``options`` as read from ``extra.newsroom`` (``None`` when absent); raises ``Problems``
    listing every bad setting and every bad environment variable at once."""
    found = _Found(config_file, shown_path)
    if options is None:
        options = {}
    if not isinstance(options, dict):
        found.add(["extra", "newsroom"], f"must be a group of settings ({', '.join(KNOWN)}), not {describe(options)}")
        options = {}
    for key in options:
        if key not in KNOWN:
            name = text.visible(str(key))
            hint = did_you_mean(text.closest(name, list(KNOWN))) or f"known settings: {', '.join(KNOWN)}"
            found.add(["extra", "newsroom", name], "unknown setting", hint)
    result = Options(
        posts_dir=_folder(options, "posts_dir", found),
        registries_dir=_folder(options, "registries_dir", found),
        per_page=_whole(options, "per_page", PER_PAGE, MAX_PER_PAGE, found),
        embed_hosts=_hosts(options, found),
        search_bundle_size=_whole(options, "search_bundle_size", BUNDLE_SIZE, MAX_BUNDLE_SIZE, found),
    )
    problems = found.problems + environment_problems()
    if problems:
        raise Problems(problems)
    return result


def environment_problems() -> list[Problem]:
    """``NEWSROOM_NOW`` and ``NEWSROOM_WORKERS``, checked before any work starts."""
    problems = []
    for read in (clock.now, lambda: parallel.worker_count(0)):
        try:
            read()
        except Problems as error:
            problems += error.problems
    return problems


def problem_at(config_file: Path, shown_path: str, keys: list[str], message: str, hint: str = "") -> Problem:
    """A problem with another setting of mkdocs.yml, on the line its key is written on."""
    found = _Found(config_file, shown_path)
    found.add(keys, message, hint)
    return found.problems[0]


def describe(value: Any) -> str:
    """A setting's value as a message shows it: ``"abc"``, ``2.5``, ``true``, ``a list``."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value) if value.bit_length() < 64 else "a very large number"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:59] + "…"
        return f'"{text.visible(shown)}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of settings"
    return type(value).__name__


def _whole(options: dict, key: str, default: int, highest: int, found: _Found) -> int:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= highest:
        found.add(["extra", "newsroom", key], f"must be a whole number from 1 to {highest}, not {describe(value)}")
        return default
    return value


def _folder(options: dict, key: str, found: _Found) -> str:
    """A folder inside the project, relative to it: never absolute, never above it."""
    default = FOLDERS[key]
    value = options.get(key, default)
    if isinstance(value, str) and value.strip() and text.first_invisible(value) < 0:
        windows = PureWindowsPath(value)
        normal = posixpath.normpath(value.replace("\\", "/"))
        inside = not (PurePosixPath(value).is_absolute() or windows.is_absolute() or windows.drive or value.startswith("~"))
        if inside and normal not in (".", "..") and not normal.startswith("../"):
            return normal
    found.add(["extra", "newsroom", key], f"must be a folder inside the project, written relative to it (e.g. {default}), not {describe(value)}")
    return default


def _hosts(options: dict, found: _Found) -> tuple[str, ...]:
    value = options.get("embed_hosts")
    if value is None:
        return ()
    keys = ["extra", "newsroom", "embed_hosts"]
    if not isinstance(value, list):
        found.add(keys, f"must be a list of host names, e.g. [www.youtube.com], not {describe(value)}")
        return ()
    hosts = []
    for item in value:
        host = item.strip().lower() if isinstance(item, str) else ""
        if _HOST.fullmatch(host):
            hosts.append(host)
        else:
            found.add(keys, f"{describe(item)} is not a plain host name", "write it like www.youtube.com: no https://, no path, no port", item)
    return tuple(dict.fromkeys(hosts))


class _Found:
    """Problems in mkdocs.yml, each placed on the line its key is written on."""

    def __init__(self, config_file: Path, shown_path: str):
        self.config_file, self.shown_path = config_file, shown_path
        self.problems: list[Problem] = []
        self._lines: list[str] | None = None

    def add(self, keys: list[str], message: str, hint: str = "", item: Any = None) -> None:
        line = self._line(keys, item)
        self.problems.append(Problem(self.shown_path, line, ".".join(keys), message, hint))

    def _line(self, keys: list[str], item: Any) -> int:
        """The line of each key in turn, each looked for below the one before; 1 if none is found."""
        if self._lines is None:
            try:
                self._lines = self.config_file.read_text(encoding="utf-8", errors="replace").split("\n")
            except OSError:
                self._lines = []
        line = 0  # 0: not found yet
        for key in keys:
            at_start = re.compile(rf"\s*(?:-\s+)?[\"']?{re.escape(key)}[\"']?\s*:")
            anywhere = re.compile(rf"(?:^|[\s{{,])[\"']?{re.escape(key)}[\"']?\s*:")  # in flow style: {newsroom: {...}}
            number = _find(self._lines, line, at_start.match) or _find(self._lines, line, anywhere.search)
            if not number:
                break
            line = number
        if line and isinstance(item, str) and item:  # a list item: the line that holds it
            line = _find(self._lines, line - 1, lambda text: item in text) or line
        return line or 1


def _find(lines: list[str], after: int, test) -> int:
    """The 1-based number of the first line after line ``after`` that passes ``test``, or 0."""
    for index in range(after, len(lines)):
        if test(lines[index]):
            return index + 1
    return 0
