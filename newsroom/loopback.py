"""A built site served over HTTP on loopback, under any sub-path: for browser tests and measurements."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import compress

# Debian's package (another binary may be named); Playwright's own browser download is never used.
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")  # a 404
        return super().translate_path("/" + path[len(self.prefix):])

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        # Gzipped as a host sends text (the files the build precompresses): what a browser
        # transfers from here is what a reader's phone would.
        if not (path.suffix.lower() in compress.SUFFIXES and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        ctype = self.guess_type(str(path))
        body = compress.gzip_bytes(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site_dir: Path, prefix: str = "/"):
    """``site_dir`` over HTTP on 127.0.0.1 under ``prefix``; yields the site's base URL."""
    handler = type("Handler", (_Handler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
