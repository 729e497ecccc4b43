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
import json
import os
import shutil
import sys
import zlib
from importlib import metadata
from pathlib import Path

CACHE_FOLDER = ".cache/search"
VERSION = "1"  # part of every key: bump it when what is cached changes meaning
_MANIFEST = ".files.json"  # written last into an entry: every file's hash; a build stopped half-way leaves none


def tool_key(*files: Path) -> bytes:
    """What makes the index besides the pages: the Pagefind binary and the modules that rewrite its output."""
    digest = hashlib.blake2b(f"{VERSION}\0{sys.version}\0{zlib.ZLIB_RUNTIME_VERSION}\0{_version('cbor2')}".encode(), digest_size=16)
    for file in (*files, Path(__file__)):
        data = file.read_bytes()
        digest.update(f"{len(data)}\0".encode())
        digest.update(data)
    return digest.digest()


def source_digest(page: bytes, text: bytes) -> str:
    """A hash of one article's source page and text, as the page writer wrote them (``search.write_source``)."""
    digest = hashlib.blake2b(f"{len(page)}\0".encode(), digest_size=20)
    digest.update(page)
    digest.update(text)
    return digest.hexdigest()


def bundle_key(tool: bytes, pages: list[tuple[str, str]]) -> str:
    """The key of the index of a bundle's source pages: each one's URL and ``source_digest``."""
    digest = hashlib.blake2b(tool, digest_size=20)
    for url, page in sorted(pages):
        digest.update(f"{url}\0{page}\0".encode())
    return digest.hexdigest()


def restore(cache: Path, key: str, output: Path) -> bool:
    """Copies the entry ``key`` to ``output`` if there is a whole one; whether it did.

    An entry that is not whole (a build stopped while saving it, a file gone or
    changed since, a link) is removed, to be made again. Errors writing
    ``output`` are raised: they are the site's, not the cache's.
    """
    entry = cache / key
    if not entry.exists() and not entry.is_symlink():
        return False
    try:
        files = _checked(entry)
    except (OSError, ValueError, _NotWhole):
        _remove(entry)
        return False
    for path, data in files.items():
        target = output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return True


def save(cache: Path, key: str, output: Path) -> None:
    """Keeps a copy of ``output`` as the entry ``key``; a cache that cannot be written is only a slower next build."""
    entry = cache / key
    if entry.exists():
        return
    partial = cache / f".{key}.{os.getpid()}"
    try:
        files = {}
        for path in _files(output):
            files[path] = _digest((output / path).read_bytes())
            _link_or_copy(output / path, partial / path)
        (partial / _MANIFEST).write_text(json.dumps(files, sort_keys=True), encoding="utf-8")  # last: the mark of a whole entry
        partial.rename(entry)  # whole or not at all; another build may have saved the same entry meanwhile
    except (OSError, _NotWhole):
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


class _NotWhole(Exception):
    """A cache entry that is incomplete, changed since it was saved, or holds a link or another non-file."""


def _checked(entry: Path) -> dict[str, bytes]:
    """Every file of ``entry`` and its bytes, as its manifest lists them; raises ``_NotWhole`` otherwise."""
    if entry.is_symlink():
        raise _NotWhole(str(entry))
    found = _files(entry)  # plain files only: a link in the cache never leads outside it
    if _MANIFEST not in found:
        raise _NotWhole(f"{entry} is incomplete")
    listed = json.loads((entry / _MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(listed, dict) or set(listed) != set(found) - {_MANIFEST}:
        raise _NotWhole(f"{entry} does not hold the files it lists")
    files = {}
    for path, digest in listed.items():
        data = (entry / path).read_bytes()
        if _digest(data) != digest:
            raise _NotWhole(f"{entry / path} changed since it was saved")
        files[path] = data
    return files


def _link_or_copy(source: Path, target: Path) -> None:
    """A second name for ``source`` where the file system allows (nothing copied), else a copy.

    The build writes no file of ``site/`` in place once it is saved (files are
    replaced), and an entry whose files changed anyway is never restored.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def _files(folder: Path, under: str = "") -> list[str]:
    """Every file under ``folder``, as a path relative to it; raises ``_NotWhole`` on anything but files and folders."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            path = f"{under}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                found += _files(Path(entry.path), f"{path}/")
            elif entry.is_file(follow_symlinks=False):
                found.append(path)
            else:
                raise _NotWhole(entry.path)
    return found
