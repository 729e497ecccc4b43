"""Front matter: which keys an article may have and what each must hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import dates, text, urls
from .excerpt import SUMMARY_WIDTH, first_paragraph
from .post import Author, Post
from .problems import Problem, did_you_mean
from .registry import Registry, Term, unknown_term
from .yamlfile import DateText, Located

REQUIRED = ("title", "date")
OPTIONAL = (
    "authors", "agencies", "topics", "summary", "image", "image_alt", "image_caption",
    "slug", "draft", "expires", "updated", "pinned",
)
FIELDS = REQUIRED + OPTIONAL
_SLUG_HINT = "use lower-case ASCII letters, digits and hyphens, e.g. ky-ket-chuong-trinh"


class Registries:
    def __init__(self, agencies: Registry, topics: Registry):
        self.agencies, self.topics = agencies, topics


def build_post(
    path: str, meta: dict[str, Located], body: str, registries: Registries, docs_dir: Path | None = None, body_line: int = 1
) -> tuple[Post | None, list[Problem]]:
    """Check every field; return the post (if usable) and all problems found."""
    check = _Checker(path, meta)
    for key in meta.keys() - set(FIELDS):
        hint = did_you_mean(text.closest(key, list(FIELDS))) or f"known fields: {', '.join(FIELDS)}"
        check.problem(key, "unknown field", hint)
    title = check.text("title", required=True)
    date = check.date("date", required=True)
    slug = _slug(check, title)
    image = check.text("image")
    image_alt = check.text("image_alt")
    if image:
        _check_image(check, image, image_alt, docs_dir)
    if not body.strip():
        check.problem("body", "the article has no text", "write the article below the closing ---", line=check.end_line)
    post = Post(
        path=path,
        title=title,
        date=date,
        slug=slug,
        body=body,
        summary=check.text("summary") or text.shorten(first_paragraph(body), SUMMARY_WIDTH),
        authors=check.authors(),
        agencies=check.terms("agencies", registries.agencies),
        topics=check.terms("topics", registries.topics),
        image=image,
        image_alt=image_alt,
        image_caption=check.text("image_caption"),
        updated=check.date("updated"),
        expires=check.date("expires"),
        draft=check.flag("draft"),
        pinned=check.flag("pinned"),
        lines={"body": body_line, **{key: located.line for key, located in meta.items()}},
    )
    return (None if check.problems or not (title and date) else post), sorted(check.problems)


def _slug(check: _Checker, title: str) -> str:
    """The article's URL segment: its ``slug:``, else made from the title; one safe segment either way."""
    written = check.text("slug")
    if written:
        if len(written) > urls.SEGMENT_MAX:  # a folder name the file system may refuse
            check.problem("slug", f"is longer than {urls.SEGMENT_MAX} characters", "shorten it to the few words that say what the article is")
        elif not urls.is_segment(written):
            check.problem("slug", f'"{written}" is not a valid slug', _SLUG_HINT)
        return written
    slug = text.slugify(title)
    if title and not slug:
        check.problem("title", "has no letters or digits to make the article's address from", "add a line such as: slug: thong-bao-moi")
    return slug


def _check_image(check: _Checker, image: str, image_alt: str, docs_dir: Path | None) -> None:
    """A picture is a file under docs/ or an http(s) address."""
    if urls.scheme(image) or image.startswith("//"):
        if urls.scheme(image) not in ("http", "https"):
            check.problem("image", f'"{image}" is neither a file under docs/ nor an http(s) address', "write a path such as assets/anh.jpg, or https://...")
    elif ".." in image.replace("\\", "/").split("/"):
        check.problem("image", f'"{image}" leaves the docs/ folder', "put the picture under docs/ and write its path from there")
    elif docs_dir is not None and not _is_file(docs_dir / image.lstrip("/")):
        check.problem("image", f'"{image}" does not exist in {docs_dir.name}/', "put the picture there or fix the path")
    if not image_alt:
        check.problem("image", "has no image_alt", "describe the picture for readers who cannot see it")


def _is_file(path: Path) -> bool:
    """Path.is_file, False too for a name the system refuses (too long: ENAMETOOLONG)."""
    try:
        return path.is_file()
    except OSError:
        return False


class _Checker:
    """Reads typed values out of front matter, recording each problem."""

    def __init__(self, path: str, meta: dict[str, Located]):
        self.path, self.meta = path, meta
        self.problems: list[Problem] = []
        self.end_line = max((loc.line for loc in meta.values()), default=1) + 1

    def problem(self, key: str, message: str, hint: str = "", line: int | None = None) -> None:
        line = line or (self.meta[key].line if key in self.meta else 1)
        self.problems.append(Problem(self.path, line, key, message, hint))

    def _get(self, key: str, required: bool) -> Any:
        if key not in self.meta:
            if required:
                self.problem(key, "missing", f"add a line such as: {key}: ...")
            return None
        value = self.meta[key].value
        if value is None:
            self.problem(key, "has no value", f"write a value after {key}: or delete the line")
        return value

    def text(self, key: str, required: bool = False) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str) or isinstance(value, DateText):
            hint = f'put it in quotes: {key}: "{value}"' if _is_scalar(value) else "write it as text on one line"
            self.problem(key, f"must be text, not {_kind(value)}", hint)
            return ""
        if not value.strip():
            self.problem(key, "is empty")
        return value.strip()

    def date(self, key: str, required: bool = False) -> dates.PostDate | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(key, f"must be a date, not {_kind(value)}", dates.DATE_HINT)
            return None
        try:
            return dates.parse(value)
        except ValueError as error:
            self.problem(key, str(error), getattr(error, "hint", dates.DATE_HINT))
            return None

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, not {_kind(value)}", f"write {key}: true or {key}: false, without quotes")
            # Never publish by accident: an unreadable draft flag counts as a draft.
            return key == "draft"
        return value

    def names(self, key: str) -> list[str]:
        """A list of names; one name alone is taken as a one-item list."""
        value = self._get(key, False)
        if value is None:
            return []
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            what = "a list with an empty or non-text item" if isinstance(values, list) else _kind(value)
            self.problem(key, f"must be a name or a list of names, not {what}", f"write {key}: [Name one, Name two]")
            return []
        return [" ".join(v.split()) for v in values]

    def authors(self) -> tuple[Author, ...]:
        """Bylines; each needs letters or digits for its page's address."""
        lines = self.meta["authors"].item_lines if "authors" in self.meta else ()
        authors = []
        for index, name in enumerate(self.names("authors")):
            author = Author(name)
            if author.slug:  # its page's address
                authors.append(author)
            else:
                line = lines[index] if index < len(lines) else None
                self.problem("authors", f'"{name}" has no letters or digits to make the author\'s page address from', "write the author's name", line=line)
        return tuple(authors)

    def terms(self, key: str, registry: Registry) -> tuple[Term, ...]:
        found: dict[Term, str] = {}  # term -> the name it was first written as
        lines = self.meta[key].item_lines if key in self.meta else ()
        for index, name in enumerate(self.names(key)):
            line = lines[index] if index < len(lines) else None
            term = registry.lookup(name)
            if term is None:
                self.problem(key, *unknown_term(registry, name), line=line)
            elif term in found:
                self.problem(key, f'"{name}" is already listed as "{found[term]}"', "keep one", line=line)
            else:
                found[term] = name
        return tuple(found)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _kind(value: Any) -> str:
    """How an editor would describe what YAML read."""
    if isinstance(value, DateText):
        return "a date"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the text "{value}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return "an empty value" if value is None else type(value).__name__
