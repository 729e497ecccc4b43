"""Writes the generated articles and listings straight into site/.

Material's page chrome (header, navigation, footer, scripts) is the same on
every generated page at one URL depth. Rendering it through MkDocs for each of
thousands of pages was most of the build, so it is rendered once per depth with
placeholders, and each page fills in its own title, head, canonical URL and
content from the portal's partial templates. Pages and feeds are shared
among forked worker processes, started as soon as MkDocs has its navigation.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from jinja2 import pass_context
from markupsafe import Markup, escape
from mkdocs.commands.build import get_context
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from newsroom import compress, feeds, metadata, pages, parallel, search, urls

# Unique ASCII tokens: they pass unchanged through escaping and templates.
TOKENS = {name: f"@@newsroom-{name}@@" for name in ("title", "description", "canonical", "head", "content")}
_TOKEN = re.compile(r"@@newsroom-(\w+)@@")
CONTENT_TEMPLATES = {pages.ARTICLE: "partials/article.html", pages.LISTING: "partials/listing.html"}


class ListItems:
    """``list_item(post, summaries)`` for templates, rendered once per post and style (in each worker).

    An article appears on a dozen listings (home, year, month, each agency,
    topic and author) and under related articles, at several URL depths. Its
    entry is rendered once with a marker where the path to the site root goes;
    the marker has a "<", which escaped editor text can never contain.
    """

    _ROOT = Markup("<nr-root>")

    def __init__(self, env):
        self._template = env.get_template("partials/news-item.html")
        self._rendered: dict[tuple, str] = {}

    @pass_context
    def __call__(self, context, post, summaries: bool = True) -> Markup:
        key = (id(post), summaries)
        if key not in self._rendered:
            self._rendered[key] = self._template.render(post=post, summaries=summaries, base_url=self._ROOT)
        return Markup(self._rendered[key].replace(self._ROOT, escape(context["base_url"])))


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file holds it already (a preview rewrites no unchanged file); whether it wrote."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _write_new(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def is_direct(spec: pages.PageSpec) -> bool:
    """Articles and listings are written here; the home page stays in MkDocs' nav."""
    return spec.template in CONTENT_TEMPLATES and spec.url != urls.HOME


