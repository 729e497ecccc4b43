"""``newsroom build``: the site is replaced whole, or not at all.

``mkdocs build`` empties site/ before the hooks check a single article, so
one bad post, a failure while writing or a Ctrl-C used to leave a broken or
empty site. Here MkDocs builds, in a child process (the core never imports
MkDocs), into a fresh folder beside site/ on the same file system, and the two
are swapped only when the build succeeded: with Linux's
``renameat2(RENAME_EXCHANGE)`` there is never a moment without site/;
elsewhere two renames follow each other. The old tree is removed afterwards.

A scratch folder is locked (``flock``) while its build runs, so the next
build removes those a killed run left behind, and never a running one's.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable


from . import parallel, site
from .problems import Problem, Problems
from .reader import shown

try:
    import fcntl
except ImportError:  # Windows: no locks; every scratch folder found is stale
    fcntl = None

FORWARDED = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
# Options newsroom build sets itself: the project's mkdocs.yml, the scratch folder.
RESERVED = {"-f": "--config-file", "-d": "--site-dir"}


def build(project_dir: Path, mkdocs_args: list[str], settings: site.Settings | None = None,
          site_dir: Path | None = None, finish: Callable[[Path], None] | None = None) -> int:
    """``mkdocs build --strict`` into a scratch folder, swapped in for site_dir if it succeeds; its exit status.

    With ``settings``, a site_dir that holds the sources is refused first (``site.check_site_dir``).
    ``site_dir`` replaces mkdocs.yml's (``newsroom/publish.py`` builds inside its destination);
    ``finish`` completes the new tree (precompressed copies, say) before it is swapped in.
    """
    config_file = project_dir / "mkdocs.yml"
    # newsroom.mkdocs_child: mkdocs itself, exiting without freeing what the build made, one object at a time.
    command = [sys.executable, "-m", "newsroom.mkdocs_child", "build", "--strict", "--config-file", str(config_file)]
    if {"-h", "--help"} & set(mkdocs_args):
        return subprocess.call([*command, "--help"])
    _refuse_reserved(mkdocs_args)
    site_dir = site_dir.resolve() if site_dir is not None else _site_dir(config_file)
    if settings is not None:
        site.check_site_dir(settings, site_dir)
    remove_stale(site_dir)
    try:
        scratch, lock = _scratch(site_dir)
    except OSError as error:  # a read-only folder, a name too long for the scratch folder's prefix
        raise Problems([Problem(shown(site_dir, project_dir), 1, "site_dir", f"no folder can be made beside it: {error.strerror}",
                                "set site_dir in mkdocs.yml to a shorter name in a folder you may write to")]) from None
    # Signals are passed on to the build until the old tree is gone: none falls
    # between the fallback's two renames, and Ctrl-C never leaves a traceback.
    with _Child() as child:
        try:
            status = child.run([*command, "--site-dir", str(scratch), *mkdocs_args], project_dir)
            if status == 0:
                if not any(scratch.iterdir()):
                    raise Problems([Problem("mkdocs.yml", 1, "build", "MkDocs exited without writing anything; the site was left as it was")])
                if finish is not None:
                    finish(scratch)
                    if child.received:  # a Ctrl-C meanwhile reached no child: the tree is not published
                        return 128 + child.received[0]
                try:
                    scratch = swap(scratch, site_dir)  # from here on, scratch holds the old tree
                except OSError as error:
                    raise Problems([Problem(shown(site_dir, project_dir), 1, "site_dir", f"could not be replaced: {error.strerror}",
                                            "the folder was left as it was")]) from None
        finally:
            os.close(lock)
            _remove(scratch)
    return status


def site_dir_of(config_file: Path) -> Path:
    """The site folder mkdocs.yml names (``newsroom check-links`` reads it)."""
    return _site_dir(config_file)


def _site_dir(config_file: Path) -> Path:
    config = site.read_config(config_file)
    # A symlinked site/ stays a link: the real folder is the one replaced.
    return (config_file.parent / (config.get("site_dir") or "site")).resolve()


def _refuse_reserved(args: list[str]) -> None:
    for arg in args:
        name = arg.split("=", 1)[0]
        letters = arg[1:] if arg.startswith("-") and not arg.startswith("--") else ""
        for short, long in RESERVED.items():
            if name == long or short[1] in letters:
                hint = "set site_dir in mkdocs.yml" if long == "--site-dir" else "run it in the project holding that mkdocs.yml, or pass --project"
                raise Problems([Problem("newsroom build", 1, long, "is chosen by newsroom build itself", hint)])


# --- the scratch folder -------------------------------------------------------

def _pattern(site_dir: Path, kind: str) -> str:
    return f".{site_dir.name}.{kind}-"


def _scratch(site_dir: Path) -> tuple[Path, int]:
    """A new empty folder beside site_dir and a descriptor holding its lock."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = site_dir.with_name(_pattern(site_dir, "new") + secrets.token_hex(4))
        try:
            path.mkdir()  # mkdir, unlike mkdtemp, gives the umask's mode: site/ must stay readable
        except FileExistsError:
            continue
        fd = os.open(path, os.O_RDONLY)
        # Another build's stale sweep may have taken it between mkdir and the lock: then try again.
        if _lock(fd) and path.is_dir() and os.path.samestat(os.fstat(fd), path.stat()):
            return path, fd
        os.close(fd)


