"""The Content-Security-Policy a built site satisfies, for the web server's header.

The pages carry no inline style and no inline event handler, but Material
inlines two small scripts: one defines ``__md_scope`` (its text names the
page's depth, so there are a few variants) and one opens a tab named by the
address's hash. Rather than ``'unsafe-inline'``, which would let any injected
script run, the policy lists the SHA-256 of each inline script the site holds,
computed from the built files. JSON (``__config``, JSON-LD) is data, not run,
and needs nothing. Pagefind's search runs WebAssembly: ``'wasm-unsafe-eval'``
(without it, search shows no result). Pictures an article takes from another
site, and frames from the embeddable hosts, are allowed by their origin.

``scripts/publish`` writes the header as an nginx ``add_header`` line to
``DEST/csp.conf`` and says when it changed (a Material upgrade): nginx reads it
on reload.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path
from urllib.parse import urlsplit

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
# Types a browser runs (the empty type is JavaScript); any other is data.
_RUN = {"", "text/javascript", "application/javascript", "module"}
_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?")
_IMAGE = re.compile(r"<(?:img|source)\b[^>]*>", re.IGNORECASE)
_ADDRESS = re.compile(r"""\b(src|srcset)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def inline_hashes(site_dir: Path) -> list[str]:
    """``'sha256-…'`` of every distinct inline script a browser would run, sorted."""
    found = set()
    for page in site_dir.rglob("*.html"):
        for attributes, code in _SCRIPT.findall(page.read_text(encoding="utf-8", errors="replace")):
            kind = _TYPE.search(attributes)
            if _SRC.search(attributes) or (kind.group(1).lower() if kind else "") not in _RUN:
                continue
            digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
            found.add(f"'sha256-{digest}'")
    return sorted(found)


def image_hosts(site_dir: Path) -> list[str]:
    """Origins of pictures the pages take from other sites (an editor may link one in a body)."""
    found = set()
    for page in site_dir.rglob("*.html"):
        for tag in _IMAGE.findall(page.read_text(encoding="utf-8", errors="replace")):
            for name, value in _ADDRESS.findall(tag):
                candidates = [c.strip().split()[0] for c in value.split(",") if c.strip()] if name.lower() == "srcset" else [value]
                for candidate in candidates:
                    parts = urlsplit(html.unescape(candidate).strip())
                    host = parts.netloc.lower()
                    # Only a plain host (and port) goes into the header: a ";" or a quote would add directives.
                    if parts.scheme.lower() in ("http", "https") and _HOST.fullmatch(host):
                        found.add(f"{parts.scheme.lower()}://{host}")
    return sorted(found)


def policy(site_dir: Path, embed_hosts: tuple[str, ...] = (), also: tuple[Path, ...] = ()) -> str:
    """The header's value: only the site's own files, the inline scripts by hash, frames only from embeddable hosts.

    ``also``: other sites whose scripts it allows too (the live release, while the next one is switched in).
    """
    frames = " ".join(f"https://{host}" for host in embed_hosts) or "'none'"
    hashes = sorted({digest for folder in (site_dir, *also) for digest in inline_hashes(folder)})
    directives = [
        ("default-src", "'self'"),
        ("script-src", " ".join(["'self'", "'wasm-unsafe-eval'", *hashes])),
        ("style-src", "'self'"),
        ("img-src", " ".join(["'self'", "data:", *image_hosts(site_dir)])),
        ("font-src", "'self'"),
        ("connect-src", "'self'"),
        ("frame-src", frames),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'self'"),
        ("frame-ancestors", "'self'"),
    ]
    return "; ".join(f"{name} {value}" for name, value in directives)


def nginx_line(value: str) -> str:
    return f'add_header Content-Security-Policy "{value}" always;\n'
