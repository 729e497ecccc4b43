"""Bounds on an article body (newsroom/bounds.py): each class of input that
makes Python-Markdown slow or recursive is refused with its message, real
articles pass, and conversion just under every bound finishes.
"""

from __future__ import annotations

import time
from pathlib import Path

import markdown
import pytest

from newsroom import bench, bounds
from newsroom.bounds import check_body
from newsroom.reader import split

PROJECT = Path(__file__).resolve().parent.parent
PATH = "posts/2022/04/x.md"
FIRST = 6  # the body starts on line 6 of the file
WORDS = "Hội nghị triển khai kế hoạch phát triển kinh tế xã hội của tỉnh. "
PARAGRAPH = WORDS * 1_000  # about 75 KB, one paragraph


def nested_list(depth: int) -> str:
    return "".join("    " * level + "- mục\n" for level in range(depth))


def problems(body: str) -> list[str]:
    return [str(problem) for problem in check_body(body, PATH, FIRST)]


NESTING_HINT = "indent less (4 spaces make a level), or end some of the lists or quotes first"
INLINE_NESTING = ('emphasis, strikethrough or "[" nested or left open more than 16 deep; '
                  "close each *, _, ~~ or [ before opening the next, or write \\* \\_ \\~ \\[ for the character itself")
BRACKET_HINT = "close each [ with ] and each ( with ), end code with as many ` as began it, or write \\[ or \\` for the character itself"
TAG = 'more than 10 "<" never closed with ">"; write &lt; for a "<" that is only text, or close the tag with ">"'

REFUSED = {
    "list nested 17 deep": (
        "Mở đầu.\n\n" + nested_list(17),
        f"{PATH}:24: body: lists, quotes or indented blocks nested 17 levels deep (at most 16); {NESTING_HINT}",
    ),
    "quotes nested 17 deep": (
        "> " * 17 + "trích dẫn\n",
        f"{PATH}:6: body: lists, quotes or indented blocks nested 17 levels deep (at most 16); {NESTING_HINT}",
    ),
    "list markers on one line": (
        "- " * 20 + "a\n",
        f"{PATH}:6: body: lists, quotes or indented blocks nested 20 levels deep (at most 16); {NESTING_HINT}",
    ),
    "admonitions nested 17 deep": (
        "".join("    " * level + "!!! note\n\n" for level in range(17)) + "    " * 17 + "a\n",
        f"{PATH}:40: body: lists, quotes or indented blocks nested 17 levels deep (at most 16); {NESTING_HINT}",
    ),
    "md_in_html nested 1,000 deep": (
        '<div markdown="1">\n\n' * 1_000 + "a\n\n" + "</div>\n\n" * 1_000,
        f"{PATH}:38: body: HTML elements nested more than 16 deep; close each element before opening the next one inside it",
    ),
    "inline tags nested": (
        "Chữ " + "<ins>" * 17 + "a" + "</ins>" * 17 + "\n",
        f"{PATH}:6: body: HTML elements nested more than 16 deep; close each element before opening the next one inside it",
    ),
    "emphasis nested": ("*a " * 17 + "b" + " c*" * 17 + "\n", f"{PATH}:6: body: {INLINE_NESTING}"),
    "strikethrough nested": ("Chữ\n~~a " * 17 + "b" + " c~~" * 17 + "\n", f"{PATH}:23: body: {INLINE_NESTING}"),
    "a long run of stars": ("*" * 40 + "a" + "*" * 40 + "\n", f"{PATH}:6: body: {INLINE_NESTING}"),
    "5,000 [ on one line": ("Mở đầu.\n\n" + "[" * 5_000 + "\n", f"{PATH}:8: body: {INLINE_NESTING}"),
    "an unclosed [ in a long paragraph": (
        "Mở đầu.\n\n" + "[" * 3 + "a " * 60_000 + "\n",
        f'{PATH}:8: body: 3 "[", "(" or "`" never closed in a paragraph of 120,003 characters, '
        f"which Markdown would read 360,006 characters to match (at most 100,000); {BRACKET_HINT}",
    ),
    "unclosed link targets": (
        "[a](" * 200 + "b " * 1_000 + "\n",
        f'{PATH}:6: body: 200 "[", "(" or "`" never closed in a paragraph of 2,800 characters, '
        f"which Markdown would read 480,200 characters to match (at most 100,000); {BRACKET_HINT}",
    ),
    "code spans never closed": (
        "Chữ " + "".join("`" * n + " a " for n in range(1, 100)) + "\n",
        f'{PATH}:6: body: 99 "[", "(" or "`" never closed in a paragraph of 5,251 characters, '
        f"which Markdown would read 12,915,375 characters to match (at most 100,000); {BRACKET_HINT}",
    ),
    "a table of many cells": (
        "| a | b |\n|---|---|\n" + "|" + " x |" * 100 + "\n" + ("|" + " x |" * 100 + "\n") * 200,
        f'{PATH}:6: body: a table with 20,307 cell separators "|" (at most 20,000); split the table, or publish it as an attached file',
    ),
    "too many links in a paragraph": (
        "Chữ " + "[a](b) " * 1_001 + "\n",
        f"{PATH}:6: body: 1001 inline markup signs ([ ` * _ ~ < & \\ and line breaks) in one paragraph (at most 1000); "
        "split it into shorter paragraphs, or remove some formatting",
    ),
    "too many code spans in a paragraph": (
        "Chữ " + "`a` " * 501 + "\n",
        f"{PATH}:6: body: 1002 inline markup signs ([ ` * _ ~ < & \\ and line breaks) in one paragraph (at most 1000); "
        "split it into shorter paragraphs, or remove some formatting",
    ),
    "brackets after raw HTML": ("<div></div>\n" + "[" * 5_000 + "\n", f"{PATH}:7: body: {INLINE_NESTING}"),
    "emphasis after raw HTML": (
        "<div>\n</div>\n" + "*a* " * 1_000 + "\n",
        f"{PATH}:6: body: 2000 inline markup signs ([ ` * _ ~ < & \\ and line breaks) in one paragraph (at most 1000); "
        "split it into shorter paragraphs, or remove some formatting",
    ),
    "unclosed tags": ("Chữ <a " * 11 + "\n", f"{PATH}:6: body: {TAG}"),
    "unclosed autolinks": ("Mở đầu.\n\n" + "<http://a " * 11 + "\n", f"{PATH}:8: body: {TAG}"),
    "abbreviations": (
        "Chữ.\n\n" + "".join(f"*[X{n}]: y\n" for n in range(101)),
        f"{PATH}:108: body: more than 100 abbreviation definitions (*[...]:); keep at most 100 in one article",
    ),
    "footnotes": (
        "a[^1] " * 301 + "\n\n[^1]: b\n",
        f'{PATH}:6: body: more than 300 footnote references and definitions ("[^"); keep at most 300 in one article',
    ),
    "headings": (
        "# Tin\n\n" * 301,
        f"{PATH}:606: body: more than 300 headings or horizontal rules; keep at most 300 in one article, or split it into several articles",
    ),
    "rules": (
        "- - -\n" * 301,
        f"{PATH}:306: body: more than 300 headings or horizontal rules; keep at most 300 in one article, or split it into several articles",
    ),
    "fenced code blocks": (
        "```\na\n```\n\n" * 101,
        f"{PATH}:406: body: more than 100 fenced code blocks (``` or ~~~); keep at most 100 in one article",
    ),
    "markup in the whole article": (
        "| a | b |\n|---|---|\n" + "| [x](y) **b** | `c` |\n" * 1_500,
        f"{PATH}:6: body: 10,500 inline markup signs ([ ` * _ ~ < & \\) in the article (at most 10,000); "
        "remove some formatting, or split the article into several articles",
    ),
    "lines": (
        "- a\n\n" * 2_501,
        f"{PATH}:5006: body: more than 5,000 lines; split the article into several articles, or publish a long list or table as an attached file",
    ),
}


