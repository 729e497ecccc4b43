"""``newsroom preview``: the site on loopback while editors write, updated within about a second.

``mkdocs serve`` rebuilds every page after each save (15 s at 10,000
articles) and, while a save has an error, serves nothing. Here:

- The first build is a full MkDocs build, without the search index (a
  preview is for reading pages; ``scripts/build`` makes the search).
- A save under posts/ is an *update*: only changed files are read again, the
  site is planned again, and only pages and feeds whose inputs changed are
  written (``newsroom.incremental``); the few pages MkDocs renders itself are
  rendered again and written only if their bytes differ. Any other change (a
  registry, a template, mkdocs.yml, docs/, a new picture) is a full build,
  into a new folder that replaces the served one only when it succeeds.
- An error never blanks the preview: the last good pages stay served, every
  page shows the error lines in a banner, and the browser reloads when the
  file is fixed. When the very first build fails, every address serves the
  banner until it is fixed.

Run as ``python hooks/preview.py`` by ``newsroom preview`` (newsroom/cli.py).
"""

from __future__ import annotations

import argparse
import gc
import html
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import webbrowser
from pathlib import Path
from urllib.parse import urlsplit

import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.commands.build import _populate_page, build, get_context
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure.files import InclusionLevel

if str(Path(__file__).parent) not in sys.path:  # the hook's own helper modules beside it
    sys.path.insert(0, str(Path(__file__).parent))
from pagewriter import ListItems, is_direct, write_if_changed  # noqa: E402

from newsroom import clock, incremental, pages, pictures, reader, urls  # noqa: E402
from newsroom.problems import Problems  # noqa: E402

log = logging.getLogger("mkdocs.newsroom.preview")


