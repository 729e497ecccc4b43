"""A Python-Markdown extension: plain prose skips work that cannot apply to it.

Most paragraphs of a news article are plain sentences. Python-Markdown still
asks each of its block processors (lists, headings, tables, quotes...)
whether it claims each paragraph, then tries each inline pattern (links,
emphasis, code, entities...) on its text: most of converting an article.

- Blocks: a block whose every line starts with a letter and which has no
  "|" is claimed by no block processor but the paragraph one; a processor
  ahead of all others makes it a paragraph the same way. Only at the top
  level (no list, quote or other parser state), where that is plainly so.
- Inline: every inline pattern needs one of a few characters, so text
  without any comes out of the inline stage unchanged. It is marked
  ``AtomicString`` (the Markdown API for "do not process") just before that
  stage and unmarked just after, so later steps (abbreviations, attribute
  lists) still see it.

Both shortcuts were checked against Python-Markdown with the extensions in
``CHECKED_WITH`` (tests/test_plaintext.py: the same HTML with and without
this extension). The first conversion compares the processors actually
registered, by class and pattern, with that set-up; a shortcut is off when
one is new or changed (an extension that adds "==mark==" to the "~~" one).
"""

from __future__ import annotations

import functools
import re
from xml.etree.ElementTree import Element, SubElement

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# Python-Markdown with the extensions MkDocs always adds and those in mkdocs.yml.
CHECKED_WITH = (
    "toc", "tables", "fenced_code", "abbr", "admonition", "attr_list", "md_in_html", "footnotes",
    "pymdownx.superfences", "pymdownx.tilde",
)
# Every line starts with a letter, and no "|" (a table row) anywhere.
_PLAIN_BLOCK = re.compile(r"[^\W\d_][^|\n]*(?:\n[^\W\d_][^|\n]*)*\Z")
# What the inline patterns of that set-up need to match: ` \ [ < & * _ ~, two
# spaces before a line break, or the placeholders Markdown puts in text.
_ACTIVE = re.compile(r"[`\\\[<&*_~\x02\x03]|  \n")


def _processors(registry) -> frozenset:
    """Each processor by its class and, for inline ones, its pattern."""
    return frozenset((type(p).__module__, type(p).__qualname__, getattr(p, "pattern", None)) for p in registry)


@functools.cache
def _checked() -> tuple[frozenset, frozenset]:
    md = Markdown(extensions=list(CHECKED_WITH))
    return _processors(md.parser.blockprocessors), _processors(md.inlinePatterns)


class _Switches(Preprocessor):
    """First of all: which shortcuts are safe with the processors registered.

    Decided at the first conversion, once extensions have registered theirs
    (they do so when the converter is made), not again for every document.
    """

    blocks = inline = None

    def run(self, lines: list[str]) -> list[str]:
        if self.blocks is None:
            blocks, inline = _checked()
            own = (__name__, _PlainBlock.__qualname__, None)
            self.blocks = _processors(self.md.parser.blockprocessors) - {own} <= blocks
            self.inline = _processors(self.md.inlinePatterns) <= inline
        return lines


class _PlainBlock(BlockProcessor):
    def __init__(self, parser, switches: _Switches):
        super().__init__(parser)
        self.switches = switches

    def test(self, parent: Element, block: str) -> bool:
        return self.switches.blocks and not self.parser.state and _PLAIN_BLOCK.match(block) is not None

    def run(self, parent: Element, blocks: list[str]) -> None:
        SubElement(parent, "p").text = blocks.pop(0)  # what the paragraph processor does at the top level


class _Mark(Treeprocessor):
    def __init__(self, md: Markdown, marked: list, switches: _Switches):
        super().__init__(md)
        self.marked, self.switches = marked, switches

    def run(self, root: Element) -> None:
        self.marked.clear()
        if not self.switches.inline:
            return
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
        switches = _Switches(md)
        md.preprocessors.register(switches, "plain_switches", 1000)  # before any other
        md.parser.blockprocessors.register(_PlainBlock(md.parser, switches), "plain_block", 1000)  # ahead of all
        marked: list[tuple[Element, str]] = []
        # Just before and just after the inline stage (priority 20 in Python-Markdown).
        md.treeprocessors.register(_Mark(md, marked, switches), "plain_text", 20.5)
        md.treeprocessors.register(_Unmark(md, marked), "plain_text_end", 19.5)


def makeExtension(**kwargs) -> PlainTextExtension:  # noqa: N802 (the name Markdown looks for)
    return PlainTextExtension(**kwargs)
