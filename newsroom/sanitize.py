"""Article HTML made safe: an allow-list applied to what Markdown produced.

Sanitizing the HTML *after* Markdown means attr_list (``{: onclick=... }``) and
md_in_html cannot get around it. nh3 (the Rust ammonia sanitizer) writes the
output; ``inspect`` reads the same HTML with Python's own parser only to tell
the editor what was wrong and where: active content (script, event handlers,
``javascript:`` links, frames from unlisted hosts) is an error, harmless markup
the allow-list drops (a ``<font>`` from Word) is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from pygments.token import STANDARD_TYPES

from .urls import URL_NOISE, scheme

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var", "wbr",
}
# Never allowed: they run code, load other documents, submit data or change
# how the page itself is read. Script-like ones lose their content too.
ACTIVE_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "select", "textarea", "option", "base", "meta", "link", "svg", "math", "portal",
    "noscript", "template", "xml", "xss", "isindex", "keygen", "marquee", "param", "audio", "video",
    "source", "track", "canvas", "dialog", "slot",
}
CLEAN_CONTENT = {"script", "style", "template", "noscript", "xml", "textarea", "select", "option", "math", "svg"}
ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "style"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "loading", "referrerpolicy"},
}
# Classes written by the Markdown extensions and styled by the portal's CSS,
# plus Pygments' token classes inside highlighted code.
_PYGMENTS = {name for name in STANDARD_TYPES.values() if name}
_ADMONITIONS = {"admonition", "note", "abstract", "info", "tip", "success", "question", "warning",
                "failure", "danger", "bug", "example", "quote", "important", "caution", "hint", "error", "attention"}
CLASSES = {
    "p": {"caption", "admonition-title", "lead"},
    "div": {"footnote", "highlight", "caption", *_ADMONITIONS},
    "a": {"footnote-ref", "footnote-backref"},
    "sup": {"footnote-ref"},
    "span": {"caption", *_PYGMENTS},
    "code": {"highlight"},
    "pre": {"highlight"},
    "table": {"highlighttable"},
    "td": {"linenos", "code"},
    "figure": {"caption"},
    "img": {"caption"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DANGEROUS_SCHEMES = {"javascript", "vbscript", "data", "livescript", "mocha", "file", "blob", "filesystem", "jar"}
# Attributes whose value a browser may load or follow.
URL_ATTRIBUTES = {
    "href", "src", "cite", "action", "formaction", "poster", "background", "longdesc", "data", "srcset",
    "xlink:href", "ping", "manifest", "codebase", "dynsrc", "lowsrc", "usemap", "archive", "icon",
}
# Ids the theme's and the portal's own scripts and styles look up.
_RESERVED_ID = re.compile(r"^(_|md-|nr-|__)", re.IGNORECASE)
_TEXT_ALIGN = re.compile(r"^\s*text-align\s*:\s*(left|right|center|justify)\s*;?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """Something the sanitizer removes, and how to find it in the source."""

    active: bool  # True: an error; False: a warning (harmless markup dropped)
    message: str
    hint: str
    needles: tuple[str, ...]  # text to look for in the Markdown source, most precise first


def is_safe_url(url: str) -> bool:
    """Relative, or http(s), mailto: or tel:."""
    return scheme(url) in URL_SCHEMES | {""}


class Sanitizer:
    def __init__(self, embed_hosts: tuple[str, ...] = ()):
        self.embed_hosts = frozenset(host.lower() for host in embed_hosts)
        tags = TAGS | ({"iframe"} if self.embed_hosts else set())
        self._cleaner = nh3.Cleaner(
            tags=tags,
            clean_content_tags=CLEAN_CONTENT - tags,
            attributes={tag: names for tag, names in ATTRIBUTES.items() if tag == "*" or tag in tags},
            attribute_filter=self._keep,
            strip_comments=True,
            link_rel=None,
            url_schemes=URL_SCHEMES,
            allowed_classes=CLASSES,
        )

    def clean(self, html: str) -> str:
        return self._cleaner.clean(html)

    def inspect(self, html: str) -> list[Finding]:
        parser = _Inspector(self)
        parser.feed(html)
        parser.close()
        return parser.findings

    def references(self, clean_html: str) -> tuple[list[str], list[str]]:
        """Every ``<a href>`` and ``<img src>`` in HTML that ``clean`` wrote.

        Read from nh3's output, never from the editor's HTML: where Python's
        parser and html5ever disagree (a comment closed by "--!>", a repeated
        href, ``<image>``), only the output says what readers get.
        """
        if "<a " not in clean_html and "<img " not in clean_html:
            return [], []
        parser = _References()
        parser.feed(clean_html)
        parser.close()
        return parser.links, parser.images

    def embed_allowed(self, src: str) -> bool:
        parts = urlsplit(URL_NOISE.sub("", src).strip())
        return parts.scheme == "https" and (parts.hostname or "") in self.embed_hosts

    def _keep(self, tag: str, name: str, value: str) -> str | None:
        """nh3's per-attribute check, for what its tables cannot say."""
        if name == "id" and _RESERVED_ID.match(value):
            return None
        if name == "style":
            return value if _TEXT_ALIGN.match(value) else None
        if tag == "iframe" and name == "src":
            return value if self.embed_allowed(value) else None
        if name in URL_ATTRIBUTES and not is_safe_url(value):
            return None
        return value


