"""A Python-Markdown extension: plain prose skips the inline patterns.

Most paragraphs of a news article are plain sentences. Python-Markdown still
tries each of its inline patterns (links, emphasis, code, entities...) on
each of them, which was 40 % of converting an article. Every one of those
patterns needs one of a few characters to match, so text without any of them
comes out of the inline stage unchanged: it is marked ``AtomicString`` (the
Markdown API for "do not process") just before that stage and unmarked just
after, so later steps (abbreviations, attribute lists) still see it.

If an extension adds an inline pattern not listed here, nothing is skipped.
tests/test_plaintext.py checks the output is the same with and without this.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# The inline patterns of Python-Markdown and of the extensions in mkdocs.yml...
KNOWN_PATTERNS = {
    "backtick", "escape", "footnote", "reference", "link", "image_link", "image_reference",
    "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html", "entity",
    "em_strong", "delimiter",
}
# ...and what each needs to match: ` \ [ < & * _ ~, two spaces before a line
# break, or the placeholders Markdown itself puts in text (\x02...\x03).
_ACTIVE = re.compile(r"[`\\\[<&*_~\x02\x03]|  \n")


class _Mark(Treeprocessor):
    def __init__(self, md: Markdown, marked: list):
        super().__init__(md)
        self.marked = marked

    def run(self, root: Element) -> None:
        self.marked.clear()
        patterns = self.md.inlinePatterns
        if len(patterns) != sum(name in patterns for name in KNOWN_PATTERNS):
            return  # a pattern we do not know: it may match anything
        for element in root.iter():
            for attribute in ("text", "tail"):
                value = getattr(element, attribute)
                if value and type(value) is str and not _ACTIVE.search(value):
                    setattr(element, attribute, AtomicString(value))
                    self.marked.append((element, attribute))


class _Unmark(Treeprocessor):
    def __init__(self, md: Markdown, marked: list):
        super().__init__(md)
        self.marked = marked

    def run(self, root: Element) -> None:
        for element, attribute in self.marked:
            setattr(element, attribute, str(getattr(element, attribute)))
        self.marked.clear()


class PlainTextExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        marked: list[tuple[Element, str]] = []
        # Just before and just after the inline stage (priority 20 in Python-Markdown).
        md.treeprocessors.register(_Mark(md, marked), "plain_text", 20.5)
        md.treeprocessors.register(_Unmark(md, marked), "plain_text_end", 19.5)


def makeExtension(**kwargs) -> PlainTextExtension:  # noqa: N802 (the name Markdown looks for)
    return PlainTextExtension(**kwargs)
