"""Search bundles kept between builds: the same source pages give the same index, so it is not made again.

A bundle's index (newsroom.search) depends only on its source pages and
texts, the Pagefind binary, and how ``newsroom.pagefind_bundle`` rewrites
Pagefind's output. Bundles of closed years never change as new articles
come, so a build that keeps ``.cache/search/`` (CI can keep ``.cache/``
between runs) runs Pagefind only over the bundles whose articles changed:
usually the newest. An entry is named by a hash of all of that, so a stale
one is never used; it is a folder of plain files, copied into ``site/``.
The folder holds the entries of the last build only (it never grows past one
index), and can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

CACHE_FOLDER = ".cache/search"
VERSION = "1"  # part of every key: bump it when what is cached changes meaning
_COMPLETE = ".complete"  # written last into an entry: a build stopped half-way leaves none


def tool_key(*files: Path) -> bytes:
    """What makes the index besides the pages: the Pagefind binary and the modules that rewrite its output."""
    digest = hashlib.blake2b(VERSION.encode(), digest_size=16)
    for file in files:
        digest.update(file.read_bytes())
    return digest.digest()


def bundle_key(tool: bytes, source: Path) -> str:
    """The key of the index of the source pages under ``source``: every file's path and bytes."""
    digest = hashlib.blake2b(tool, digest_size=20)
    for path in sorted(_files(source)):
        data = (source / path).read_bytes()
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def restore(cache: Path, key: str, output: Path) -> bool:
    """Copies the entry ``key`` to ``output``, if there is a complete one of plain files; whether it did.

    An entry that is not (a build stopped while saving it, a link) is removed, to be made again.
    """
    entry = cache / key
    if not entry.exists() and not entry.is_symlink():
        return False
    try:
        if entry.is_symlink():
            raise _NotPlain(str(entry))
        files = _files(entry)  # plain files only: a link in the cache never leads outside it
        if _COMPLETE not in files:
            raise _NotPlain(f"{entry} is incomplete")
        for path in files:
            if path != _COMPLETE:
                target = output / path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(entry / path, target, follow_symlinks=False)
    except (OSError, _NotPlain):
        shutil.rmtree(output, ignore_errors=True)
        _remove(entry)
        return False
    return True


def save(cache: Path, key: str, output: Path) -> None:
    """Keeps a copy of ``output`` as the entry ``key``; a cache that cannot be written is only a slower next build."""
    entry = cache / key
    if entry.exists():
        return
    partial = cache / f".{key}.{os.getpid()}"
    try:
        shutil.copytree(output, partial, symlinks=True)
        (partial / _COMPLETE).write_bytes(b"")
        partial.rename(entry)  # whole or not at all; another build may have saved the same entry meanwhile
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)


def keep_only(cache: Path, keys: set[str]) -> None:
    """Removes every entry but ``keys`` (this build's), and anything else a stopped build left."""
    try:
        entries = list(cache.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name not in keys:
            _remove(entry)


def _remove(path: Path) -> None:
    """Removes a folder with what it holds, or a file or link (never what a link leads to)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


class _NotPlain(Exception):
    """A link, device or other non-file in a cache entry."""


def _files(folder: Path, under: str = "") -> list[str]:
    """Every file under ``folder``, as a path relative to it; raises ``_NotPlain`` on anything but files and folders."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            path = f"{under}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                found += _files(Path(entry.path), f"{path}/")
            elif entry.is_file(follow_symlinks=False):
                found.append(path)
            else:
                raise _NotPlain(entry.path)
    return found
