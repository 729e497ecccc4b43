"""Bounds on an article body's structure, checked before Markdown conversion.

Python-Markdown, with the build's extensions, takes time that grows faster
than the text in a few structural quantities, or recurses once per level of
nesting, so a few KB can stall the build for minutes or crash it with
RecursionError (50,000 "[" on one line; 2,000 nested ``<div markdown=1>``).
The classes measured:

- nesting of lists, quotes, admonitions, footnotes and indented blocks, and
  of HTML elements: a recursion per level, each re-reading what it holds;
- nesting of emphasis, strikethrough and brackets in a paragraph: recursion;
- inline elements in one paragraph (links, emphasis, code, entities, tags,
  escapes, line breaks): each rebuilds the paragraph's text, so the time is
  their count times its length;
- a "[", "](" or run of "`" never closed: each is read to the end of its
  paragraph (a run once from each of its backticks);
- table cells: linear, but costly enough to bound;
- a "<" tag or "<![CDATA[" never closed: each is read to the end of the body;
- abbreviation definitions, footnotes, headings and rules, fenced code: each
  costs time in proportion to those before it (ids made unique by counting,
  lines split off a block one at a time, notes found by searching a list).

``check_body`` measures those quantities in one linear pass and refuses a
body past bounds that no real article comes near; tests/test_bounds.py checks
that conversion just under every bound stays fast. Plain paragraphs (no
markup character at all) cost only a few string searches.
"""

from __future__ import annotations

import re

from .problems import Problem

MAX_LINES = 5_000  # every line, table row and list item costs conversion time (about 30 µs)
MAX_NESTING = 16  # levels of lists, quotes, admonitions and indentation (4 columns a level)
MAX_HTML_NESTING = 16  # HTML elements inside each other
MAX_INLINE_NESTING = 16  # emphasis, strikethrough or "[" inside each other, or left open
MAX_INLINE_MARKS = 1_000  # inline markup signs in one paragraph, list item or table row
MAX_BODY_MARKS = 10_000  # the same in the whole body: each inline element costs about 30 µs
MAX_BRACKET_SCAN = 100_000  # characters read to match a paragraph's "[", "](" and "`" with their closers
MAX_TABLE_CELLS = 20_000  # "|" in one table: each cell costs conversion time (about 20 µs)
MAX_UNCLOSED_TAGS = 10  # "<" tags (or CDATA) never closed with ">" in the body
MAX_ABBREVIATIONS = 100
MAX_FOOTNOTES = 300  # footnote references and definitions, "[^"
MAX_HEADINGS = 300  # and horizontal rules
MAX_FENCES = 100  # fenced code blocks