class _References(HTMLParser):
    """The links and pictures of sanitized HTML (quoted attributes, no comments: read alike by every parser)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href") is not None:
            self.links.append(values["href"])
        if tag == "img" and values.get("src") is not None:
            self.images.append(values["src"])

    handle_startendtag = handle_starttag


class _Inspector(HTMLParser):
    """Walks the HTML and records what the allow-list removes."""

    def __init__(self, sanitizer: Sanitizer):
        super().__init__(convert_charrefs=True)
        self.sanitizer = sanitizer
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_pi(self, data: str) -> None:
        self._found(True, "a processing instruction <?...>", "remove it", "<?")

    def unknown_decl(self, data: str) -> None:
        self._found(True, f"the declaration <![{data[:20]}", "remove it", "<![")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "iframe" and self.sanitizer.embed_allowed(values.get("src", "")):
            pass
        elif tag == "iframe":
            host = urlsplit(values.get("src", "")).hostname or "no address"
            self._found(True, f"an <iframe> from {host}", "only hosts listed in extra.newsroom.embed_hosts in mkdocs.yml may be embedded", f"<{tag}")
        elif tag in ACTIVE_TAGS:
            self._found(True, f"the <{tag}> element", "articles may not carry scripts, frames, forms or page settings; remove it", f"<{tag}")
        elif tag not in TAGS:
            self._found(False, f"<{tag}> is not allowed and is dropped (its text is kept)", "remove the tag", f"<{tag}")
        for name, value in values.items():
            self._attribute(tag, name, value, warn=tag in TAGS)

    def _attribute(self, tag: str, name: str, value: str, warn: bool) -> None:
        """Active attributes are errors on any tag; the rest are worth a warning on allowed tags only."""
        if name.startswith("on"):
            self._found(True, f'the event handler {name}="…" on <{tag}>', "articles may not carry scripts; remove it", name, value)
        elif name in URL_ATTRIBUTES and scheme(value) in DANGEROUS_SCHEMES:
            after = value.split(":", 1)[-1][:40]  # found in the source even when the scheme was written as entities
            self._found(True, f"a {scheme(value)}: address in {name} of <{tag}>", "link to an http(s) address or a page of this site", value, after, name)
        elif not warn:
            pass
        elif name in URL_ATTRIBUTES and not is_safe_url(value):
            self._found(False, f'the {scheme(value)}: address in {name} of <{tag}> is dropped', "use an http(s), mailto: or tel: address", value)
        elif name == "style":
            if not (tag in ("td", "th") and _TEXT_ALIGN.match(value)):
                self._found(False, f"the style attribute on <{tag}> is dropped", "the site's own style applies; remove it", "style=", name)
        elif name == "id" and _RESERVED_ID.match(value):
            self._found(False, f'the id "{value}" is reserved for the site and is dropped', "choose an id that starts with a letter", value)
        elif name == "class":
            unknown = [c for c in value.split() if c not in CLASSES.get(tag, ())]
            if unknown:
                self._found(False, f'the class "{" ".join(unknown)}" on <{tag}> is not one the site styles and is dropped', "remove it", unknown[0])
        elif name not in ATTRIBUTES["*"] and name not in ATTRIBUTES.get(tag, ()):
            self._found(False, f'the attribute {name} on <{tag}> is not allowed and is dropped', "remove it", name)

    def _found(self, active: bool, message: str, hint: str, *needles: str) -> None:
        self.findings.append(Finding(active, message, hint, tuple(n for n in needles if n)))
