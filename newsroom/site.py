"""Loading a whole site: registries, every post, checks, the published collection."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from .collection import Collection, check_posts
from .body import Renderer
from . import options as options_module
from . import schedule
from .links import check_links
from .post import Post
from .problems import ERROR, Problem, Problems
from .reader import Reading, shown
from .registry import Registry
from .schema import Registries

PER_PAGE = options_module.PER_PAGE


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    posts_dir: Path
    registries_dir: Path
    docs_dir: Path
    per_page: int = PER_PAGE
    embed_hosts: tuple[str, ...] = ()  # hosts whose <iframe> an article may embed
    search_bundle_size: int = options_module.BUNDLE_SIZE  # articles in a search bundle (newsroom.search)

    @classmethod
    def from_options(cls, project_dir: Path, docs_dir: Path, options: Any, config_file: Path | None = None) -> Settings:
        """Options as written under ``extra.newsroom`` in mkdocs.yml (``None`` when absent).

        Raises ``Problems`` for every bad option (on its line of ``config_file``)
        and every bad ``NEWSROOM_*`` environment variable (see ``newsroom.options``).
        """
        config_file = config_file or project_dir / "mkdocs.yml"
        checked = options_module.check(options, config_file, shown(config_file, project_dir))
        return cls(
            project_dir=project_dir,
            posts_dir=project_dir / checked.posts_dir,
            registries_dir=project_dir / checked.registries_dir,
            docs_dir=docs_dir,
            per_page=checked.per_page,
            embed_hosts=checked.embed_hosts,
            search_bundle_size=checked.search_bundle_size,
        )


def load_registries(settings: Settings) -> Registries:
    problems, loaded = [], {}
    for kind, name in (("agency", "agencies.yml"), ("topic", "topics.yml")):
        path = settings.registries_dir / name
        try:
            loaded[kind] = Registry.load(path, kind, shown(path, settings.project_dir))
        except Problems as error:
            problems += error.problems
    if problems:
        raise Problems(problems)
    return Registries(loaded["agency"], loaded["topic"])


class Loading:
    """A site being loaded: the registries at once, the posts read by forked workers until ``finish``."""

    def __init__(self, settings: Settings, renderer: Renderer):
        self.registries = load_registries(settings)
        require_posts_dir(settings)
        self._reading = Reading(settings.posts_dir, settings.project_dir, self.registries, settings.docs_dir, renderer)

    def finish(self, now: datetime, site_url: str = "", unpublished: bool = False) -> Collection:
        """The published collection; raises ``Problems`` listing every error in every post.

        Warnings (markup the sanitizer dropped, say) are for ``newsroom check``; they never stop a build.
        """
        self.posts, problems = self._reading.finish()  # every article read, public or not (a preview keeps them)
        self.next_change = schedule.next_change(self.posts, now)  # for the build log (hooks/portal.py)
        return assemble(self.posts, problems, now, site_url, unpublished)

    def cancel(self) -> None:
        self._reading.cancel()


def assemble(posts: list[Post], problems: list[Problem], now: datetime, site_url: str = "", unpublished: bool = False) -> Collection:
    """The published collection of ``posts`` (every article read); raises ``Problems`` for any error among them.

    ``problems`` are those found while reading; checks between articles (clashing URLs, links) are added here.
    """
    problems = problems + check_posts(posts) + check_links(posts, now, site_url)
    errors = [problem for problem in problems if problem.severity == ERROR]
    if errors:
        raise Problems(errors)
    return Collection(posts, now, site_url, unpublished)


def require_posts_dir(settings: Settings) -> None:
    """A missing articles folder is an error, never an empty site."""
    try:
        found = settings.posts_dir.is_dir()
    except OSError:  # a name the system refuses, such as one too long (ENAMETOOLONG)
        found = False
    if not found:
        shown_dir = shown(settings.posts_dir, settings.project_dir)
        raise Problems([Problem(shown_dir, 1, "posts_dir", "the articles folder does not exist", "create it or fix extra.newsroom.posts_dir in mkdocs.yml")])


def check_site_dir(settings: Settings, site_dir: Path) -> None:
    """Raise ``Problems`` when the output folder holds the sources, lies inside them, or is not a folder.

    Every build empties or replaces ``site_dir``: ``site_dir: posts`` (or
    ``posts/2022``) would delete articles, ``site_dir: mkdocs.yml`` swap the
    settings for a folder.
    """
    target, project = site_dir.resolve(), settings.project_dir
    sources = (project / "mkdocs.yml", settings.posts_dir, settings.registries_dir, settings.docs_dir)
    for source in map(Path.resolve, sources):
        if source == target or target in source.parents or source in target.parents:
            message = f'"{shown(site_dir, project)}" overlaps {shown(source, project)}, which every build would delete'
            raise Problems([_site_dir_problem(project, message)])
    if os.path.exists(target) and not os.path.isdir(target):  # os.path's, unlike Path's, take a refused name as absent
        raise Problems([_site_dir_problem(project, f'"{shown(site_dir, project)}" is a file, not a folder')])


def _site_dir_problem(project_dir: Path, message: str) -> Problem:
    return options_module.problem_at(project_dir / "mkdocs.yml", "mkdocs.yml", ["site_dir"], message,
                                     "set site_dir to a folder of its own, e.g. site")


def read_config(config_file: Path) -> dict:
    """mkdocs.yml as plain data; raises ``Problems`` when it is not what MkDocs itself would accept."""
    def problem(line: int, field: str, message: str) -> Problems:
        return Problems([Problem("mkdocs.yml", line, field, message)])

    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    except OSError as error:
        raise problem(1, "file", f"cannot be read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise problem(1, "encoding", "the file is not UTF-8") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise problem(mark.line + 1 if mark else 1, "YAML", f"syntax error: {error.problem or error.context}") from None
    except RecursionError:
        raise problem(1, "YAML", "nested too deeply") from None
    except Exception as error:  # noqa: BLE001 - the YAML libraries raise more than YAMLError
        raise problem(1, "YAML", f"cannot be read ({type(error).__name__})") from None
    config = {} if config is None else config
    if not isinstance(config, dict):
        raise problem(1, "mkdocs.yml", 'expected "key: value" lines')
    if not isinstance(config.get("extra") or {}, dict):
        raise problem(1, "extra", "must be a group of settings")
    if not isinstance(config.get("docs_dir", "docs"), str):
        raise problem(1, "docs_dir", "must be a folder name")
    return config


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as plain data, ignoring MkDocs' !!python and !ENV tags."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
