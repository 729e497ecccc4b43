"""newsroom preview in Chromium: a save reloads the open page by itself; a broken save shows the banner."""

from __future__ import annotations

from browser import browser_page  # noqa: F401 (a fixture)
from test_preview import Project, _start, _stop, _until, project, replace_in  # noqa: F401 (project is a fixture)


def test_the_open_page_reloads_with_the_change_then_with_the_problem_then_without(project, browser_page, tmp_path):
    article = project.write("2025/06/mot-bai.md", "Một bài", "2025-06-15")
    server, port = _start(project, "posts/2025/06/mot-bai.md")
    page_url = f"http://127.0.0.1:{port}/cong/2025/06/mot-bai/"
    try:
        _until(page_url, lambda status, body: status == 200)
        browser_page.goto(page_url, wait_until="load")
        with browser_page.expect_navigation(wait_until="load", timeout=20000):  # the preview reloads it: nobody else does
            replace_in(article, "Đoạn thứ hai.", "Đoạn vừa viết thêm.")
        assert "Đoạn vừa viết thêm." in browser_page.inner_text("article")

        with browser_page.expect_navigation(wait_until="load", timeout=20000):
            replace_in(article, "date: '2025-06-15'", "date: '2025-16-15'")
        banner = browser_page.locator("#nr-preview-error")
        assert banner.is_visible()
        assert 'posts/2025/06/mot-bai.md:6: date: "2025-16-15" is not a real date' in banner.inner_text()
        assert "Đoạn vừa viết thêm." in browser_page.inner_text("article")  # the last good page, under it
        browser_page.screenshot(path=str(tmp_path / "preview-error-phone.png"))

        with browser_page.expect_navigation(wait_until="load", timeout=20000):
            replace_in(article, "2025-16-15", "2025-06-15")
        assert browser_page.locator("#nr-preview-error").count() == 0
        assert browser_page.errors == [] and browser_page.dialogs == []
    finally:
        _stop(server)