@pytest.mark.parametrize("body, expected", REFUSED.values(), ids=REFUSED.keys())
def test_refused_with_its_message(body, expected):
    assert problems(body) == [expected]


def test_every_bound_passed_is_reported():
    body = "> " * 17 + "a\n\n" + "*a " * 17 + "b\n"
    assert [problem.message.split(" ")[0] for problem in check_body(body, PATH, FIRST)] == ["lists,", "emphasis,"]


def test_real_articles_pass():
    for file in sorted((PROJECT / "posts").rglob("*.md")):
        _, body, line = split(file.read_text(encoding="utf-8"), str(file))
        assert check_body(body, str(file), line) == [], file
    for article in bench.corpus(20):
        assert check_body(article["body"], PATH, FIRST) == []


REAL = {
    "a 3,000-character paragraph with links and emphasis": (
        "Sáng 15-4, **UBND tỉnh** tổ chức hội nghị ([xem văn bản](https://ubnd.gov.vn/vb?id=1_2)). " * 35
    ),
    "a list 5 deep": nested_list(5) + "\n" + "    " * 5 + "Đoạn tiếp theo của mục sâu nhất.\n",
    "a long table": "| STT | Họ và tên | Đơn vị |\n|---:|---|:---:|\n" + "".join(
        f"| {n} | **Nguyễn Văn {n}** | [Sở {n}](https://a.vn/{n}) (*UBND*) |\n" for n in range(1, 1_000)
    ),
    "a long list of names": "".join(f"1. **Trần Thị {n}**, _Sở Y tế_ ([hồ sơ](https://a.vn/{n}))\n" for n in range(1, 1_000)),
    "snake_case and URLs": "Xem https://a.vn/tai_lieu_2022_so_1.pdf và file_name_a " * 50,
    "raw HTML table": "<table>\n" + "<tr><td><p><strong>a</strong></p></td></tr>\n" * 200 + "</table>\n",
    "abbreviations and captions": "HĐND tỉnh họp.\n{: .caption }\n\n*[HĐND]: Hội đồng nhân dân\n*[UBND]: Ủy ban nhân dân\n",
    "a pasted line indented 40 columns": "Mở đầu.\n\n" + " " * 40 + "Chữ ký\n",
}