def _lock(fd: int) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def remove_stale(site_dir: Path) -> None:
    """Remove scratch folders and old trees left by killed runs; skip those a running build holds."""
    for kind in ("new", "old"):
        for path in site_dir.parent.glob(_pattern(site_dir, kind) + "*"):
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                if _lock(fd):
                    _remove(path)
            finally:
                os.close(fd)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    if path.exists():  # a worker's last write, in flight while it was killed, landed after the sweep
        time.sleep(0.2)
        shutil.rmtree(path, ignore_errors=True)


# --- the build, in a child ------------------------------------------------------

class _Child:
    """The build's process; a signal received here meanwhile is passed on to it."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.received: list[int] = []

    def __enter__(self) -> _Child:
        self._previous = {signum: signal.signal(signum, self._forward) for signum in FORWARDED}
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _forward(self, signum, frame) -> None:
        self.received.append(signum)
        if self.process is not None:
            self.process.send_signal(signum)  # a no-op once it has exited

    def run(self, command: list[str], cwd: Path) -> int:
        """The child's exit status, 128 + N for signal N; never 0 once a signal came."""
        # Its own process group: a terminal's Ctrl-C reaches it once, from here, not twice.
        self.process = subprocess.Popen(command, cwd=cwd, process_group=0 if hasattr(os, "setpgid") else None,
                                        preexec_fn=_die_with(os.getpid()))
        for signum in self.received:  # came before it existed
            self.process.send_signal(signum)
        status = self.process.wait()
        if status < 0:
            status = 128 - status
        if self.received and status == 0:  # interrupted just as it finished: still not published
            status = 128 + self.received[0]
        return status


def _die_with(parent: int):
    """For the child, before exec: killed if this process is (a SIGKILL cannot be forwarded)."""
    if not sys.platform.startswith("linux"):
        return None
    return lambda: parallel.die_with_parent(parent)


# --- the swap -------------------------------------------------------------------

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def swap(new: Path, site_dir: Path) -> Path:
    """Put ``new`` at ``site_dir``; return where the old tree now is (to be removed)."""
    if not os.path.lexists(site_dir):
        os.rename(new, site_dir)  # the first build: nothing to replace
        return new
    if _exchange(new, site_dir):
        return new
    old = site_dir.with_name(_pattern(site_dir, "old") + secrets.token_hex(4))
    os.rename(site_dir, old)  # site/ is missing between these two renames
    try:
        os.rename(new, site_dir)
    except OSError:
        os.rename(old, site_dir)
        raise
    return old


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system or the file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # old kernel, or a file system without it
        return False
    raise OSError(error, os.strerror(error), str(a), None, str(b))


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)  # glibc 2.28+
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function
