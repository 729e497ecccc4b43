"""How long an editor waits, in ``newsroom preview``, from saving a file to seeing it in the browser.

Used by ``scripts/bench --preview``: the real command runs on loopback over
the bench's project; headless Chromium shows a page; a file is written and
the clock stops when the page, reloaded by the preview, shows the change.
Three kinds of save: an article's body (its own page open), a new article
dated today (the front page open: it moves every page of the latest news),
and that article deleted.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from .loopback import CHROMIUM, CHROMIUM_ARGS

EDITS = 3  # body edits measured; the median is reported with the rest


def measure(project: Path, env: dict) -> dict:
    from playwright.sync_api import sync_playwright  # only this measurement needs a browser

    articles = sorted((project / "posts").rglob("*.md"))
    article = articles[len(articles) // 2]
    port = _free_port()
    command = [sys.executable, "-m", "newsroom.cli", "--project", str(project), "preview", "--no-open", "--port", str(port), str(article)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = _Log(server)
    try:
        started = time.perf_counter()
        address = log.wait(r"newsroom preview: (http\S+)", 1800).group(1)
        result = {"preview_first_s": round(time.perf_counter() - started, 2)}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            _open(page, address)
            body = []
            original = article.read_text(encoding="utf-8")
            for n in range(EDITS):
                marker = f"Câu thêm số {n} khi xem trước"
                body.append(_timed(page, log, lambda: article.write_text(original.rstrip("\n") + f"\n\n{marker}.\n", encoding="utf-8"), marker))
            seen = len(log.updates)
            article.write_text(original, encoding="utf-8")
            log.wait_update(seen, 600)
            _open(page, re.sub(r"\d{4}/\d{2}/[^/]+/$", "", address))  # the front page
            news = project / "posts/2099/01/tin-xem-truoc.md"
            news.parent.mkdir(parents=True, exist_ok=True)
            title = "Tin mới nhất để đo xem trước"
            add = _timed(page, log, lambda: news.write_text(
                f"---\ntitle: {title}\ndate: 2026-11-26\nagencies: [UBND tỉnh]\ntopics: [Kinh tế]\n---\n\nNội dung.\n", encoding="utf-8"), title)
            delete = _timed(page, log, lambda: (news.unlink(), news.parent.rmdir(), news.parent.parent.rmdir()), title, gone=True)
            browser.close()
        result.update({
            "preview_edit_ms": [ms for ms, _ in body], "preview_edit_update_s": [update for _, update in body],
            "preview_add_ms": add[0], "preview_add_update_s": add[1], "preview_delete_ms": delete[0], "preview_delete_update_s": delete[1],
        })
        return result
    finally:
        server.terminate()
        server.wait(timeout=60)


def _open(page, address: str) -> None:
    """Go to ``address``; again if the preview's reload of the page before cut the navigation short."""
    for attempt in range(5):
        try:
            page.goto(address, wait_until="load")
            return
        except Exception:  # noqa: BLE001 - net::ERR_ABORTED while the old page reloads
            if attempt == 4:
                raise
            time.sleep(0.5)


def _timed(page, log: _Log, save, text: str, gone: bool = False) -> tuple[int, float]:
    """Milliseconds from ``save()`` until the page, reloaded by the preview, has loaded showing ``text`` (or not);
    and the seconds the preview says its update took.

    The browser is not polled (that would take a core from the preview): the clock stops at the reload's load event.
    """
    started = time.perf_counter()
    with page.expect_navigation(wait_until="load", timeout=600_000):
        save()
    elapsed = round((time.perf_counter() - started) * 1000)
    if page.evaluate("t => document.body.innerText.includes(t)", text) == gone:
        raise RuntimeError(f"the reloaded page does not show the change ({text!r})")
    return elapsed, log.updates[-1]


class _Log:
    """The preview's output, read as it comes; the durations of its updates."""

    def __init__(self, server: subprocess.Popen):
        self.lines: list[str] = []
        self.updates: list[float] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, args=(server,), daemon=True).start()

    def _read(self, server: subprocess.Popen) -> None:
        for line in server.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                if found := re.search(r"newsroom preview: (?:update|full) in ([\d.]+) s", line):
                    self.updates.append(float(found.group(1)))
                self._changed.notify_all()
        with self._changed:
            self.lines.append("")
            self._changed.notify_all()

    def wait_update(self, seen: int, seconds: float) -> None:
        """Until the preview has finished more than ``seen`` updates."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.updates) > seen, timeout=seconds):
                raise RuntimeError("newsroom preview did not update")

    def wait(self, pattern: str, seconds: float) -> re.Match:
        deadline, start = time.monotonic() + seconds, 0
        with self._changed:
            while True:
                for line in self.lines[start:]:
                    if found := re.search(pattern, line):
                        return found
                start = len(self.lines)
                if not self._changed.wait(timeout=max(0.0, deadline - time.monotonic())):
                    tail = "\n".join(self.lines[-20:])
                    raise RuntimeError(f"newsroom preview never printed {pattern!r}; its last lines:\n{tail}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
