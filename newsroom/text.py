"""Vietnamese text: decoding, normalization, matching keys and slugs."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from slugify import slugify as _slugify

# Tone marks (as combining characters after NFD). Vowel marks (circumflex,
# breve, horn) are not tones: "a", "ă" and "â" are different letters.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WORD = re.compile(r"[\w\u0300-\u036f]+")
# "đ" has no Unicode decomposition, so transliteration must be told.
_D_STROKE = [["đ", "d"], ["Đ", "D"]]
SLUG_MAX = 80
# python-slugify's default backend tries to import the optional "unidecode" on
# every call; name the one it installs (text-unidecode) so it does not.
_BACKEND = "text-unidecode"


class NotUtf8(ValueError):
    """The bytes are not UTF-8; ``encoding`` names the likely one."""

    def __init__(self, encoding: str):
        super().__init__(encoding)
        self.encoding = encoding


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is stripped) to NFC text with LF line endings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > 2:
        raise NotUtf8("UTF-16")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8("Windows-1258 (or a TCVN3/VNI legacy font)") from None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """A key under which spellings of the same words compare equal.

    Ignores case, NFC/NFD differences, punctuation and where the tone mark sits
    ("hòa"/"hoà", "họach"/"hoạch"), but keeps the tone itself ("hòa" != "hoa").
    """
    return " ".join(map(fold_word, _WORD.findall(unicodedata.normalize("NFD", text.casefold()))))


@functools.lru_cache(maxsize=1 << 16)  # an archive reuses the same few thousand words
def fold_word(word: str) -> str:
    """``fold`` for one word: its letters without tone marks, then the tone."""
    word = unicodedata.normalize("NFD", word.casefold())
    tones = "".join(c for c in word if c in _TONES)
    base = "".join(c for c in word if c not in _TONES)
    return unicodedata.normalize("NFC", base) + tones


@functools.lru_cache(maxsize=65536)  # author and term names repeat across thousands of posts
def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """ASCII, lower case, hyphenated: "Đắk Lắk" -> "dak-lak"."""
    return _slugify(text, replacements=_D_STROKE, max_length=max_length, word_boundary=True, backend=_BACKEND)


def strip_accents(text: str) -> str:
    """Lower-case ASCII words, for "did you mean" hints on unaccented input."""
    return _slugify(text, replacements=_D_STROKE, separator=" ", backend=_BACKEND)


def closest(wrong: str, known: list[str], n: int = 3) -> list[str]:
    """The known names nearest to ``wrong``, best first."""
    by_plain: dict[str, str] = {}
    for name in known:
        by_plain.setdefault(strip_accents(name), name)
    plain = strip_accents(wrong)
    if plain in by_plain:
        return [by_plain[plain]]
    return [by_plain[p] for p in difflib.get_close_matches(plain, list(by_plain), n=n, cutoff=0.6)]


# Characters an editor cannot see and XML (hence the feeds) cannot hold: C0
# controls but tab and newline, DEL, C1 controls, lone surrogates (only a YAML
# escape such as "\ud800" makes one), and the non-characters U+FFFE/U+FFFF.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def first_invisible(text: str) -> int:
    """Where the first invisible character (see ``_INVISIBLE``) is in ``text``, or -1."""
    match = _INVISIBLE.search(text)
    return match.start() if match else -1


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """Every invisible character in ``text``, with its index."""
    return [(match.start(), match.group()) for match in _INVISIBLE.finditer(text)]


def without_invisible(text: str) -> str:
    """``text`` with every invisible character deleted."""
    return _INVISIBLE.sub("", text)


def describe_invisible(char: str) -> str:
    """"the invisible control character U+0007": a message names it, never prints it."""
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate {code} (half of a character)"
    if char in "\ufffe\uffff":
        return f"the non-character {code}"
    return f"the invisible control character {code}"


def visible(text: str) -> str:
    """``text`` safe to print: each invisible character written as ``\\uXXXX``."""
    return _INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def shorten(text: str, width: int) -> str:
    """Cut at a word boundary so the result, with "…", fits in ``width``."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if text[width - 1] != " " and " " in cut:  # drop the word cut in half
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–") + "…"
