"""Pagefind's output made reproducible: the same articles give the same bytes.

Pagefind 1.5.2 writes each facet's values in the order of a Rust hash map,
which changes from run to run, and names every file by a hash of its
contents; so two builds of the same sources differed in ``filter/*``, the
meta file that names them and ``pagefind-entry.json``. Here each filter file
gets its values sorted and a name from its contents, and the meta file and
the entry point are rewritten to match. The formats are Pagefind's own:
gzip over ``pagefind_dcd`` followed by CBOR (JSON in a page's record, its
"fragment"); the index files are already deterministic and are left alone.

``attach_texts`` puts each article's text as written into its record after
Pagefind is done, so Pagefind never spends time on it (see newsroom.search).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import cbor2

from . import urls

MAGIC = b"pagefind_dcd"
_META_PAGES = 1  # the pages' position in the meta file's CBOR array: [record name, word count] each
_META_FILTERS = 3  # the filters' position in the meta file's CBOR array
_NAME_DIGITS = 7  # as Pagefind names records; more only where two would share a name


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
    return cbor2.loads(_unpack(file))


def _unpack(file: Path) -> bytes:
    data = gzip.decompress(file.read_bytes())
    if not data.startswith(MAGIC):
        raise ValueError(f"{file} is not a Pagefind file this build knows (did Pagefind's format change?)")
    return data[len(MAGIC):]


def _replace(old: Path, value, pattern: str, prefix: str, digits: int) -> str:
    """Write ``value`` in place of ``old``, in its folder, named by a hash of its bytes; return the new name."""
    data = gzip.compress(MAGIC + cbor2.dumps(value), mtime=0)
    name = prefix + hashlib.sha256(data).hexdigest()[:digits]
    new = old.with_name(pattern.format(name))
    new.write_bytes(data)
    if new != old:
        old.unlink()
    return name


def attach_texts(bundle: Path, sources: Path, text_file: str) -> int:
    """Give every page record in ``bundle`` its text as written, read from ``sources/<url>/<text_file>``; how many there are.

    The record's folded copy of the text (``content``, which Pagefind writes
    for its own excerpts) is left out: the search page shows the text as
    written. Records are renamed by a hash of their new bytes, so a changed
    text is a new file to every cache.
    """
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    old_folder, new_folder = bundle / "fragment", bundle / "fragment.new"
    new_folder.mkdir()
    records = 0
    for language, about in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _read(meta_file)
        taken: set[str] = set()
        for page in meta[_META_PAGES]:
            old = old_folder / f"{page[0]}.pf_fragment"
            record = _read_record(old)
            url = record["url"]
            text = urls.inside(sources, url.strip("/") + "/", text_file).read_text(encoding="utf-8")
            record["meta"]["text"], record["content"] = text, ""
            data = gzip.compress(MAGIC + json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"), mtime=0)
            page[0] = _free_name(f"{language}_", hashlib.sha256(data).hexdigest(), taken)
            (new_folder / f"{page[0]}.pf_fragment").write_bytes(data)
        meta_file.write_bytes(gzip.compress(MAGIC + cbor2.dumps(meta), mtime=0))  # renamed by canonicalize
        records += len(meta[_META_PAGES])
    shutil.rmtree(old_folder)
    new_folder.rename(old_folder)
    return records


def _read_record(file: Path) -> dict:
    record = json.loads(_unpack(file))
    if not isinstance(record, dict) or not isinstance(record.get("url"), str) or not isinstance(record.get("meta"), dict):
        raise ValueError(f"{file} is not a Pagefind page record this build knows (did Pagefind's format change?)")
    return record


def _free_name(prefix: str, digest: str, taken: set[str]) -> str:
    """``prefix`` and the shortest start of ``digest`` (at least ``_NAME_DIGITS``) no other record of the bundle has."""
    digits = _NAME_DIGITS
    while (name := prefix + digest[:digits]) in taken:
        digits += 1
    taken.add(name)
    return name