# A line starting with none of these is plain text (depth 0, no block construct).
_SPECIAL_START = " \t>-*+#=_~`0123456789"
# The container markers opening a line: quotes, list items and their indentation ("> - > 1. a").
_PREFIX = re.compile(r"(?:[ \t]+|>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))*")
_LIST_MARKER = re.compile(r"[-*+]|\d+")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)|=+[ \t]*$|-+[ \t]*$|(?:[-*_][ \t]*){3,}$")
_FENCE = re.compile(r"`{3,}|~{3,}")
# What inline patterns start on: escapes, brackets, tags, entities, code, emphasis and strikethrough runs.
_INLINE = re.compile(r"\\.|[\[\]()<&]|`+|[*_~]+")
_INLINE_CHARS = "[<&`*_~\\"
_BACKTICKS = re.compile(r"`+")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)|<!\[CDATA\[|<[!?]")
_BLOCK_TAG = re.compile(r"[ ]{0,3}<([A-Za-z][A-Za-z0-9]*)[^>]*")
# Python-Markdown's block-level elements: a block that opens with one is raw HTML.
_BLOCK_LEVEL = frozenset(
    "address article aside blockquote body canvas center colgroup dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html iframe li main math menu nav noscript ol p pre "
    "section table tbody td tfoot th thead tr ul video".split()
)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# HTML closes these when the next one opens (an editor's <p>...<p> is not nesting).
_SIBLINGS = frozenset("p li dt dd tr td th option".split())


def check_body(body: str, path: str, first_line: int) -> list[Problem]:
    """The first place each bound is passed, as problems on the field "body"."""
    found: dict[str, Problem] = {}

    def problem(kind: str, index: int, message: str, hint: str) -> None:
        if kind not in found:
            found[kind] = Problem(path, first_line + index, "body", message, hint)

    lines = body.split("\n")
    if len(lines) - (lines[-1] == "") > MAX_LINES:  # a last newline ends a line, not starts one
        problem("lines", MAX_LINES, f"more than {MAX_LINES:,} lines", "split the article into several articles, or publish a long list or table as an attached file")
        return list(found.values())  # reason enough; the rest would take long to read
    marks = sum(body.count(char) for char in _INLINE_CHARS if char in body)
    if marks > MAX_BODY_MARKS:
        problem("marks", 0, f"{marks:,} inline markup signs ([ ` * _ ~ < & \\) in the article (at most {MAX_BODY_MARKS:,})",
                "remove some formatting, or split the article into several articles")
    _check_lines(lines, marks > 0 or "  \n" in body, problem)
    if "<" in body:
        _check_html(body, problem)
    if "[^" in body:
        _check_footnotes(body, problem)
    return sorted(found.values())


def _check_lines(lines: list[str], inline: bool, problem) -> None:
    """Nesting and block constructs line by line; each paragraph's inline markup when the body has any."""
    counts = dict.fromkeys(_COUNTED, 0)
    unclosed_fences: set[str] = set()  # fence characters with no closer below where they were looked for
    fence = ""  # the fence of the code block we are in
    block = -1  # first line of the paragraph (block of non-blank lines) we are in
    for index, line in enumerate(lines):
        if fence:
            if line.lstrip(" \t>").startswith(fence):
                fence = ""
            continue
        first = line[:1]
        if first and first not in _SPECIAL_START:  # plain text: the common case, kept cheap
            if block < 0:
                block = index
            continue
        if not line or line.isspace():
            if block >= 0:
                _check_block(lines, block, index, inline, problem)
            block = -1
            continue
        if block < 0:
            block = index
        prefix = _PREFIX.match(line).group()
        rest = line[len(prefix):]
        # Each marker makes a level, and so do 4 columns of indentation (a tab is taken
        # as 4) besides the space that follows each marker.
        markers = prefix.count(">") + len(_LIST_MARKER.findall(prefix))
        depth = markers + max(0, prefix.count(" ") + 4 * prefix.count("\t") - markers) // 4
        if depth > MAX_NESTING:
            problem("nesting", index, f"lists, quotes or indented blocks nested {depth} levels deep (at most {MAX_NESTING})",
                    "indent less (4 spaces make a level), or end some of the lists or quotes first")
        opening = _FENCE.match(rest)
        if opening and _closed(lines, index, rest[0], unclosed_fences):
            fence = rest[0] * 3
            counts["fences"] += 1
            if block < index:
                _check_block(lines, block, index, inline, problem)
            block = -1
        elif _HEADING.match(rest) or (first in "-*_" and _HEADING.match(line.lstrip(" \t>"))):
            counts["headings"] += 1
        elif rest.startswith("*["):
            counts["abbreviations"] += 1
        else:
            continue
        for kind, count in counts.items():
            limit, what, hint = _COUNTED[kind]
            if count == limit + 1:
                problem(kind, index, f"more than {limit} {what}", hint.format(limit))
    if block >= 0:
        _check_block(lines, block, len(lines), inline, problem)


_COUNTED = {
    "fences": (MAX_FENCES, "fenced code blocks (``` or ~~~)", "keep at most {} in one article"),
    "headings": (MAX_HEADINGS, "headings or horizontal rules", "keep at most {} in one article, or split it into several articles"),
    "abbreviations": (MAX_ABBREVIATIONS, "abbreviation definitions (*[...]:)", "keep at most {} in one article"),
}


def _closed(lines: list[str], index: int, char: str, unclosed: set[str]) -> bool:
    """Whether a fence opened on line ``index`` is closed below (unclosed, Markdown reads it as text).

    A fence line that finds no closer leaves no later one of its character
    either (it would have closed this one), so each character is searched once.
    """
    if char in unclosed:
        return False
    for below in range(index + 1, len(lines)):
        if lines[below].lstrip(" \t>").startswith(char * 3):
            return True
    unclosed.add(char)
    return False


def _check_block(lines: list[str], start: int, end: int, inline: bool, problem) -> None:
    """A table's cells, and the inline markup of each part (when the body has any)."""
    opening = _BLOCK_TAG.match(lines[start])
    # Raw HTML: Markdown passes its tags and entities through (and reads any text after it).
    raw = opening is not None and opening.group(1).lower() in _BLOCK_LEVEL and "markdown" not in opening.group()
    if end - start > 1 and _is_table_rule(lines[start + 1]):
        cells = sum(line.count("|") for line in lines[start:end])
        if cells > MAX_TABLE_CELLS:
            problem("table", start, f'a table with {cells:,} cell separators "|" (at most {MAX_TABLE_CELLS:,})',
                    "split the table, or publish it as an attached file")
    if not inline:
        return
    for first, last in [(start, end)] if raw else _units(lines, start, end):
        text = "\n".join(lines[first:last])
        if any(c in text for c in _INLINE_CHARS) or "  \n" in text:
            if not _few_marks(text):
                _check_inline(text, first, problem, raw)


def _units(lines: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a block whose inline text Markdown reads as one: table rows, list items, or all of it."""
    if end - start > 1 and _is_table_rule(lines[start + 1]):
        return [(i, i + 1) for i in range(start, end)]  # (cells are counted in _check_block)
    if _LIST_ITEM.match(lines[start].lstrip(" \t>")):
        starts = [i for i in range(start, end) if _LIST_ITEM.match(lines[i].lstrip(" \t>"))]
        return list(zip(starts, starts[1:] + [end]))
    return [(start, end)]


def _is_table_rule(line: str) -> bool:
    """A table's second line: only | : - and spaces, with a - and a |."""
    rule = line.lstrip(" \t>")
    return "-" in rule and "|" in rule and not rule.strip("|:- \t")


def _few_marks(text: str) -> bool:
    """Too few markup characters to pass any inline bound: the usual paragraph, spared the scan below."""
    marks = text.count("  \n")
    for char in _INLINE_CHARS:
        if char in text:
            marks += text.count(char)
            if marks > MAX_INLINE_NESTING:
                return False
    return (("[" not in text or (text.count("[") + text.count("(")) * len(text) <= MAX_BRACKET_SCAN)
            and ("`" not in text or text.count("`") * len(text) <= MAX_BRACKET_SCAN))


def _check_inline(text: str, first: int, problem, raw: bool = False) -> None:
    """One paragraph's inline markup: how much, how deeply nested, how far unclosed brackets are read."""
    marks = text.count("  \n")  # line breaks
    nesting: list[tuple[str, int]] = []  # open emphasis runs and "[": (character, offset)
    parens: list[int] = []  # open "(" of a link target, and "(" inside it
    target = -1  # where a link target's "(" would be: just after a "]"
    scan = 0  # characters the link patterns read to find closers
    for match in _INLINE.finditer(text):
        token, at = match.group(), match.start()
        if token == "[":
            nesting.append(("[", at))
        elif token == "]":
            opened = _close(nesting, "[")
            if opened is not None:
                scan += at - opened
                target = at + 1
            continue
        elif token == "(":
            if parens or at == target:
                parens.append(at)
            continue
        elif token == ")":
            if parens:
                scan += at - parens.pop()
            continue
        elif token[0] in "*_~":
            _emphasis(text, match, nesting)
        elif raw and token in "<&":
            continue
        marks += 1
        if len(nesting) > MAX_INLINE_NESTING:
            problem("inline nesting", first + text.count("\n", 0, at),
                    f'emphasis, strikethrough or "[" nested or left open more than {MAX_INLINE_NESTING} deep',
                    "close each *, _, ~~ or [ before opening the next, or write \\* \\_ \\~ \\[ for the character itself")
            return
    if marks > MAX_INLINE_MARKS:
        problem("inline", first, f"{marks} inline markup signs ([ ` * _ ~ < & \\ and line breaks) "
                f"in one paragraph (at most {MAX_INLINE_MARKS})", "split it into shorter paragraphs, or remove some formatting")
    unclosed = [at for char, at in nesting if char == "["] + parens
    scan += sum(len(text) - at for at in unclosed)
    if "`" in text:
        scan += _code_scan(text, unclosed)
    if scan > MAX_BRACKET_SCAN:
        where = min(unclosed) if unclosed else 0
        problem("brackets", first + text.count("\n", 0, where),
                f'{len(unclosed)} "[", "(" or "`" never closed in a paragraph of {len(text):,} characters, '
                f"which Markdown would read {scan:,} characters to match (at most {MAX_BRACKET_SCAN:,})",
                "close each [ with ] and each ( with ), end code with as many ` as began it, or write \\[ or \\` for the character itself")


def _code_scan(text: str, unclosed: list[int]) -> int:
    """Characters the code span pattern reads: from each run of backticks to the next run as long, or
    to the end from each backtick of a run that has none (appended to ``unclosed``)."""
    runs = [(match.start(), match.end() - match.start()) for match in _BACKTICKS.finditer(text)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        following[i] = last.get(runs[i][1])
        last[runs[i][1]] = i
    scan, i = 0, 0
    while i < len(runs):
        at, length = runs[i]
        if following[i] is None:
            scan += length * (len(text) - at)
            unclosed.append(at)
            i += 1
        else:
            scan += runs[following[i]][0] - at
            i = following[i] + 1
    return scan


def _close(nesting: list, char: str):
    """Pop back to the innermost open ``char``; its offset, or None."""
    for i in range(len(nesting) - 1, -1, -1):
        if nesting[i][0] == char:
            at = nesting[i][1]
            del nesting[i:]
            return at
    return None


def _emphasis(text: str, match: re.Match, nesting: list) -> None:
    """A run of * _ or ~ that can open a span is pushed, one that can close a span pops it.

    CommonMark's flanking rules: "_" and "~" inside a word (file_name) neither
    open nor close; "*" there does either.
    """
    char, start, end = match.group()[0], match.start(), match.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if char == "*" and after == "[" and (start == 0 or before == "\n"):
        return  # an abbreviation's definition, *[HĐND]: Hội đồng nhân dân
    left = not after.isspace() and (after.isalnum() or before.isspace() or not before.isalnum())
    right = not before.isspace() and (before.isalnum() or after.isspace() or not after.isalnum())
    if char == "*":
        opens, closes = left, right
    else:
        opens = left and (not right or not (before.isalnum() or before.isspace()))
        closes = right and (not left or not (after.isalnum() or after.isspace()))
    # A run opens or closes one span per two characters ("***" is strong and emphasis).
    levels = (end - start + 1) // 2
    if closes and any(open_char == char for open_char, _ in nesting):
        for _ in range(levels):
            _close(nesting, char)
    elif opens:
        nesting.extend([(char, start)] * levels)


class _Next:
    """Where ``needle`` next occurs at or after an offset; offsets asked for only grow, so all calls together read the body once."""

    def __init__(self, body: str, needle: str):
        self.body, self.needle, self.at = body, needle, -1

    def after(self, offset: int) -> int:
        """The offset of the next ``needle``, or the body's length if none."""
        if self.at < offset:
            found = self.body.find(self.needle, offset)
            self.at = len(self.body) if found < 0 else found
        return self.at


def _check_html(body: str, problem) -> None:
    """HTML elements nested too deeply, and tags never closed with ">"."""
    open_tags: list[str] = []
    unclosed = 0
    gt, lt, cdata_end = _Next(body, ">"), _Next(body, "<"), _Next(body, "]]>")
    for match in _TAG.finditer(body):
        token = match.group()
        end = (cdata_end if token.startswith("<![") else gt).after(match.end())
        if end == len(body) or (lt.after(match.end()) < end and not token.startswith("<!")):
            unclosed += 1
            if unclosed > MAX_UNCLOSED_TAGS:
                problem("tags", body.count("\n", 0, match.start()), f'more than {MAX_UNCLOSED_TAGS} "<" never closed with ">"',
                        'write &lt; for a "<" that is only text, or close the tag with ">"')
                return
            continue
        closing, name = match.group(1), (match.group(2) or "").lower()
        # Not an element: <!-- -->, <?...?>, an autolink <https://...> or <a@b.vn>, <br>, <img ... />.
        if not name or body[match.end()] not in " \t\n/>" or name in _VOID or body[end - 1] == "/":
            continue
        if closing:
            if name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name):]
            continue
        if name in _SIBLINGS and open_tags and open_tags[-1] == name:
            open_tags.pop()
        open_tags.append(name)
        if len(open_tags) > MAX_HTML_NESTING:
            problem("html", body.count("\n", 0, match.start()), f"HTML elements nested more than {MAX_HTML_NESTING} deep",
                    "close each element before opening the next one inside it")
            return


def _check_footnotes(body: str, problem) -> None:
    """Footnote references and definitions together: each is looked up among the others."""
    if body.count("[^") > MAX_FOOTNOTES:
        at = -1
        for _ in range(MAX_FOOTNOTES + 1):
            at = body.find("[^", at + 1)
        problem("footnotes", body.count("\n", 0, at), f'more than {MAX_FOOTNOTES} footnote references and definitions ("[^")',
                f"keep at most {MAX_FOOTNOTES} in one article")
