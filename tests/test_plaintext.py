"""The plain-text shortcut changes nothing in the HTML, only the time it takes."""

from __future__ import annotations

import random
from pathlib import Path

import markdown
from mkdocs.config import load_config
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import SimpleTextInlineProcessor
from xml.etree.ElementTree import SubElement

from newsroom import plaintext
from newsroom.bench import markdown_extensions

ROOT = Path(__file__).resolve().parent.parent


def project_extensions() -> tuple[list, dict]:
    """The Markdown extensions of a build, without the shortcut."""
    names, configs = markdown_extensions()
    return [name for name in names if name != "newsroom.plaintext"], configs


def converters():
    names, configs = project_extensions()
    return (markdown.Markdown(extensions=names, extension_configs=configs),
            markdown.Markdown(extensions=[*names, "newsroom.plaintext"], extension_configs=configs))


# Pieces of Markdown that inline patterns and block syntax react to, and prose.
PIECES = [
    "Việt", "Nam", "HTML", "tỉnh", "ủy", "ban", "*", "**", "_", "__", "[a](http://x.vn)", "[a]", "[a]: http://y.vn",
    "![ảnh](x.png)", "<b>", "</b>", "<div>", "</div>", '<div markdown="1">', "&amp;", "&", "&#123;", "~~", "~", "`", "``",
    "\\", "\\*", "  \n", "\n", "\n\n", "{: .x}", "{ #id }", "*[HTML]: Hyper Text Markup Language", "[^1]",
    "\n[^1]: ghi chú", "> ", "- ", "1. ", "# ", "## Tiêu đề", "!!! note", "| a | b |\n|---|---|\n| c | d |",
    "```\nmã\n```", "    ", "http://a.vn", "a@b.vn", "<http://a.vn>", "<a@b.vn>", "15-4", "(1)", '"', "'", ":",
    "=", "%", "/", "--", "...", "\x02", "\x03", "\nTiếp theo", "\n===", "\n---", "\n    thụt lề", "\n\tthẻ",
    "\n\n- mục\n\nđoạn", "\n* mục\nnối tiếp", "\n1. một\n2. hai", "\n> trích\ndẫn", "2022. năm", "|", "a | b",
    "\n\n\n", "\n  ", "\n   - con",
]


def test_random_documents_convert_the_same_with_and_without_the_shortcut():
    plain, fast = converters()
    rng = random.Random(2022)
    for _ in range(3000):
        document = " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30)))
        assert fast.reset().convert(document) == plain.reset().convert(document), repr(document)


def test_every_shipped_article_converts_the_same():
    plain, fast = converters()
    files = sorted((ROOT / "posts").rglob("*.md")) + sorted((ROOT / "tests/fixtures").rglob("*.md"))
    assert len(files) > 5
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        assert fast.reset().convert(text) == plain.reset().convert(text), file.name


def test_plain_paragraphs_are_skipped(monkeypatch):
    claimed, marked = [], []
    block_run, unmark_run = plaintext._PlainBlock.run, plaintext._Unmark.run
    monkeypatch.setattr(plaintext._PlainBlock, "run", lambda self, parent, blocks: (claimed.append(blocks[0]), block_run(self, parent, blocks))[1])
    monkeypatch.setattr(plaintext._Unmark, "run", lambda self, root: (marked.append(len(self.marked)), unmark_run(self, root))[1])
    _, fast = converters()
    html = fast.reset().convert("Hội nghị triển khai kế hoạch năm 2026.\n\nCó *nhấn mạnh* ở đây.\n\n- Một mục")
    assert html == "<p>Hội nghị triển khai kế hoạch năm 2026.</p>\n<p>Có <em>nhấn mạnh</em> ở đây.</p>\n<ul>\n<li>Một mục</li>\n</ul>"
    # Both paragraphs skip the block processors (the list does not); only the
    # first skips the inline patterns (the second has a "*"), with the list item's text.
    assert claimed == ["Hội nghị triển khai kế hoạch năm 2026.", "Có *nhấn mạnh* ở đây."]
    assert marked == [2]


def test_an_unknown_block_processor_turns_the_block_shortcut_off():
    names, configs = project_extensions()
    for extensions in ([*names], [*names, "newsroom.plaintext"]):
        md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        # A processor claiming blocks the shortcut would take for paragraphs.
        md.parser.blockprocessors.register(ShoutProcessor(md.parser), "shout", 95)
        assert md.convert("Thông báo khẩn") == "<aside>Thông báo khẩn</aside>"


def test_an_extension_changing_a_known_pattern_turns_the_inline_shortcut_off():
    # pymdownx.mark adds "==" to the processor that already handles "~~", under the same name.
    names, configs = project_extensions()
    plain = markdown.Markdown(extensions=[*names, "pymdownx.mark"], extension_configs=configs)
    fast = markdown.Markdown(extensions=[*names, "pymdownx.mark", "newsroom.plaintext"], extension_configs=configs)
    for text in ("Tin ==nổi bật== hôm nay", "Nối tiếp\ndòng ==hai=="):
        assert fast.reset().convert(text) == plain.reset().convert(text)
    assert "<mark>nổi bật</mark>" in fast.convert("Tin ==nổi bật== hôm nay")


def test_both_shortcuts_are_on_in_the_build():
    # The converter the page writer makes from mkdocs.yml, as MkDocs reads it.
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert markdown_extensions() == (config.markdown_extensions, config.mdx_configs)  # what tests and bench use
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    md.convert("Một câu.")
    switches = md.preprocessors["plain_switches"]
    assert (switches.blocks, switches.inline) == (True, True)


class ShoutProcessor(BlockProcessor):
    def test(self, parent, block):
        return block.startswith("Thông báo")

    def run(self, parent, blocks):
        SubElement(parent, "aside").text = blocks.pop(0)


def test_an_unknown_inline_pattern_turns_the_shortcut_off():
    names, configs = project_extensions()
    for extensions in ([*names], [*names, "newsroom.plaintext"]):
        md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        # A pattern reacting to a character the shortcut does not know about.
        md.inlinePatterns.register(SimpleTextInlineProcessor(r"(%)"), "percent", 5)
        md.inlinePatterns["percent"].handleMatch = lambda m, data: ("PHẦN TRĂM", m.start(0), m.end(0))
        assert md.convert("Tăng 5% so với năm trước.") == "<p>Tăng 5PHẦN TRĂM so với năm trước.</p>"
