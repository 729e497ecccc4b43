"""An article's body: Markdown in, checked and sanitized HTML out, with what it links to.

The body is converted once, while the posts are read (in the reading
workers), so the build and ``newsroom check`` apply the same rules and report
every problem before a page is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown

from . import bounds
from .problems import ERROR, WARNING, Problem
from .sanitize import Sanitizer

# Raw HTML, attribute lists, links and pictures, admonition and code-fence classes.
_MAY_CARRY_MARKUP = re.compile(r"[<{\[]|!!!|```|~~~")
# MkDocs always adds these three before the extensions mkdocs.yml lists.
MKDOCS_EXTENSIONS = ("toc", "tables", "fenced_code")


@dataclass(frozen=True)
class Body:
    html: str  # sanitized
    links: tuple[tuple[str, int], ...]  # (href as written, line in the file)
    images: tuple[str, ...]  # every <img src>


def extensions_from_config(entries: list | None) -> tuple[list[str], dict[str, dict]]:
    """``markdown_extensions`` as written in mkdocs.yml -> names and settings, as MkDocs reads them."""
    names, configs = list(MKDOCS_EXTENSIONS), {}
    for entry in entries or []:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name not in names:
            names.append(name)
        if options:
            configs[name] = options
    return names, configs


class Renderer:
    """Markdown with the site's extensions, then the sanitizer; one converter per process."""

    def __init__(self, extensions: list, configs: dict, embed_hosts: tuple[str, ...] = ()):
        self.extensions, self.configs = list(extensions), dict(configs)
        self.sanitizer = Sanitizer(embed_hosts)
        self._converter: markdown.Markdown | None = None

    def convert(self, text: str) -> str:
        """Markdown to HTML, unsanitized (for checked article bodies, use ``render``)."""
        if self._converter is None:
            self._converter = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)
        return self._converter.reset().convert(text)

    def render(self, text: str, path: str, first_line: int) -> tuple[Body | None, list[Problem]]:
        """The safe body and every problem; no body when a problem is an error."""
        problems = bounds.check_body(text, path, first_line)
        if any(problem.severity == ERROR for problem in problems):
            return None, problems
        try:
            html = self.convert(text)
        except RecursionError:
            self._converter = None  # left half-way through a document: start afresh
            hint = "flatten the lists, quotes or <div> blocks inside one another"
            return None, problems + [Problem(path, first_line, "body", "is nested too deeply to be read", hint)]
        # Inspecting only reports (nh3 below removes what it finds either way), so
        # prose that cannot carry markup, links or pictures skips it.
        findings = self.sanitizer.inspect(html) if _MAY_CARRY_MARKUP.search(text) else []
        finder = _LineFinder(text, first_line)
        for finding in findings:
            severity = ERROR if finding.active else WARNING
            problems.append(Problem(path, finder.line(finding.needles), "body", finding.message, finding.hint, severity))
        if any(problem.severity == ERROR for problem in problems):
            return None, problems
        html = self.sanitizer.clean(html)
        hrefs, images = self.sanitizer.references(html)
        links = tuple((href, finder.line((href,))) for href in hrefs)
        return Body(html, links, tuple(images)), problems


class _LineFinder:
    """The file line where some text first appears in the body (its first line if nowhere)."""

    def __init__(self, text: str, first_line: int):
        self._lower, self._first = text.lower(), first_line

    def line(self, needles: tuple[str, ...]) -> int:
        for needle in needles:
            at = self._lower.find(needle.lower())
            if at >= 0:
                return self._first + self._lower.count("\n", 0, at)
        return self._first
