"""Raw scraped articles -> posts.

The raw format: a first line ``date YYYY-MM[-DD] Title`` (leading space
allowed), then paragraphs separated by blank lines, often ending with a byline
such as "Tin, ảnh: Hoàng Tuấn". Every paragraph is kept word for word.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from . import dates, text
from .problems import Problem, Problems
from .registry import Registry, Term

_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{1,2}(?:-\d{1,2})?)\s+(\S.*?)\s*$")
_BYLINE_LABEL = re.compile(r"^(tin,\s*ảnh|tin và ảnh|tin - ảnh|bài,\s*ảnh|bài và ảnh|bài|tin|ảnh|theo)\s*:?\s+(.+)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;| và | - )\s*")
# "Sáng 15-4", "ngày 15/4": a day and month not followed by a year.
_DAY_MONTH = re.compile(r"(?<![\d/-])(\d{1,2})[-/](\d{1,2})(?![\d]|[-/]\d)")
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+[A-ZÀ-ỸĐ]")
_ABBREVIATION = re.compile(r"\s*\([^()]{1,12}\)")  # "(KSND)" in "Viện Kiểm sát nhân dân (KSND) tỉnh"
CAPTION_MAX = 220
# Words before a name that make it part of a person's title, not an actor:
# "Chủ tịch HĐND tỉnh", "Phó Bí thư Thường trực Tỉnh ủy", "tại trụ sở Tỉnh ủy".
_TITLE_WORDS = {text.fold(w) for w in ("trưởng", "phó", "tịch", "thư", "viên", "đốc", "trực", "sở", "TUV")}
_AGENCY_WORDS = ("Sở", "Ban", "Ủy ban", "Uỷ ban", "Viện", "Tòa án", "Toà án", "Trung tâm", "Hội đồng",
                 "Đảng ủy", "Đảng uỷ", "Đảng đoàn", "Công an", "Bộ", "Cục", "Chi cục", "Văn phòng", "Thanh tra")
_AGENCY_LIKE = re.compile(
    r"\b(?:" + "|".join(_AGENCY_WORDS) + r")\s(?:(?! và | với | của | trong | tại | để | theo | về | cho )[^,.;:()“”\"\n])+"
)
# Characters Markdown would read as syntax: emphasis, links, code and attr_list's "{: ... }".
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
_BLOCK_START = re.compile(r"^(#|>|[-+*] |\d+[.)] )")


@dataclass
class Imported:
    title: str
    date: str
    paragraphs: list[str]
    captions: set[int]  # indexes of paragraphs that are photo captions
    authors: list[str] = field(default_factory=list)
    agencies: list[Term] = field(default_factory=list)
    unknown_agencies: list[str] = field(default_factory=list)
    digest: str = ""

    @property
    def slug(self) -> str:
        return text.slugify(self.title)

    @property
    def target(self) -> str:
        """Where the post goes, relative to the posts folder."""
        return f"{self.date[:4]}/{self.date[5:7]}/{self.slug}.md"


def parse(source: str, path: str, agencies: Registry) -> Imported:
    """Read one raw article (already decoded); raises ``Problems``."""
    first, _, rest = source.partition("\n")
    header = _HEADER.match(first)
    if not header:
        raise Problems([Problem(path, 1, "date line", f'expected "date YYYY-MM[-DD] Title", found "{first.strip()[:60]}"')])
    written_date, title = header.groups()
    try:
        date = dates.parse(written_date)
    except ValueError as error:
        raise Problems([Problem(path, 1, "date line", str(error), dates.DATE_HINT)]) from None
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", rest) if p.strip()]
    if not paragraphs:
        raise Problems([Problem(path, 2, "body", "the article has no text")])
    authors = byline(paragraphs[-1])
    body_end = len(paragraphs) - (1 if authors else 0)
    lead = paragraphs[0]
    found = find_agencies(lead, agencies) or find_agencies("\n".join(paragraphs[:body_end]), agencies)
    return Imported(
        title=title,
        date=refine_date(date, lead),
        paragraphs=paragraphs,
        captions={i for i in range(1, body_end) if is_caption(paragraphs[i])},
        authors=authors,
        agencies=found,
        unknown_agencies=unknown_agencies("\n".join(paragraphs), agencies),
        digest=hashlib.sha256(source.encode("utf-8")).hexdigest()[:16],
    )


def byline(paragraph: str) -> list[str]:
    """Names in a closing "Tin, ảnh: ..." paragraph, or [] if it is not one."""
    if len(paragraph) > 120:
        return []
    names = []
    for part in re.split(r"\s*;\s*", paragraph.rstrip(" ./")):
        match = _BYLINE_LABEL.match(part)
        if not match:
            return []
        names += [n for n in _NAME_SPLIT.split(match.group(2).strip(" ./")) if n]
    return names


def refine_date(date: dates.PostDate, lead: str) -> str:
    """A month date made exact when the lead says "Sáng 15-4" in that month."""
    if date.precision != dates.MONTH:
        return date.machine if date.precision == dates.DAY else date.moment.strftime("%Y-%m-%d %H:%M")
    for day, month in _DAY_MONTH.findall(lead[:200]):
        if int(month) == date.month:
            try:
                return dates.parse(f"{date.year:04}-{date.month:02}-{int(day):02}").machine
            except ValueError:
                break
    return date.machine


def is_caption(paragraph: str) -> bool:
    """A short one-sentence paragraph between others: a photo's caption."""
    if paragraph.startswith(("Ảnh:", "Ảnh :")):
        return True
    return (
        len(paragraph) <= CAPTION_MAX
        and "\n" not in paragraph
        and not paragraph.endswith((":", "?", "”", '"'))
        and not _SENTENCE_BREAK.search(paragraph)
    )