@pytest.mark.parametrize("body", REAL.values(), ids=REAL.keys())
def test_real_shapes_pass(body):
    assert problems(body) == []


# Each class at the size just under its bound, with as much text as makes
# it slowest (up to about 200 KB): the check passes and conversion finishes.
UNDER = {
    "list nested 16 deep": nested_list(16) + "    " * 16 + PARAGRAPH * 2,
    "quotes nested 16 deep": "> " * 16 + PARAGRAPH * 2,
    "admonitions nested 16 deep": "".join("    " * n + "!!! note\n\n" for n in range(16)) + "    " * 16 + PARAGRAPH * 2,
    "md_in_html nested 16 deep": '<div markdown="1">\n\n' * 16 + PARAGRAPH * 2 + "\n\n" + "</div>\n\n" * 16,
    "lists in md_in_html in lists": nested_list(15) + '<div markdown="1">\n\n' * 15 + nested_list(15) + PARAGRAPH,
    "emphasis nested 16 deep": "*a " * 16 + PARAGRAPH * 2 + " c*" * 16,
    "links nested 16 deep": "[" * 16 + "a" + "](b)" * 16 + PARAGRAPH * 2,
    "999 links in a 150 KB paragraph": "[a](b) " * 999 + PARAGRAPH * 2,
    "1000 emphasis runs in a 150 KB paragraph": "*a* " * 500 + PARAGRAPH * 2,
    "1000 entities and escapes in a 150 KB paragraph": "&amp; \\* " * 500 + PARAGRAPH * 2,
    "one [ open for 99 KB": "[" + ("a " * 49_900),
    "10 unclosed tags in 150 KB": "<a " * 10 + PARAGRAPH * 2,
    "8 unclosed CDATA in 150 KB": "x <![CDATA[ " * 8 + "\n\n" + PARAGRAPH * 2,  # each has two "["
    "100 abbreviations over 150 KB": PARAGRAPH * 2 + "\n\n" + "".join(f"*[X{n}]: y\n" for n in range(100)),
    "300 footnotes": "".join(f"a[^{n}] " for n in range(150)) + "\n\n" + "".join(f"[^{n}]: b\n\n" for n in range(150)),
    "300 references to one footnote": "a[^1] " * 299 + "\n\n[^1]: b\n",
    "300 headings with the same text": "# Tin\n\n" * 300,
    "100 fenced code blocks": "```\na\n```\n\n" * 100 + PARAGRAPH,
    "5,000 lines of list items": "- a\n\n" * 2_500,
    "a 5,000-row table": "| a | b |\n|---|---|\n" + "| x | y |\n" * 4_998,
    "10,000 markup signs in a table": "| a | b |\n|---|---|\n" + "| [x](y) **b** | `c` |\n" * 1_250,
    "a table of 20,000 cells": "|" + " a |" * 50 + "\n|" + "---|" * 50 + "\n" + ("|" + " x |" * 50 + "\n") * 390,
    "16 unclosed backticks in 100 KB": "Chữ " + "` " * 8 + "``" * 4 + " " + "a " * 3_000 + "\n\n" + PARAGRAPH,
    "5,000 line breaks": "a  \n" * 999 + "\n" + "b  \n" * 999 + "\n" + PARAGRAPH,
}


@pytest.fixture(scope="module")
def converter():
    names, configs = bench.markdown_extensions()
    return markdown.Markdown(extensions=names, extension_configs=configs)


@pytest.mark.parametrize("body", UNDER.values(), ids=UNDER.keys())
def test_conversion_just_under_the_bound_finishes(body, converter):
    assert problems(body) == []
    start = time.perf_counter()
    converter.reset().convert(body)
    assert time.perf_counter() - start < 5  # about 0.3 s at most measured; generous for a loaded machine


def test_the_check_itself_is_linear():
    """Pathological bodies of 1 MB are checked in well under a second."""
    for body in ("[" * 1_000_000, "<a " * 300_000, "*a " * 300_000, "> " * 500_000, "- a\n" * 200_000,
                 "```\n" * 200_000, " " * 1_000_000 + "- a\n", "[a](" + "(" * 1_000_000, "\\*" * 500_000):
        start = time.perf_counter()
        check_body(body, PATH, FIRST)
        assert time.perf_counter() - start < 2, body[:10]


def test_bounds_are_generous():
    """What a real article needs stays well inside every bound."""
    assert bounds.MAX_NESTING >= 8 and bounds.MAX_INLINE_MARKS >= 500 and bounds.MAX_LINES >= 2_000