class Preview:
    """The served site and what it was built from; ``rebuild`` brings it up to date with the files."""

    def __init__(self, config_file: Path, serve_url: str):
        self.config_file, self.serve_url = config_file.resolve(), serve_url
        self.workdir = Path(tempfile.mkdtemp(prefix="newsroom-preview-"))
        self.root = self.workdir / "empty"  # served until a build succeeds
        self.root.mkdir()
        self.problems: list[str] = []  # what the banner shows; empty when the pages are up to date
        self.edition: incremental.Edition | None = None
        self._stamp: dict[str, int] = {}
        self._posts_dir, self._sources = _watched(self.config_file)  # read from mkdocs.yml at each full build
        self._state: dict = {}  # the hook's state of the build that made the served pages
        self._portal = None
        self._config = None
        self._pictured: set = set()  # posts whose bodies show their pictures' variants already
        # Paths the watcher reported since the served pages were made: an update looks at those
        # files only. Without a watcher (events False), or after a folder changed, it looks at all.
        self.events = False
        self._changed: set[str] = set()
        self._everything = False
        self._lock = threading.Lock()

    def saw(self, paths, folder: bool = False) -> None:
        """The watcher's report (from its own thread): these paths changed; ``folder``: a whole folder did."""
        with self._lock:
            self._changed.update(paths)
            self._everything |= folder

    def rebuild(self) -> str:
        """Update the served pages from the files; what was done ("full", "update", "failed")."""
        started = time.perf_counter()
        gc.disable()  # an update makes a hundred thousand short-lived objects: no collection halfway
        try:
            if self.edition is not None and self._sources_stamp() == self._stamp:
                try:
                    self._update()
                    done = "update"
                except incremental.NeedsFullBuild as why:
                    log.info(f"newsroom preview: {why}: building everything")
                    done = self._full()
            else:
                done = self._full()
        except Problems as error:
            done = self._failed([str(problem) for problem in error.problems])
        except Exception as error:  # noqa: BLE001 - a template's or the disk's: shown, and the next save builds everything
            log.exception("newsroom preview: the update failed")
            self._stamp = {}
            done = self._failed([f"{type(error).__name__}: {error}"])
        finally:
            # What this build or update made stays until the next: the collector need not walk it again
            # (a full collection over it would be a tenth of a second after every save).
            gc.freeze()
            gc.enable()
        if done != "failed":
            self.problems = []
        log.info(f"newsroom preview: {done} in {time.perf_counter() - started:.2f} s")
        return done

    def page_of(self, file: Path) -> str | None:
        """The address of the article in ``file`` (drafts included: the preview shows them), else None."""
        if self.edition is None:
            return None
        shown = reader.shown(file, self._state["settings"].project_dir)
        post = self.edition.posts.get(shown)
        return self.serve_url + post.url if post is not None else None

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    # A full build, into a new folder served only once it succeeded.

    def _full(self) -> str:
        self._posts_dir, self._sources = _watched(self.config_file)  # mkdocs.yml may name other folders now
        stamp = self._sources_stamp()
        with self._lock:  # the build reads every file; changes reported from here on are for the next update
            self._changed, self._everything = set(), False
        site_dir = Path(tempfile.mkdtemp(prefix="site-", dir=self.workdir))
        try:
            config = load_config(config_file=str(self.config_file), site_dir=str(site_dir))
            config.site_url = self.serve_url  # links, feeds and the sitemap point at the preview
            portal = _portal(config)
            # Read before the build: a save while it runs is read again by the next update.
            found = self._found()
            portal.preview = True  # for this build only: the module is shared with any other build in this process
            try:
                build(config, serve_url=self.serve_url)
            finally:
                portal.preview = False
        except Exception as error:  # noqa: BLE001 - editors' mistakes, or a template's: shown, never the end of the preview
            shutil.rmtree(site_dir, ignore_errors=True)
            if hasattr(error, "problems"):  # hooks/portal.py ProblemsAbort: one line per problem
                return self._failed([str(problem) for problem in error.problems])
            if not isinstance(error, Abort):
                log.exception("newsroom preview: the build failed")
            return self._failed([f"{type(error).__name__}: {error}"])
        self._portal, self._config, self._state = portal, config, portal._state
        state = self._state
        self.edition = incremental.first_edition(state["posts"], found, state["collection"], state["plan"], is_direct)
        self._pictured = {post for post in state["collection"].posts if post.images}
        self._stamp = stamp
        old, self.root = self.root, site_dir
        log.info(f"newsroom preview: pages in {site_dir}")
        if old.name != "empty":  # in the background: tens of thousands of files take seconds
            threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}, daemon=True).start()
        gc.unfreeze()  # what earlier updates left frozen is collected once here
        gc.collect()
        return "full"

    def _found(self) -> dict:
        """Every article file and its signature, not its bytes: the build reads those (a digest, "", comes with an update)."""
        if not self._posts_dir.is_dir():
            return {}  # the build names the problem
        found, _ = incremental.scan(self._posts_dir, self.config_file.parent)
        return {shown: (file, signature, "") for shown, (file, signature) in found.items()}

    def _failed(self, lines: list[str]) -> str:
        self.problems = lines
        for line in lines:
            log.error(line)
        return "failed"

    # An update: only what the saved articles change.

    def _update(self) -> None:
        portal, config, state = self._portal, self._config, self._state
        portal._state = state  # the hook's events (MkDocs' own pages) read this build's state
        settings, registries, renderer = state["settings"], state["registries"], state["renderer"]

        def read(file: Path, shown: str):
            return reader.read_post(file, shown, registries, settings.docs_dir, renderer)

        def plan(collection):
            return pages.plan_site(collection, registries, settings.per_page, config.site_description or "", None)

        with self._lock:  # what changed from here on is for the next update
            changed, self._changed = self._changed, set()
            everything, self._everything = self._everything or not self.events, False
        try:
            update = incremental.next_edition(self.edition, settings.posts_dir, settings.project_dir, read, clock.now(),
                                              config.site_url, plan, is_direct, None if everything else changed)
            if update.moved:  # a page may have come: not in the way of a docs/ file?
                portal.check_docs_clash(state["files"], config, update.edition.plan.specs, update.edition.plan.feeds)
        except BaseException:  # the files are looked at again next time
            self.saw(changed, everything)
            raise
        self._write(update)
        self.edition = update.edition

    def _write(self, update: incremental.Update) -> None:
        state, env, writer = self._state, self._state["env"], self._state["writer"]
        collection, plan = update.edition.collection, update.edition.plan
        state["collection"], state["feeds"] = collection, plan.feeds
        env.globals["collection"] = collection
        env.globals["list_item"] = ListItems(env)  # its cache knows the old articles
        render = env.get_template("partials/picture.html").module.picture
        for post in update.arrived:
            if post.images and post not in self._pictured:
                post.html = pictures.rewrite_body(post, state["gallery"], render)
                self._pictured.add(post)
        state["specs"] = {spec.src_uri: spec for spec in update.edition.others}
        writer.rewrite(update.pages, update.feeds, update.edition.written, update.moved)
        for url in update.gone_pages:
            _remove(writer.site_dir, urls.inside(writer.site_dir, url, "index.html"))
        for url in update.gone_feeds:
            _remove(writer.site_dir, urls.inside(writer.site_dir, url))
        for spec in state["specs"].values():
            self._render_mkdocs_page(spec)
        if update.moved:  # else every page kept its address and date
            writer.write_sitemap()
        log.info(f"newsroom preview: {len(update.pages)} page(s) and {len(update.feeds)} feed(s) written, "
                 f"{len(update.gone_pages) + len(update.gone_feeds)} removed")

    def _render_mkdocs_page(self, spec: pages.PageSpec) -> None:
        """A page MkDocs renders (the front page, an index), as its build does; written only if it changed."""
        config, files, env, nav = self._config, self._state["files"], self._state["env"], self._state["nav"]
        page = files.get_file_from_path(spec.src_uri).page
        _populate_page(page, config, files)
        page.active = True
        try:
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            context = config.plugins.on_page_context(get_context(nav, doc_files, config, page), page=page, config=config, nav=nav)
            output = env.get_template(page.meta.get("template", "main.html")).render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
        finally:
            page.active = False
        write_if_changed(Path(page.file.abs_dest_path), output.encode("utf-8", errors="xmlcharrefreplace"))

    def _sources_stamp(self) -> dict[str, int]:
        """Every file but the articles that a build reads: a change to any of them is a full build."""
        stamp = {}
        for path in self._sources:
            for file in [path] if path.is_file() else path.rglob("*") if path.is_dir() else []:
                if file.is_file() and "__pycache__" not in file.parts:
                    stamp[str(file)] = file.stat().st_mtime_ns
        return stamp