def find_agencies(passage: str, registry: Registry) -> list[Term]:
    """Agencies named as actors in ``passage``, longest names first, in order."""
    words = text.fold(_ABBREVIATION.sub("", passage)).split()
    names = {tuple(text.fold(name).split()): term for term in registry.terms for name in term.names}
    longest = max(map(len, names), default=0)
    found: list[Term] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            term = names.get(tuple(words[i : i + n]))
            if term is not None:
                if not _TITLE_WORDS.intersection(words[max(0, i - 2) : i]) and term not in found:
                    found.append(term)
                i += n
                break
        else:
            i += 1
    return found


def unknown_agencies(passage: str, registry: Registry) -> list[str]:
    """Names that look like agencies ("Ban Bí thư Trung ương Đảng") but are not registered."""
    known = [text.fold(name) for term in registry.terms for name in term.names]
    unknown: list[str] = []
    for match in _AGENCY_LIKE.finditer(_ABBREVIATION.sub("", passage)):
        name = " ".join(match.group().split()[:8])
        key = text.fold(name)
        if not any(key.startswith(k) or k.startswith(key) for k in known) and name not in unknown:
            unknown.append(name)
    return unknown


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(map(yaml_text, values)) + "]"


def render(article: Imported, source_name: str) -> str:
    """The post file: front matter, then every paragraph, captions marked."""
    lines = [
        "---",
        f"# {IMPORT_MARK} {source_name} sha256:{article.digest}",
        "# Check the proposed agencies and add topics before relying on this article.",
        f"title: {yaml_text(article.title)}",
        f"date: {article.date}",
    ]
    if article.authors:
        lines.append(f"authors: {yaml_list(article.authors)}")
    if article.agencies:
        lines.append(f"agencies: {yaml_list([t.name for t in article.agencies])}")
    lines += ["---", ""]
    for i, paragraph in enumerate(article.paragraphs):
        lines.append(_markdown_text(paragraph) + ("\n{: .caption }" if i in article.captions else ""))
        lines.append("")
    return "\n".join(lines)


IMPORT_MARK = "Imported by newsroom import from"


def _markdown_text(paragraph: str) -> str:
    """The paragraph as Markdown that renders to exactly its text."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", paragraph.replace("&", "&amp;").replace("<", "&lt;"))
    return "\\" + escaped if _BLOCK_START.match(escaped) else escaped
