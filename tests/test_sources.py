"""Which files are articles (newsroom/sources.py): the rule itself, the build and
``newsroom check`` following it, and ``check --fix`` writing whole files only."""

import errno
import os
import resource
import signal
import socket
import stat
import subprocess
import sys
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest

from newsroom import cli, sources
from newsroom.reader import read_post

NEWSROOM = str(Path(sys.executable).parent / "newsroom")
REAL = "an article must be a real file inside posts/"
ARTICLE = "---\ntitle: {title}\ndate: 2025-01-01\n---\n\nNội dung.\n"


@contextmanager
def deadline(seconds: int):
    """Fails the test instead of hanging it (opening a FIFO blocks until a writer comes)."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def write(path: Path, content: str = "x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def run(project, *args, now="2026-11-26T09:00", **options):
    env = {**os.environ, "NEWSROOM_NOW": now}
    return subprocess.run([NEWSROOM, *args], cwd=project.root, env=env, capture_output=True, text=True, timeout=60, **options)


# --- the rule -------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A posts folder with every kind of name the rule decides on."""
    posts = tmp_path / "posts"
    outside = write(tmp_path / "outside/secret.md")
    for name in ("2022/04/a.md", "2022/04/b.MD", "2022/04/c.markdown", "2022/04/d.Markdown", "2022/e.md", "z.md"):
        write(posts / name)
    for name in (".trash/x.md", "2022/.hidden/y.md", "2022/04/a.md~", "2022/04/#a.md#", "2022/04/.a.md.swp",
                 "2022/04/notes.txt", "2022/04/a.md.bak", "2022/04/a.mdx"):
        write(posts / name)
    (posts / "2022/04/.#a.md").symlink_to("root@host.12345:1700000000")  # emacs' lock: a dangling link
    os.mkfifo(posts / "2022/04/pipe.md")
    (posts / "2022/04/passwd.md").symlink_to(outside)
    (posts / "2022/04/loop.md").symlink_to("loop.md")
    (posts / "2022/linked").symlink_to(outside.parent, target_is_directory=True)
    (posts / "2022/up").symlink_to("..", target_is_directory=True)  # a folder loop
    (posts / "2022/readme.txt").symlink_to(outside)  # not named like an article, not a folder: skipped
    monkeypatch.chdir(posts / "2022/04")  # a socket's path must be short
    listening = socket.socket(socket.AF_UNIX)
    listening.bind("sock.md")
    yield posts
    listening.close()


def test_the_rule_takes_articles_and_names_every_link_pipe_and_socket(tree):
    files, problems = sources.find_articles(tree, "posts")
    assert [file.relative_to(tree).as_posix() for file in files] == [
        "2022/04/a.md", "2022/04/b.MD", "2022/04/c.markdown", "2022/04/d.Markdown", "2022/e.md", "z.md",
    ]
    assert list(map(str, problems)) == [
        f"posts/2022/04/loop.md:1: file: is a symbolic link; {REAL}",
        f"posts/2022/04/passwd.md:1: file: is a symbolic link; {REAL}",
        f"posts/2022/04/pipe.md:1: file: is a named pipe (FIFO), not a regular file; {REAL}",
        f"posts/2022/04/sock.md:1: file: is a socket, not a regular file; {REAL}",
        f"posts/2022/linked:1: file: is a symbolic link; {REAL}",
        f"posts/2022/up:1: file: is a symbolic link; {REAL}",
    ]


def test_the_order_is_the_sorted_order_of_the_paths(tmp_path):
    names = ["b/a.md", "a.md", "a/z.md", "a-b.md", "a/b/c.md", "B.md", "ab/a.md", "a0.md"]
    for name in names:
        write(tmp_path / name)
    files, problems = sources.find_articles(tmp_path, "posts")
    assert (files, problems) == (sorted(tmp_path / name for name in names), [])