def _portal(config):
    """The hook module MkDocs loaded for this configuration (hooks/portal.py, however mkdocs.yml names its path)."""
    return next(module for name, module in config.hooks.items() if Path(name).name == "portal.py")


def _watched(config_file: Path) -> tuple[Path, list[Path]]:
    """What a build reads, as mkdocs.yml names it: the articles' folder, and the rest (the file itself, docs/,
    registries, the theme, the code)."""
    from newsroom import site

    project = config_file.parent
    try:
        config = site.read_config(config_file)
    except Problems:
        config = {}
    extra = (config.get("extra") or {}).get("newsroom") or {}
    theme = config.get("theme") or {}
    named = [config.get("docs_dir", "docs"), extra.get("registries_dir", "registries"),
             theme.get("custom_dir") if isinstance(theme, dict) else None, *(config.get("watch") or [])]
    posts = extra.get("posts_dir", "posts")
    return project / str(posts), [config_file, *(project / name for name in named if isinstance(name, str))]


def _remove(site_dir: Path, file: Path) -> None:
    """Delete a page or feed no longer planned, and the folders it leaves empty."""
    file.unlink(missing_ok=True)
    folder = file.parent
    while folder != site_dir and site_dir in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


CHANGES = {watchdog.events.EVENT_TYPE_CREATED, watchdog.events.EVENT_TYPE_MODIFIED, watchdog.events.EVENT_TYPE_DELETED,
           watchdog.events.EVENT_TYPE_MOVED, watchdog.events.EVENT_TYPE_CLOSED}
_BODY = re.compile(rb"<body[^>]*>")
_NO_SITE = '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Bản xem trước</title><body></body></html>'.encode()
BANNER_STYLE = ("position:sticky;top:0;z-index:100;margin:0;padding:.75rem 1rem;background:#fff4e5;color:#1a1a1a;"
                "border-bottom:4px solid #b71c1c;font:16px/1.5 system-ui,sans-serif")


