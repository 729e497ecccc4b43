"""Text hygiene that the build tolerates but editors should know about.

A BOM, decomposed (NFD) text and invisible control characters (which the
reader reports as errors) are repaired by ``fix``; two placements of
the same tone mark ("hoà"/"hòa") are reported and never rewritten, because
which one is right is the editor's call.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from .problems import WARNING, Problem
from .text import first_invisible, fold_word, without_invisible

_BOM = b"\xef\xbb\xbf"
_WORD = re.compile(r"\w+")
FIX_HINT = "newsroom check --fix repairs it"


def check(path: str, data: bytes) -> list[Problem]:
    """Warnings for one UTF-8 file (undecodable files are the reader's to report)."""
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    problems = []
    if data.startswith(_BOM):
        problems.append(Problem(path, 1, "encoding", "the file starts with a byte order mark (BOM)", FIX_HINT, WARNING))
    # Lines as the reader counts them: splitlines() would also break at U+000C, U+0085 or U+2028.
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, 1):
        if not unicodedata.is_normalized("NFC", line):
            problems.append(Problem(path, number, "text", "decomposed (NFD) characters, as some Windows keyboards type them", FIX_HINT, WARNING))
            break
    return problems + _tone_placement(path, [unicodedata.normalize("NFC", line) for line in lines])


def _tone_placement(path: str, lines: list[str]) -> list[Problem]:
    spellings: dict[str, Counter] = defaultdict(Counter)
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        for word in _WORD.findall(line.lower()):
            if not word.isascii():
                spellings[fold_word(word)][word] += 1
                first_line.setdefault(word, number)
    problems = []
    for counts in spellings.values():
        if len(counts) > 1:
            usual, *others = [word for word, _ in counts.most_common()]
            for other in others:
                problems.append(Problem(
                    path, first_line[other], "text",
                    f'"{other}" and "{usual}" are one word with the tone mark in different places',
                    "choose one spelling; this is not changed automatically", WARNING,
                ))
    return problems


def fix(data: bytes) -> tuple[bytes, list[str]]:
    """The file with BOM and invisible characters removed and text in NFC, and what was changed."""
    changes = []
    if data.startswith(_BOM):
        data = data[len(_BOM):]
        changes.append("removed the byte order mark (BOM)")
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        return data, changes
    source, deleted = _delete_invisible(source)
    if deleted:
        codes = sorted({f"U+{ord(char):04X}" for char in deleted})
        changes.append(f"deleted {len(deleted)} invisible character(s) ({', '.join(codes[:5])}{', ...' if len(codes) > 5 else ''})")
        data = source.encode("utf-8")
    normalized = unicodedata.normalize("NFC", source)
    if normalized != source:
        changed = sum(1 for a, b in zip(source.splitlines(), normalized.splitlines()) if a != b)
        changes.append(f"normalized {changed} line(s) to NFC")
        data = normalized.encode("utf-8")
    return data, changes


def _delete_invisible(source: str) -> tuple[str, str]:
    """The text without the invisible characters typed into it, and those characters.

    Carriage returns stay (CRLF line endings); an escape such as "\\x07" in
    quotes is text, not the character, and is left for the editor.
    """
    parts = source.split("\r")
    if all(first_invisible(part) < 0 for part in parts):
        return source, ""
    deleted = "".join(char for part in parts for char in part if first_invisible(char) == 0)
    return "\r".join(map(without_invisible, parts)), deleted
