"""Text hygiene that the build tolerates but editors should know about.

A BOM and decomposed (NFD) text are repaired by ``fix``; two placements of
the same tone mark ("hoà"/"hòa") are reported and never rewritten, because
which one is right is the editor's call.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from .problems import WARNING, Problem
from .text import fold_word

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
    lines = source.splitlines()
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
    """The file with BOM removed and text in NFC, and what was changed."""
    changes = []
    if data.startswith(_BOM):
        data = data[len(_BOM):]
        changes.append("removed the byte order mark (BOM)")
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        return data, changes
    normalized = unicodedata.normalize("NFC", source)
    if normalized != source:
        changed = sum(1 for a, b in zip(source.splitlines(), normalized.splitlines()) if a != b)
        changes.append(f"normalized {changed} line(s) to NFC")
        data = normalized.encode("utf-8")
    return data, changes
