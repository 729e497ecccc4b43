"""MkDocs events turned into calls to the ``newsroom`` core, nothing more.

MkDocs does not reload hook modules between ``mkdocs serve`` rebuilds, so
``on_config`` starts every build from empty state.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, InclusionLevel

from newsroom import body, breadcrumbs, clock, feeds, pages, search, site, urls
from newsroom import pictures, schedule, search_cache
from newsroom.problems import Problem, Problems

if str(Path(__file__).parent) not in sys.path:  # the hook's own helper module beside it
    sys.path.insert(0, str(Path(__file__).parent))
from pagewriter import ListItems, PageWriter, is_direct  # noqa: E402

log = logging.getLogger("mkdocs.hooks.portal")
_state: dict = {}
# Set by newsroom preview (hooks/preview.py): no search index, and the state
# of the last build is kept for the incremental updates that follow it.
preview = False


class ProblemsAbort(Abort):
    """The build stopped on editors' mistakes; ``problems`` lists them (a preview shows them on every page)."""

    def __init__(self, message: str, problems: list):
        super().__init__(message)
        self.problems = problems


def on_config(config):
    global _state
    _state = {}  # a new dict: a preview keeps the last build's (hooks/preview.py)
    if not config.site_url:
        raise Abort("mkdocs.yml: site_url: missing; feeds, the sitemap and canonical links need the site's public address")
    project_dir = Path(config.config_file_path).parent
    options = config.extra.get("newsroom")  # None when absent; anything else is checked
    _state["settings"] = _abort_on_problems(
        lambda: site.Settings.from_options(project_dir, Path(config.docs_dir), options, Path(config.config_file_path))
    )
    # Before MkDocs empties site_dir: "site_dir: posts" must not delete the articles.
    _abort_on_problems(lambda: site.check_site_dir(_state["settings"], Path(config.site_dir)))


def on_pre_build(config):
    # Posts are read by forked workers while MkDocs scans the docs and the theme.
    settings = _state["settings"]
    renderer = body.Renderer(config.markdown_extensions, config.mdx_configs, settings.embed_hosts)
    _state["renderer"] = renderer
    _state["loading"] = _abort_on_problems(lambda: site.Loading(settings, renderer))


def on_files(files, config):
    settings = _state["settings"]
    loading = _state.pop("loading")
    registries, collection = loading.registries, _abort_on_problems(lambda: loading.finish(clock.now(), config.site_url, unpublished=preview))
    _state["collection"], _state["posts"] = collection, loading.posts
    if loading.next_change is not None:  # a scheduler may rebuild then (newsroom next-change)
        log.info(f"newsroom: next change due {schedule.shown(loading.next_change)}")
    _state["registries"] = registries  # the English pages list the agencies (overrides/english.html)
    bundle_size = None if preview else settings.search_bundle_size
    plan = _abort_on_problems(lambda: pages.plan_site(collection, registries, settings.per_page, config.site_description or "", bundle_size))
    _state["plan"], _state["feeds"], _state["search_bundles"], specs = plan, plan.feeds, plan.search_bundles, plan.specs
    _abort_on_problems(lambda: check_docs_clash(files, config, specs, _state["feeds"]))
    for path in collection.withheld:  # pictures of articles that are not public yet
        if (file := files.get_file_from_path(path)) is not None:
            files.remove(file)
    _state["gallery"] = _abort_on_problems(lambda: _pictures(files, config, collection, settings))
    _state["direct"], _state["specs"] = [], {}  # written by the page writer / MkDocs pages
    for spec in specs:
        if is_direct(spec):
            _state["direct"].append(spec)
        else:
            _state["specs"][spec.src_uri] = spec
            _add_page(files, config, spec)
    return files


def on_nav(nav, config, files):
    _state["nav"] = nav
    return nav


def on_page_markdown(markdown, page, config, files):
    spec = _state["specs"].get(page.file.src_uri)
    if spec is None:
        return markdown
    # Material prints page.title and page.meta.description unescaped: hand it
    # escaped markup so an editor's "<" or quote stays text everywhere.
    page.title = Markup(escape(spec.title))
    page.meta["template"] = spec.template
    if spec.description:
        page.meta["description"] = Markup(escape(spec.description))
    if spec.last_change:  # for the sitemap: from the articles, never the build time
        page.meta["lastmod"] = spec.last_change
    return markdown


