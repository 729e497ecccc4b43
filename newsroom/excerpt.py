"""A post's summary when the editor gave none: its first paragraph, shortened."""

from __future__ import annotations

import html
import re

import markdown

SUMMARY_WIDTH = 220
# Blocks that are not prose: headings, images, HTML, quotes, lists, tables, code.
_NOT_PROSE = re.compile(r"^(#|!\[|<|>|\||```|~~~|[-*+] |\d+\. |\{)")
_ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")
_TAG = re.compile(r"<[^>]+>")
_INLINE_MARKUP = re.compile(r"[*_`\[\]<>&\\]")
_md = markdown.Markdown()


def first_paragraph(body: str) -> str:
    """Plain text of the first prose paragraph of a Markdown body."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if block and not _NOT_PROSE.match(block):
            block = _ATTR_LIST.sub("", block)
            if not _INLINE_MARKUP.search(block):  # plain prose, as most news is: no need to render
                return block
            return html.unescape(_TAG.sub("", _md.reset().convert(block))).strip()
    return ""
