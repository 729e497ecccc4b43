"""Writing a file whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path


def write_whole(path: Path, data: bytes) -> None:
    """Writes ``data`` as a new file that replaces ``path`` at once.

    A build killed half-way, or two at once, never leave a half file; and a
    file that has a second name elsewhere (a cache's link) is never changed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_bytes(data)
    os.replace(scratch, path)
