"""`mkdocs serve` on loopback: live reload on, rebuilt when a post changes,
and serving again once an editor's mistake is saved and then fixed."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, wanted: str, seconds: float = 40) -> str:
    deadline, body = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if wanted in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{wanted!r} never appeared at {url}")


def test_serve_reloads_on_post_changes_and_survives_errors(tiny_site):
    post = tiny_site.post("2025/01/a.md", "title: Bản đầu\nslug: bai\ndate: 2025-01-01")
    port = free_port()
    tiny_site.write_config(site_url=f"http://127.0.0.1:{port}/")
    # Two page-writing workers: forking must also work inside the server's rebuild thread.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NEWSROOM_NOW": "2026-11-26T12:00", "NEWSROOM_WORKERS": "2"}
    server = subprocess.Popen([MKDOCS, "serve", "-a", f"127.0.0.1:{port}"], cwd=tiny_site.root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = f"http://127.0.0.1:{port}/2025/01/bai/"
        first = wait_for(page, "Bản đầu")
        assert "livereload" in first  # the reload script is injected: live reload is on with this click
        post.write_text(post.read_text(encoding="utf-8").replace("Bản đầu", "Bản sửa"), encoding="utf-8")
        wait_for(page, "Bản sửa")
        post.write_text(post.read_text(encoding="utf-8").replace("date: 2025-01-01", "date: 2025-13-01"), encoding="utf-8")
        time.sleep(3)  # the rebuild fails and logs the problem; the server must keep running
        assert server.poll() is None
        post.write_text(post.read_text(encoding="utf-8").replace("2025-13-01", "2025-01-01").replace("Bản sửa", "Bản cuối"), encoding="utf-8")
        wait_for(page, "Bản cuối")
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert 'posts/2025/01/a.md:4: date: "2025-13-01" is not a real date (month must be in 1..12)' in output
