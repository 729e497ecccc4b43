"""``scripts/publish DEST``: the site on a server the agency runs, switched whole, and back.

Layout of DEST (the web server's root is ``DEST/current``)::

    DEST/releases/20261127T010500Z-3f2a9c0d1b7e/   one folder per release: UTC time, content hash
    DEST/current  -> releases/<id>                 what readers get
    DEST/previous -> releases/<id>                 what ``--rollback`` goes back to

The build (or the copy of an already built folder) goes to a hidden folder in
``DEST/releases/``, on the same file system, and becomes a release only once it
is whole; ``current`` is then a new symlink renamed over the old one, a single
``rename(2)``: a reader's request sees the old site or the new one, never a mix
of a page from one and nothing from the other. A failed or interrupted build or
copy leaves ``current`` as it was; its leftovers are removed by the next run.

A release whose content is that of the live one is not made again: an hourly
schedule that finds nothing due changes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import secrets
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

from . import compress, csp, output
from .problems import Problems

RELEASES, CURRENT, PREVIOUS = "releases", "current", "previous"
# In every release (and in site/ on GitHub Pages): its content hash, for "is this live already?".
MARK = ".newsroom-release"
INCOMING, TRASH = ".incoming-", ".trash-"
KEEP = 5
CSP_CONF = "csp.conf"  # the nginx add_header line with the policy the site satisfies (newsroom/csp.py)

try:
    import fcntl
except ImportError:  # Windows: one publisher at a time is the operator's care
    fcntl = None


class PublishError(Exception):
    """A clear one-line reason; ``current`` was not changed unless it says so."""


# --- the content hash ----------------------------------------------------------------

def content_hash(site_dir: Path) -> str:
    """SHA-256 over every file's path and bytes, the mark left out.

    Of a precompressed copy only its name counts: its bytes follow from the file beside it,
    and whether copies exist at all still tells a compressed release from one without.
    """
    digest = hashlib.sha256()
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if not path.is_file() or relative == MARK:
            continue
        content = b"copy" if _is_copy(path) else hashlib.sha256(path.read_bytes()).digest()
        digest.update(relative.encode() + b"\0" + content)
    return digest.hexdigest()


def _is_copy(path: Path) -> bool:
    return path.suffix in (".gz", ".br") and path.with_suffix("").is_file()


def mark(site_dir: Path) -> str:
    """Writes ``MARK`` into ``site_dir``; returns the hash."""
    digest = content_hash(site_dir)
    (site_dir / MARK).write_text(digest + "\n", encoding="ascii")
    return digest


def live_hash(dest: Path) -> str | None:
    try:
        return (dest / CURRENT / MARK).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


# --- publishing ---------------------------------------------------------------------

def publish(dest: Path, project_dir: Path | None = None, site: Path | None = None,
            keep: int = KEEP, precompress: bool = True) -> tuple[str, bool]:
    """Builds (or copies ``site``) into a new release and makes it current; (release id, whether it changed)."""
    releases = dest / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    with _locked(dest):
        _target(dest, CURRENT)  # a real folder there is refused before any work
        _sweep(releases)
        incoming = releases / (INCOMING + secrets.token_hex(4))
        try:
            _fill(incoming, project_dir, site, precompress)
            digest = mark(incoming)
            if digest == live_hash(dest):
                release, changed = os.readlink(dest / CURRENT).rsplit("/", 1)[-1], False
            else:
                # To the microsecond: releases sort by name in the order made (prune keeps the newest),
                # even two made within one second.
                release = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}-{digest[:12]}"
                os.rename(incoming, releases / release)
                _sync(releases)
                _write_policy(dest, releases / release, _embed_hosts(project_dir))
                _point(dest, PREVIOUS, _target(dest, CURRENT))
                _point(dest, CURRENT, release)
                changed = True
        finally:
            _remove(incoming)
        prune(dest, keep)
    return release, changed


def _fill(incoming: Path, project_dir: Path | None, site: Path | None, precompress: bool) -> None:
    finish = compress.compress_site if precompress else None
    if site is not None:
        if not (site / "index.html").is_file():
            raise PublishError(f"{site}: not a built site (no index.html)")
        shutil.copytree(site, incoming, symlinks=True)
        if finish:
            finish(incoming)
        return
    from .cli import _settings  # the project's settings, found as newsroom's commands find them

    settings = _settings(project_dir)
    status = output.build(settings.project_dir, [], settings, site_dir=incoming, finish=finish)
    if status != 0:
        raise PublishError(f"the build failed (exit status {status}); {CURRENT} was not changed")


def _embed_hosts(project_dir: Path | None) -> tuple[str, ...]:
    from .cli import _settings

    try:
        return _settings(project_dir).embed_hosts
    except Problems:  # --site with no project at hand: no frames allowed
        return ()


def _write_policy(dest: Path, release: Path, embed_hosts: tuple[str, ...]) -> None:
    """``DEST/csp.conf``: the new release's scripts and the live one's, so the switch breaks neither."""
    live = dest / CURRENT
    line = csp.nginx_line(csp.policy(release, embed_hosts, (live,) if live.is_dir() else ()))
    target = dest / CSP_CONF
    try:
        if target.read_text(encoding="utf-8") == line:
            return
    except FileNotFoundError:
        pass
    temporary = dest / f".{CSP_CONF}-{secrets.token_hex(4)}"
    temporary.write_text(line, encoding="utf-8")
    os.replace(temporary, target)
    print(f"scripts/publish: {target} changed: reload the web server (nginx -s reload)", file=sys.stderr)


def rollback(dest: Path) -> str:
    """Makes the previous release current again; returns its id."""
    with _locked(dest):
        current = _target(dest, CURRENT)
        if current is None:
            raise PublishError(f"{dest / CURRENT}: nothing is published here yet")
        earlier = _release_names(dest)
        previous = _target(dest, PREVIOUS)
        if previous is None or previous == current or not (dest / RELEASES / previous).is_dir():
            older = [name for name in earlier if name < current]
            if not older:
                raise PublishError(f"{dest}: no release older than {current} to go back to")
            previous = older[-1]
        _point(dest, CURRENT, previous)
        # Another rollback goes one further back, never to the release just left.
        before = [name for name in earlier if name < previous and name != current]
        _point(dest, PREVIOUS, before[-1] if before else None)
    return previous


def prune(dest: Path, keep: int) -> list[str]:
    """Removes all but the newest ``keep`` releases, never the current or the previous one; the removed ids."""
    protected = {_target(dest, CURRENT), _target(dest, PREVIOUS)}
    names = _release_names(dest)
    doomed = [name for name in names[:max(len(names) - keep, 0)] if name not in protected]
    for name in doomed:
        trash = dest / RELEASES / (TRASH + name)
        os.rename(dest / RELEASES / name, trash)  # gone at once as a release, however long the removal
        _remove(trash)
    return doomed


def _release_names(dest: Path) -> list[str]:
    return sorted(p.name for p in (dest / RELEASES).iterdir() if not p.name.startswith(".") and p.is_dir())


def _target(dest: Path, name: str) -> str | None:
    """The release a link points to, or None."""
    try:
        return os.readlink(dest / name).rstrip("/").rsplit("/", 1)[-1]
    except FileNotFoundError:
        return None
    except OSError:
        raise PublishError(f"{dest / name}: exists and is not a symbolic link; move it away first") from None


def _point(dest: Path, name: str, release: str | None) -> None:
    """``dest/name`` -> ``releases/release``, replaced by one rename (or removed for None)."""
    link = dest / name
    if release is None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link)
        return
    if link.exists() and not link.is_symlink():
        raise PublishError(f"{link}: exists and is not a symbolic link; move it away first")
    temporary = dest / f".{name}-{secrets.token_hex(4)}"
    os.symlink(f"{RELEASES}/{release}", temporary)  # relative: DEST may be moved or mounted elsewhere
    try:
        os.replace(temporary, link)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync(dest)


def _sweep(releases: Path) -> None:
    """Leftovers of runs that were killed (the lock is ours: none of them is running)."""
    for path in releases.iterdir():
        if path.name.startswith((INCOMING, TRASH, "." + INCOMING)):
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def _sync(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(dest: Path):
    """One publisher at a time on a DEST: a second one waits."""
    dest.mkdir(parents=True, exist_ok=True)
    fd = os.open(dest / ".publish.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# --- the command -------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/publish", description="Build the site and publish it to DEST/current as a new release.")
    parser.add_argument("dest", type=Path, nargs="?", metavar="DEST", help="the folder holding releases/ and the current symlink")
    parser.add_argument("--mark", type=Path, metavar="SITE_DIR",
                        help=f"only write {MARK} (the content hash) into a built site and print the hash (GitHub Pages)")
    parser.add_argument("--rollback", action="store_true", help="switch DEST/current back to the previous release")
    parser.add_argument("--keep", type=int, default=KEEP, help=f"releases kept besides the current and previous ones (default {KEEP})")
    parser.add_argument("--site", type=Path, help="publish this already built folder instead of building")
    parser.add_argument("--no-compress", dest="precompress", action="store_false", help="no .gz/.br copies")
    parser.add_argument("--project", type=Path, help="the folder holding mkdocs.yml (default: found from here upwards)")
    args = parser.parse_args(argv)
    if args.keep < 1:
        parser.error("--keep must be at least 1")
    if args.mark is not None:
        if not (args.mark / "index.html").is_file():
            parser.error(f"{args.mark}: not a built site (no index.html)")
        print(mark(args.mark))
        return 0
    if args.dest is None:
        parser.error("DEST is required")
    dest = args.dest.absolute()
    try:
        if args.rollback:
            print(f"scripts/publish: {dest / CURRENT} -> {RELEASES}/{rollback(dest)} (rolled back)", file=sys.stderr)
            return 0
        release, changed = publish(dest, args.project, args.site, args.keep, args.precompress)
    except PublishError as error:
        print(f"scripts/publish: {error}", file=sys.stderr)
        return 1
    except Problems as error:
        for problem in sorted(error.problems):
            print(problem)
        print(f"scripts/publish: {CURRENT} was not changed", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"scripts/publish: {error.filename or dest}: {error.strerror}; {CURRENT} was not changed", file=sys.stderr)
        return 1
    state = "published" if changed else "unchanged, already live"
    print(f"scripts/publish: {dest / CURRENT} -> {RELEASES}/{release} ({state})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
