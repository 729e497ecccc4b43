"""A post's summary when the editor gave none: its first paragraph, shortened."""

from __future__ import annotations

import html
import re

import markdown

from . import bounds

SUMMARY_WIDTH = 220
# Blocks that are not prose: headings, images, HTML, quotes, lists, tables, code.
_NOT_PROSE = re.compile(r"^(#|!\[|<|>|\||```|~~~|[-*+] |\d+\. |\{)")
_ATTR_LIST = re.compile(r"\{:?[^{}]*\}\s*")  # matched from the block's last "{" only: linear time
_TAG = re.compile(r"<[^>]+>")
_INLINE_MARKUP = re.compile(r"[*_`\[\]<>&\\]")
_md = markdown.Markdown()


def first_paragraph(body: str) -> str:
    """Plain text of the first prose paragraph of a Markdown body."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if block and not _NOT_PROSE.match(block):
            block = _without_attr_list(block)
            if not _INLINE_MARKUP.search(block):  # plain prose, as most news is: no need to render
                return block
            if bounds.check_body(block, "", 1):  # the body's check refuses it: converting could take minutes
                return " ".join(_INLINE_MARKUP.sub(" ", block).split())
            return html.unescape(_TAG.sub("", _md.reset().convert(block))).strip()
    return ""


def _without_attr_list(block: str) -> str:
    """The block without a closing ``{: .caption }``."""
    at = block.rfind("{")
    return block[:at].rstrip() if at >= 0 and _ATTR_LIST.fullmatch(block, at) else block