def on_page_context(context, page, config, nav):
    context["view"] = _state["specs"].get(page.file.src_uri)
    return context


def on_env(env, config, files):
    env.globals["urls"] = urls  # templates link generated pages by the one URL layout
    env.globals["site_feed"] = urls.feed(urls.HOME)
    env.globals["collection"] = _state["collection"]
    env.globals["registries"] = _state["registries"]
    env.globals["list_item"] = ListItems(env)
    env.globals["pictures"] = gallery = _state["gallery"]
    render = env.get_template("partials/picture.html").module.picture
    for post in _state["collection"].posts:
        if post.images:  # before the writers fork: they inherit it
            post.html = pictures.rewrite_body(post, gallery, render)
    env.globals["breadcrumbs"] = breadcrumbs.trail
    # Articles, listings and feeds are written by forked workers from here on,
    # while MkDocs copies the theme's assets and renders its own pages.
    search.clear_sources(Path(config.site_dir))  # before any is written: none left by a stopped build
    writer = PageWriter(config, env, _state["nav"], files, search_sources=not preview)
    _state["env"], _state["files"] = env, files
    writer.start(_state["direct"], _state["feeds"])
    _state["writer"] = writer
    return env


def on_serve(server, config, builder):
    settings = _state["settings"]
    for folder in (settings.posts_dir, settings.registries_dir):
        server.watch(str(folder))
    return server


def on_post_build(config):
    writer = _state["writer"]
    writer.finish()
    if not preview:
        _state.pop("writer")
        try:
            cache = _state["settings"].project_dir / search_cache.CACHE_FOLDER
            search.build_index(Path(config.site_dir), _state["search_bundles"], cache, writer.search_digests())
        except (OSError, RuntimeError) as error:
            raise Abort(f"the search index was not built: {error}") from None
    writer.write_sitemap()
    sitemap = urls.absolute(config.site_url, urls.SITEMAP)
    (Path(config.site_dir) / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n", encoding="utf-8")


def on_build_error(error):
    # Stop the workers of a build that failed half-way (mkdocs serve goes on running).
    for job in (_state.pop("loading", None), _state.pop("writer", None)):
        if job is not None:
            job.cancel()


def _abort_on_problems(load):
    try:
        return load()
    except Problems as error:
        for problem in error.problems:
            log.error(str(problem))
        raise ProblemsAbort(f"{len(error.problems)} problem(s) in articles or registries; the site was not built.", error.problems)


def check_docs_clash(files, config, specs, feed_plans):
    """A file in docs/ must not land where the build writes a page or a feed; raises ``Problems``."""
    docs_dir = Path(config.docs_dir)
    ours = {file.dest_uri: file for file in files if file.abs_src_path and docs_dir in Path(file.abs_src_path).parents}
    generated = [(spec.url + "index.html", spec.url) for spec in specs]
    generated += [(name, name) for name in (*(feed.url for feed in feed_plans), *urls.SITE_FILES)]
    clashes = [Problem(f"{docs_dir.name}/{ours[dest].src_uri}", 1, "file", f"is in the way of the generated /{url}", "rename or remove it")
               for dest, url in generated if dest in ours]
    if clashes:
        raise Problems(clashes)


def _pictures(files, config, collection, settings):
    """Variants of the public articles' pictures, made or taken from the cache; MkDocs copies them into site/."""
    started = time.perf_counter()
    gallery = pictures.prepare(collection.posts, settings.docs_dir, settings.project_dir / pictures.CACHE_FOLDER, config.site_url)
    for path, cached in gallery.files():
        if (file := files.get_file_from_path(path)) is not None:
            files.remove(file)  # the original, metadata and all: its stripped copy takes its place
        files.append(File.generated(config, path, abs_src_path=str(cached)))
    log.info(f"pictures: {len(gallery.pictures)} ({gallery.made} made, the rest from {pictures.CACHE_FOLDER}/) in {time.perf_counter() - started:.2f} s")
    return gallery


def _add_page(files, config, spec):
    files.append(File.generated(config, spec.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
