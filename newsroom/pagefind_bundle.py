"""Pagefind's output made reproducible: the same articles give the same bytes.

Pagefind 1.5.2 writes each facet's values in the order of a Rust hash map,
which changes from run to run, and names every file by a hash of its
contents; so two builds of the same sources differed in ``filter/*``, the
meta file that names them and ``pagefind-entry.json``. Here each filter file
gets its values sorted and a name from its contents, and the meta file and
the entry point are rewritten to match. The formats are Pagefind's own:
gzip over ``pagefind_dcd`` followed by CBOR; the index and fragment files
are already deterministic and are left alone.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

MAGIC = b"pagefind_dcd"
_META_FILTERS = 3  # the filters' position in the meta file's CBOR array


def canonicalize(bundle: Path) -> None:
    """Rewrite ``bundle`` (the ``pagefind/`` folder) so its bytes depend only on what was indexed."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, about in sorted(entry["languages"].items()):
        old_meta = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _read(old_meta)
        filters = []
        for name, old_name in meta[_META_FILTERS]:
            old_filter = bundle / "filter" / f"{old_name}.pf_filter"
            key, values = _read(old_filter)
            new_name = _replace(old_filter, [key, sorted(values, key=lambda v: v[0])], "{}.pf_filter", f"{language}_", 7)
            filters.append([name, new_name])
        meta[_META_FILTERS] = sorted(filters)
        about["hash"] = _replace(old_meta, meta, "pagefind.{}.pf_meta", f"{language}_", 10)
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(file: Path):
    data = gzip.decompress(file.read_bytes())
    if not data.startswith(MAGIC):
        raise ValueError(f"{file} is not a Pagefind file this build knows (did Pagefind's format change?)")
    return cbor2.loads(data[len(MAGIC):])


def _replace(old: Path, value, pattern: str, prefix: str, digits: int) -> str:
    """Write ``value`` in place of ``old``, in its folder, named by a hash of its bytes; return the new name."""
    data = gzip.compress(MAGIC + cbor2.dumps(value), mtime=0)
    name = prefix + hashlib.sha256(data).hexdigest()[:digits]
    new = old.with_name(pattern.format(name))
    new.write_bytes(data)
    if new != old:
        old.unlink()
    return name