def test_a_folder_that_cannot_be_listed_is_named_and_the_rest_is_read(tmp_path, monkeypatch):
    # Tests run as root, whom chmod 000 does not stop: the refusal is simulated.
    write(tmp_path / "posts/a.md")
    write(tmp_path / "posts/khoa/b.md")
    write(tmp_path / "posts/z.md")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "khoa":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    files, problems = sources.find_articles(tmp_path / "posts", "posts")
    assert [file.name for file in files] == ["a.md", "z.md"]
    assert list(map(str, problems)) == ["posts/khoa:1: folder: cannot be listed: Permission denied"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder whatever its mode; the test above simulates it")
def test_an_unreadable_folder_for_real(tmp_path):
    write(tmp_path / "posts/khoa/b.md")
    (tmp_path / "posts/khoa").chmod(0)
    try:
        files, problems = sources.find_articles(tmp_path / "posts", "posts")
    finally:
        (tmp_path / "posts/khoa").chmod(0o755)
    assert list(map(str, problems)) == ["posts/khoa:1: folder: cannot be listed: Permission denied"]


@pytest.mark.parametrize("name, skipped, article", [
    ("a.md", False, True), ("A.MARKDOWN", False, True), (".a.md", True, False), (".#a.md", True, False),
    ("#a.md#", True, False), ("a.md~", True, False), ("#a.md", False, True), ("a#.md", False, True),
    ("#", False, False), ("a.md.swp", False, False), ("md", False, False),
])
def test_hidden_and_backup_names(name, skipped, article):
    assert sources.is_skipped(name) is skipped
    assert sources.is_article_name(name) is article


def test_why_the_build_ignores_a_named_file(tmp_path):
    posts = tmp_path / "posts"
    (posts / "sub").mkdir(parents=True)
    (posts / "linked").symlink_to(posts / "sub", target_is_directory=True)
    assert sources.ignored_by_build(posts / "2022/a.MD", posts) is None
    assert sources.ignored_by_build(posts / ".trash/a.md", posts) == "hidden and backup names (.x, x~, #x#) are skipped"
    assert sources.ignored_by_build(posts / "a.md~", posts) == "hidden and backup names (.x, x~, #x#) are skipped"
    assert sources.ignored_by_build(posts / "a.txt", posts) == "an article's name ends in .md or .markdown"
    assert sources.ignored_by_build(tmp_path / "draft.md", posts) == "it is not inside posts/"
    assert sources.ignored_by_build(posts / "linked/a.md", posts) == "linked is a symbolic link, which the build never follows"


def test_reading_refuses_a_pipe_or_link_put_in_place_after_the_walk(tmp_path):
    fifo, link = tmp_path / "pipe.md", tmp_path / "link.md"
    os.mkfifo(fifo)
    link.symlink_to(write(tmp_path / "real.md"))
    with deadline(10):
        post, problems = read_post(fifo, "posts/pipe.md", None)
    assert post is None and list(map(str, problems)) == ["posts/pipe.md:1: file: cannot be read: not a regular file"]
    with pytest.raises(OSError, match="is a symbolic link"):
        sources.read_article_bytes(link)
    assert sources.read_article_bytes(tmp_path / "real.md") == b"x\n"


# --- the build and check follow it ----------------------------------------------

def test_md_in_any_case_and_markdown_are_published_and_hidden_or_backup_files_are_not(tiny_site):
    tiny_site.write("posts/2025/01/hoa.MD", ARTICLE.format(title="Viết hoa"))
    tiny_site.write("posts/2025/01/dai.markdown", ARTICLE.format(title="Đuôi dài"))
    tiny_site.write("posts/.trash/xoa.md", ARTICLE.format(title="Đã xóa"))
    tiny_site.write("posts/2025/01/dai.markdown~", ARTICLE.format(title="Bản lưu"))
    tiny_site.write("posts/2025/01/.dai.markdown.swp", b"\x00binary vim swap")
    built = tiny_site.build()
    assert (built.errors, built.aborted) == ([], None)
    assert (built.site_dir / "2025/01/viet-hoa/index.html").is_file()
    assert (built.site_dir / "2025/01/duoi-dai/index.html").is_file()
    assert not (built.site_dir / "2025/01/da-xoa").exists() and "Đã xóa" not in built.all_text()
    assert not (built.site_dir / "2025/01/ban-luu").exists()


def test_a_fifo_in_posts_fails_the_build_with_its_line_and_never_hangs(tiny_site):
    tiny_site.write("posts/2025/01/a.md", ARTICLE.format(title="A"))
    os.mkfifo(tiny_site.root / "posts/2025/01/pipe.md")
    with deadline(60):
        built = tiny_site.build()
    assert built.errors == [f"posts/2025/01/pipe.md:1: file: is a named pipe (FIFO), not a regular file; {REAL}"]
    assert built.aborted == "1 problem(s) in articles or registries; the site was not built."


def test_check_reports_the_same_lines_as_the_build(tiny_site, tmp_path):
    tiny_site.write_config()
    tiny_site.write("posts/2025/01/a.md", ARTICLE.format(title="A").replace("2025-01-01", "2025-02-30"))
    os.mkfifo(tiny_site.root / "posts/2025/01/pipe.md")
    (tiny_site.root / "posts/2025/01/passwd.md").symlink_to("/etc/passwd")
    (tiny_site.root / "posts/2025/01/loop.md").symlink_to("loop.md")
    (tiny_site.root / "posts/2025/ngoai").symlink_to(tmp_path, target_is_directory=True)
    check = run(tiny_site, "check")
    with deadline(60):
        built = tiny_site.build()
    assert check.returncode == 1
    assert check.stdout.splitlines() == built.errors
    assert len(built.errors) == 5 and "root:" not in check.stdout


def test_check_of_a_folder_follows_the_rule_and_a_named_skipped_file_is_checked_with_a_warning(tiny_site):
    tiny_site.write_config()
    tiny_site.write("posts/2025/a.md", ARTICLE.format(title="A"))
    tiny_site.write("posts/2025/.trash/b.md", ARTICLE.format(title="B").replace("2025-01-01", "2025-13-01"))
    os.mkfifo(tiny_site.root / "posts/2025/pipe.md")
    (tiny_site.root / "posts/2025/link.md").symlink_to(tiny_site.root / "posts/2025/a.md")
    folder = run(tiny_site, "check", "posts/2025")
    assert folder.stdout.splitlines() == [
        f"posts/2025/link.md:1: file: is a symbolic link; {REAL}",
        f"posts/2025/pipe.md:1: file: is a named pipe (FIFO), not a regular file; {REAL}",
    ]
    assert folder.stderr.startswith("newsroom check: 1 file(s), 2 error(s)")
    named = run(tiny_site, "check", "posts/2025/.trash/b.md", "posts/2025/link.md")
    assert named.stdout.splitlines() == [
        "posts/2025/.trash/b.md:1: warning: file: the build ignores this file: hidden and backup names (.x, x~, #x#) "
        "are skipped; checked only because it was named",
        'posts/2025/.trash/b.md:3: date: "2025-13-01" is not a real date (month must be in 1..12); '
        "write YYYY-MM-DD, YYYY-MM or YYYY-MM-DD HH:MM, e.g. 2022-04-15",
        f"posts/2025/link.md:1: file: is a symbolic link; {REAL}",
    ]


# --- check --fix ------------------------------------------------------------------

def nfd(title: str) -> str:
    """An article with decomposed text on two lines, the title and the body."""
    return unicodedata.normalize("NFD", ARTICLE.format(title=title))


def nfc(text: str) -> bytes:
    return unicodedata.normalize("NFC", text).encode("utf-8")


def test_fix_keeps_the_permission_bits_and_leaves_no_temporary_file(tiny_site):
    tiny_site.write_config()
    file = tiny_site.write("posts/a.md", "\ufeff" + nfd("Hoà bình"))
    file.chmod(0o640)
    result = run(tiny_site, "check", "--fix")
    assert (result.returncode, result.stdout) == (0, "posts/a.md: fixed: removed the byte order mark (BOM); normalized 2 line(s) to NFC\n")
    assert file.read_bytes() == nfc(nfd("Hoà bình"))
    assert stat.S_IMODE(file.stat().st_mode) == 0o640
    assert sorted(p.name for p in file.parent.iterdir()) == ["a.md"]


def test_fix_reports_a_read_only_file_and_fixes_every_other(tiny_site):
    tiny_site.write_config()
    locked = tiny_site.write("posts/a.md", nfd("Hoà bình"))
    other = tiny_site.write("posts/b.md", nfd("Hoà giải"))
    locked.chmod(0o444)
    result = run(tiny_site, "check", "--fix")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "posts/b.md: fixed: normalized 2 line(s) to NFC",
        "posts/a.md:1: file: cannot be fixed: Permission denied",
        "posts/a.md:2: warning: text: decomposed (NFD) characters, as some Windows keyboards type them; newsroom check --fix repairs it",
    ]
    assert locked.read_text(encoding="utf-8") == nfd("Hoà bình") and stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert other.read_bytes() == nfc(nfd("Hoà giải"))


