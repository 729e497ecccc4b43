"""Registries of agencies and topics: canonical names, slugs, aliases.

Editors may name a term by any of its names; matching ignores case, NFC/NFD
and tone-mark placement (see ``text.fold``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import text, urls
from .problems import Problem, Problems, did_you_mean
from .yamlfile import Located, load_list_of_mappings

AGENCY_FIELDS = {"name", "name_en", "slug", "short", "aliases", "parent", "description", "website"}
TOPIC_FIELDS = {"name", "slug", "aliases", "description"}


@dataclass(eq=False)
class Term:
    """An agency or a topic."""

    kind: str
    name: str
    slug: str
    name_en: str = ""  # for the English pages (an agency without one shows its Vietnamese name there)
    short: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str = ""
    website: str = ""
    parent_slug: str = ""
    parent: Term | None = None
    children: list[Term] = field(default_factory=list)

    @property
    def url(self) -> str:
        return (urls.AGENCIES if self.kind == "agency" else urls.TOPICS) + self.slug + "/"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.short, *self.aliases)


class Registry:
    def __init__(self, kind: str, terms: list[Term]):
        self.kind = kind
        self.terms = terms
        self.by_slug = {term.slug: term for term in terms}
        self._by_key = {text.fold(name): term for term in terms for name in term.names}

    def lookup(self, name: str) -> Term | None:
        return self._by_key.get(text.fold(name))

    def suggest(self, name: str) -> list[str]:
        return text.closest(name, [n for term in self.terms for n in term.names])

    @property
    def roots(self) -> list[Term]:
        return [term for term in self.terms if term.parent is None]

    @classmethod
    def load(cls, path: Path, kind: str, shown_path: str) -> Registry:
        """Read a registry file; raises ``Problems`` listing every error."""
        try:
            source = text.decode(path.read_bytes())
        except OSError as error:
            raise Problems([Problem(shown_path, 1, kind, f"cannot read the registry: {error.strerror}")]) from None
        except text.NotUtf8 as error:
            raise Problems([Problem(shown_path, 1, kind, f"not UTF-8 (looks like {error.encoding})", "save it as UTF-8")]) from None
        entries = load_list_of_mappings(source, shown_path, kind)
        builder = _Builder(kind, shown_path)
        for line, entry in entries:
            builder.add(line, entry)
        return builder.finish()


class _Builder:
    """Collects terms and every problem in a registry file."""

    def __init__(self, kind: str, path: str):
        self.kind, self.path = kind, path
        self.allowed = AGENCY_FIELDS if kind == "agency" else TOPIC_FIELDS
        self.terms: list[Term] = []
        self.lines: dict[int, int] = {}  # id(term) -> line
        self.problems: list[Problem] = []

    def add(self, line: int, entry: dict[str, Located]) -> None:
        for key in entry.keys() - self.allowed:
            hint = did_you_mean(text.closest(key, sorted(self.allowed)))
            self.problems.append(Problem(self.path, entry[key].line, key, "unknown field", hint or f"known fields: {', '.join(sorted(self.allowed))}"))
        name = self._text(entry, "name", line, required=True)
        if not name:
            return
        term = Term(
            kind=self.kind,
            name=name,
            name_en=self._text(entry, "name_en", line),
            slug=self._text(entry, "slug", line) or text.slugify(name),
            short=self._names(entry, "short"),
            aliases=self._names(entry, "aliases"),
            description=self._text(entry, "description", line),
            website=self._text(entry, "website", line),
            parent_slug=self._text(entry, "parent", line),
        )
        if not urls.is_segment(term.slug):
            where = entry["slug"].line if "slug" in entry else line
            written = f'"{term.slug}" is not a valid slug' if "slug" in entry else f'"{name}" has no letters or digits to make a slug from'
            if len(term.slug) > urls.SEGMENT_MAX:  # a folder name the file system may refuse
                written = f"is longer than {urls.SEGMENT_MAX} characters"
            self.problems.append(Problem(self.path, where, "slug", written, "use lower-case ASCII letters, digits and hyphens, e.g. so-y-te"))
            return
        if term.website and not term.website.startswith(("https://", "http://")):
            self.problems.append(Problem(self.path, entry["website"].line, "website", "must start with https://"))
        self.lines[id(term)] = line
        self.terms.append(term)

    def finish(self) -> Registry:
        self._check_unique()
        by_slug = {term.slug: term for term in self.terms}
        for term in self.terms:
            if term.parent_slug:
                term.parent = by_slug.get(term.parent_slug)
                if term.parent is None:
                    hint = did_you_mean(text.closest(term.parent_slug, list(by_slug)))
                    self.problems.append(Problem(self.path, self.lines[id(term)], "parent", f'"{term.parent_slug}" is not the slug of any entry', hint))
                else:
                    term.parent.children.append(term)
        self._check_cycles()
        if self.problems:
            raise Problems(self.problems)
        return Registry(self.kind, self.terms)

    def _check_cycles(self) -> None:
        """A term may not be its own ancestor: it would belong to no tree and vanish from the index."""
        for term in self.terms:
            seen, parent = {id(term)}, term.parent
            while parent is not None and id(parent) not in seen:
                seen.add(id(parent))
                parent = parent.parent
            if parent is term:
                self.problems.append(Problem(self.path, self.lines[id(term)], "parent", f'"{term.name}" is its own parent or ancestor', "give the chain of parents a top, with no parent"))

    def _check_unique(self) -> None:
        slugs: dict[str, Term] = {}
        keys: dict[str, Term] = {}
        for term in self.terms:
            line = self.lines[id(term)]
            if term.slug in slugs:
                self.problems.append(Problem(self.path, line, "slug", f'"{term.slug}" is already used by "{slugs[term.slug].name}"'))
            slugs[term.slug] = term
            for name in term.names:
                other = keys.setdefault(text.fold(name), term)
                if other is not term:
                    self.problems.append(Problem(self.path, line, "name", f'"{name}" already names "{other.name}"', "a name may belong to one entry only"))

    def _text(self, entry: dict[str, Located], key: str, line: int, required: bool = False) -> str:
        if key not in entry:
            if required:
                self.problems.append(Problem(self.path, line, key, "missing"))
            return ""
        value = entry[key].value
        if not isinstance(value, str) or not value.strip():
            self.problems.append(Problem(self.path, entry[key].line, key, "must be non-empty text"))
            return ""
        return value.strip()

    def _names(self, entry: dict[str, Located], key: str) -> tuple[str, ...]:
        if key not in entry:
            return ()
        value = entry[key].value
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            self.problems.append(Problem(self.path, entry[key].line, key, "must be a list of names"))
            return ()
        return tuple(v.strip() for v in values)


def unknown_term(registry: Registry, name: str) -> tuple[str, str]:
    """Message and hint for a name the registry does not know."""
    label = "agency" if registry.kind == "agency" else "topic"
    hint = did_you_mean(registry.suggest(name)) or f"add it to the {label} registry, or use a known name"
    return f'"{name}" is not a known {label}', hint