def banner(lines: list[str]) -> bytes:
    """The error lines over the last good page; every line escaped (they quote what editors wrote)."""
    shown = "\n".join(html.escape(line) for line in lines)
    return (f'<div id="nr-preview-error" role="alert" style="{BANNER_STYLE}"><strong>Bản xem trước chưa cập nhật:</strong> '
            "sửa các lỗi dưới đây rồi lưu lại; trang đang hiện là bản đúng gần nhất."
            f'<pre style="white-space:pre-wrap;margin:.5rem 0 0;font-size:14px">{shown}</pre></div>').encode("utf-8")


class Server(LiveReloadServer):
    """MkDocs' live-reload server, serving the preview's current folder, with the banner while there are errors."""

    def __init__(self, preview: Preview, host: str, port: int, mount_path: str):
        self.preview = preview
        super().__init__(builder=preview.rebuild, host=host, port=port, root=str(preview.root), mount_path=mount_path)
        self.build_delay = 0.05  # quiet this long after the last change before updating
        # Notified by the system (inotify) rather than by polling every file twice a second.
        self.observer = watchdog.observers.Observer()
        preview.events = True
        self.error_handler = self._error_page

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        """As MkDocs' server does, but only a change counts: opening or reading a file (the build reads
        docs/ and the theme) would start another update, and so on for ever."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            return
        self._watched_paths[path] = 1

        def changed(event):
            if event.event_type not in CHANGES:
                return
            self.preview.saw([event.src_path, getattr(event, "dest_path", "") or event.src_path], folder=event.is_directory)
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = changed
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def watch_all(self, paths: list[str]) -> None:
        try:
            for path in paths:
                self.watch(path)
        except OSError as error:  # no inotify here, or its limit of watches reached: poll as mkdocs serve does
            log.warning(f"newsroom preview: the system does not report changes ({error}); looking for them every half second")
            self.observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
            self._watched_paths.clear()
            self._watch_refs.clear()
            for path in paths:
                self.watch(path)

    def _serve_request(self, environ, start_response):
        self.root = str(self.preview.root)  # a full build switched folders
        return super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content, epoch):
        content = super()._inject_js_into_html(content, epoch)
        if self.preview.problems and (body := _BODY.search(content)):
            content = content[: body.end()] + banner(self.preview.problems) + content[body.end() :]
        return content

    def _error_page(self, code: int) -> bytes | None:
        not_found = Path(self.preview.root) / "404.html"
        page = not_found.read_bytes() if not_found.is_file() else _NO_SITE  # no site yet: the first build failed
        return self._inject_js_into_html(page, self._visible_epoch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsroom preview")
    parser.add_argument("file", nargs="?", type=Path, help="an article: its page is opened")
    parser.add_argument("--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-open", action="store_true", help="print the address, open no browser")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("mkdocs.plugins", "mkdocs.commands.build", "mkdocs.structure"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    mount_path = urlsplit(_site_url(args.config_file)).path or "/"
    host = "127.0.0.1"  # loopback only: a preview shows drafts-to-be and errors, never to the network
    preview = Preview(args.config_file, _serve_url(host, args.port, mount_path))
    server = Server(preview, host, args.port, mount_path)
    try:
        preview.rebuild()
        server.watch_all([str(path) for path in [preview._posts_dir, *preview._sources] if path.exists()])
        address = (preview.page_of(args.file) if args.file else None) or preview.serve_url
        if args.file and address == preview.serve_url:
            print(f"newsroom preview: {args.file} is not an article of this site, or has errors: opening the front page", flush=True)
        print(f"newsroom preview: {address}", flush=True)
        if not args.no_open:
            webbrowser.open(address)
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        preview.close()
    return 0


def _site_url(config_file: Path) -> str:
    from newsroom import site

    try:
        return str(site.read_config(config_file).get("site_url") or "/")
    except Problems:
        return "/"


if __name__ == "__main__":
    sys.exit(main())