def test_fix_never_leaves_half_an_article_when_the_disk_fills(tiny_site):
    # RLIMIT_FSIZE in the child: writing past 64 KiB fails with EFBIG (Python ignores SIGXFSZ),
    # as a full disk would, part-way through the large file.
    tiny_site.write_config()
    large = tiny_site.write("posts/a.md", nfd("Hoà bình") + "Hoà bình, thuận hoà.\n\n" * 8000)
    small = tiny_site.write("posts/b.md", nfd("Hoà giải"))
    before = large.read_bytes()
    assert len(before) > 3 * 65536

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))

    result = run(tiny_site, "check", "--fix", preexec_fn=limit)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "posts/b.md: fixed: normalized 2 line(s) to NFC",
        "posts/a.md:1: file: cannot be fixed: File too large",
    ]
    assert "Traceback" not in result.stderr
    assert large.read_bytes() == before  # the old article, whole
    assert small.read_bytes() == nfc(nfd("Hoà giải"))
    assert sorted(p.name for p in large.parent.iterdir()) == ["a.md", "b.md"]


def test_fix_failing_at_the_sync_keeps_the_old_file(tiny_site, monkeypatch, capsys):
    tiny_site.write_config()
    file = tiny_site.write("posts/a.md", nfd("Hoà bình"))
    monkeypatch.setenv("NEWSROOM_NOW", "2026-11-26T09:00")

    def fsync(fd):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(cli.os, "fsync", fsync)
    assert cli.main(["--project", str(tiny_site.root), "check", "--fix"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == "posts/a.md:1: file: cannot be fixed: Input/output error"
    assert file.read_text(encoding="utf-8") == nfd("Hoà bình")
    assert [p.name for p in file.parent.iterdir()] == ["a.md"]
