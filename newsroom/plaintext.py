"""A Python-Markdown extension: plain prose skips work that cannot apply to it.

Most paragraphs of a news article are plain sentences. Python-Markdown still
asks each of its block processors (lists, headings, tables, quotes...)
whether it claims each paragraph, then tries each inline pattern (links,
emphasis, code, entities...) on its text: most of converting an article.

- Blocks: a block whose every line starts with a letter and which has no
  "|" is claimed by no block processor but the paragraph one; a processor
  ahead of all others makes it a paragraph the same way, outside lists and
  quotes (where paragraphs are handled differently).
- Inline: every inline pattern needs one of a few characters, so text
  without any comes out of the inline stage unchanged. It is marked
  ``AtomicString`` (the Markdown API for "do not process") just before that
  stage and unmarked just after, so later steps (abbreviations, attribute
  lists) still see it.

If an extension adds a block processor or inline pattern not listed here,
that shortcut is off. tests/test_plaintext.py checks the HTML is the same
with and without this extension.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# The block processors of Python-Markdown and of the extensions in mkdocs.yml
# (MkDocs adds tables and fenced code), none of which claims a plain block.
KNOWN_BLOCKS = {
    "empty", "indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote", "reference",
    "paragraph", "admonition", "markdown_block", "table", "footnote", "abbr",
}
# Every line starts with a letter, and no "|" (a table row) anywhere.
_PLAIN_BLOCK = re.compile(r"[^\W\d_][^|\n]*(?:\n[^\W\d_][^|\n]*)*\Z")

# The inline patterns of Python-Markdown and of the extensions in mkdocs.yml...
KNOWN_PATTERNS = {
    "backtick", "escape", "footnote", "reference", "link", "image_link", "image_reference",
    "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html", "entity",
    "em_strong", "delimiter",
}
# ...and what each needs to match: ` \ [ < & * _ ~, two spaces before a line
# break, or the placeholders Markdown itself puts in text (\x02...\x03).
_ACTIVE = re.compile(r"[`\\\[<&*_~\x02\x03]|  \n")


class _PlainBlock(BlockProcessor):
    def test(self, parent: Element, block: str) -> bool:
        return not self.parser.state and _PLAIN_BLOCK.match(block) is not None and self._all_known()

    def run(self, parent: Element, blocks: list[str]) -> None:
        SubElement(parent, "p").text = blocks.pop(0)  # what the paragraph processor does outside lists

    def _all_known(self) -> bool:
        processors = self.parser.blockprocessors
        return len(processors) == 1 + sum(name in processors for name in KNOWN_BLOCKS)


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
        md.parser.blockprocessors.register(_PlainBlock(md.parser), "plain_block", 200)  # ahead of all
        marked: list[tuple[Element, str]] = []
        # Just before and just after the inline stage (priority 20 in Python-Markdown).
        md.treeprocessors.register(_Mark(md, marked), "plain_text", 20.5)
        md.treeprocessors.register(_Unmark(md, marked), "plain_text_end", 19.5)


def makeExtension(**kwargs) -> PlainTextExtension:  # noqa: N802 (the name Markdown looks for)
    return PlainTextExtension(**kwargs)