class PageWriter:
    def __init__(self, config, env, nav, files, search_sources: bool = True):
        self.config, self.env, self.nav, self.files = config, env, nav, files
        self.search_sources = search_sources  # a preview has no search index (hooks/preview.py)
        self.site_dir = Path(config.site_dir)
        self._skeletons: dict[int, str] = {}
        self._head = env.get_template("partials/news-head.html")
        self._content = {kind: env.get_template(name) for kind, name in CONTENT_TEMPLATES.items()}
        self._work: parallel.Shared | None = None
        self.written: list[SimpleNamespace] = []  # for the sitemap
        self._put = _write_new

    def start(self, specs: list[pages.PageSpec], feed_plans: list[feeds.Feed]) -> None:
        """Start writing every page and feed in forked workers, while MkDocs goes on with its own pages."""
        for depth in {spec.url.count("/") for spec in specs}:
            self._skeleton(depth)  # rendered before forking, so every worker has them
        items = [*feed_plans, *specs]  # feeds first: a big one is never left for last
        self._work = parallel.Shared(self._write_item, items, parallel.worker_count(len(items)))

    def finish(self) -> None:
        """Join in until every page (and every article's search source) is written."""
        self.written = [page for page in self._work.results() if page is not None]
        self._work = None

    def search_digests(self) -> dict[str, str]:
        """Article URL -> the digest of its search source page (``search.write_source``), for every one written."""
        return {page.url: page.search_digest for page in self.written if page.search_digest}

    def rewrite(self, specs: list[pages.PageSpec], feed_plans: list[feeds.Feed], planned: list[pages.PageSpec], moved: bool = True) -> None:
        """Write only these pages and feeds (a preview's update); the sitemap then lists every page ``planned``.

        A page not written again has the same plan as before, so its sitemap entry is kept; ``moved`` False:
        no page came, went or changed its date, so the entries stay as they are.
        """
        self._put = write_if_changed  # a page may come out as it was (an article's new body, not its summary)
        try:
            self.start(specs, feed_plans)
            self._work.results()
        finally:
            self._work, self._put = None, _write_new
        if not moved:
            return
        kept = {page.url: page for page in self.written}
        kept.update((spec.url, self.entry(spec)) for spec in specs)
        self.written = [kept[spec.url] for spec in planned]

    def cancel(self) -> None:
        if self._work is not None:
            self._work.cancel()
            self._work = None

    def _write_item(self, item):
        if isinstance(item, feeds.Feed):
            target = urls.inside(self.site_dir, item.url)
            self._put(target, feeds.render(item, self.config.site_url, self.config.site_name))
            return None
        return self._write(item)

    def entry(self, spec: pages.PageSpec) -> SimpleNamespace:
        """The page as templates and the sitemap see it."""
        page = SimpleNamespace(
            url=spec.url, title=escape(spec.title), is_homepage=False, is_link=False, toc=[], meta={"lastmod": spec.last_change},
            canonical_url=urls.absolute(self.config.site_url, spec.url),
            content=spec.post.html if spec.post else "",  # converted and sanitized while the posts were read
            search_digest=None,  # of the article's search source page, once written
        )
        page.page = page  # the sitemap template reads file.page
        return page

    def _write(self, spec: pages.PageSpec) -> SimpleNamespace:
        page = self.entry(spec)
        context = {"config": self.config, "page": page, "view": spec, "base_url": get_relative_url(".", spec.url)}
        if spec.post is not None:
            context["json_ld"] = metadata.news_article(spec.post, self.config.site_url, self.config.site_name)
            context["image_url"] = urls.absolute(self.config.site_url, spec.post.image) if spec.post.image else ""
        filled = {
            "title": str(escape(spec.title)),
            "description": str(escape(spec.description or self.config.site_description or "")),
            "canonical": page.canonical_url,
            "head": self._head.render(context),
            "content": self._content[spec.template].render(context),
        }
        # One pass over the skeleton: text filled in is never searched for tokens again.
        html = _TOKEN.sub(lambda match: filled[match.group(1)], self._skeleton(spec.url.count("/")))
        target = urls.inside(self.site_dir, spec.url, "index.html")
        self._put(target, html.encode("utf-8"))
        if spec.searchable and self.search_sources:  # the page Pagefind indexes (newsroom.search), written here in the worker
            page.search_digest = search.write_source(self.site_dir, spec.post)
        page.content = ""  # written to disk already: send no more than needed
        return page

    def write_sitemap(self) -> None:
        """The sitemap of MkDocs' pages and the pages written here."""
        listed = [*self.files.documentation_pages(), *self.written]
        xml = self.env.get_template("sitemap.xml").render(pages=listed, config=self.config).encode("utf-8")
        if write_if_changed(self.site_dir / "sitemap.xml", xml):  # a preview's update often leaves it as it was
            write_if_changed(self.site_dir / "sitemap.xml.gz", compress.gzip_bytes(xml))

    def _skeleton(self, depth: int) -> str:
        """Material's page with placeholders, for a page ``depth`` folders deep."""
        if depth not in self._skeletons:
            file = File.generated(self.config, "x/" * depth + "index.md", content="")
            page = Page(None, file, self.config)
            page.markdown, page.content, page.title = "", TOKENS["content"], TOKENS["title"]
            page.meta = {"description": TOKENS["description"]}
            page.canonical_url = TOKENS["canonical"]
            context = get_context(self.nav, self.files, self.config, page)
            context.update(placeholders=TOKENS, view=None)
            self._skeletons[depth] = self.env.get_template("skeleton.html").render(context)
        return self._skeletons[depth]
