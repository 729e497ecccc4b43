"""Pictures as readers' phones need them: resized variants, metadata stripped, cached by content.

Every picture under docs/ that a public article shows (its ``image:``, and the
JPEG, PNG or WebP ``<img>`` of its body) becomes WebP variants 480, 960 and
1440 px wide (never wider than the original) and the same widths in a
fallback format: JPEG, or PNG for a transparent picture. A lossy
variant is at most about ``MAX_BYTES``. Nothing of the original's metadata is
kept (EXIF with a phone's GPS position, XMP, comments): the EXIF orientation
is applied and colours converted to sRGB first. The picture's own path in
site/ gets the largest variant in its own format, so old links and sharing
metadata (og:image) still reach a picture, never the original file.

Variants are made once per content: ``.cache/pictures/`` in the project keeps
them under a hash of the bytes and of ``VERSION``, and each build copies them
from there into site/. A file's size and mtime remember its hash, so an
unchanged picture is not even read again.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from . import parallel, urls
from .files import write_whole
from .problems import Problem, Problems

VERSION = "2"  # part of every cache key: bump it when what follows changes, and every variant is made again
WIDTHS = (480, 960, 1440)
MAX_BYTES = 200_000
QUALITIES = (82, 74, 66, 58, 50, 42, 34)  # tried in turn until a variant fits in MAX_BYTES
MAX_PIXELS = 90_000_000  # a 200-megapixel camera's full frame is refused, not decoded into gigabytes
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
BODY_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")  # body pictures that get variants; others are left as they are
SITE_FOLDER = "_anh"  # variants in site/, named by content: a browser may keep them for ever
CACHE_FOLDER = ".cache/pictures"
_ORIENTATION = 0x0112
_SRGB = ImageCms.createProfile("sRGB")
_IMG = re.compile(r"<img\s[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')


class PictureError(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Variant:
    name: str  # its file name, in the cache and in site/_anh/
    width: int
    height: int
    mime: str

    @property
    def path(self) -> str:
        return f"{SITE_FOLDER}/{self.name}"


@dataclass(frozen=True)
class Picture:
    source: str  # its path under docs/, e.g. "anh/cau.jpg"
    variants: tuple[Variant, ...]  # WebP first, then the fallback format; narrowest first
    share: str  # the variant published at the source's own path

    @property
    def fallback_mime(self) -> str:
        return self.variants[-1].mime

    @property
    def width(self) -> int:
        return self.variants[-1].width

    @property
    def height(self) -> int:
        return self.variants[-1].height

    @property
    def fallback(self) -> Variant:
        """The ``src`` for browsers without ``srcset``: the widest fallback up to 960 px."""
        ones = self.of(self.fallback_mime)
        return ([v for v in ones if v.width <= WIDTHS[1]] or ones)[-1]

    def of(self, mime: str) -> list[Variant]:
        """The variants of one format, narrowest first (a ``srcset``)."""
        return [v for v in self.variants if v.mime == mime]

    def box(self, width: int | None = None) -> tuple[int, int]:
        """Width and height attributes: the picture's, or its height at an editor's ``width``."""
        if not width or width <= 0:
            return self.width, self.height
        return width, max(1, round(width * self.height / self.width))


@dataclass(frozen=True)
class Use:
    """Where an article shows a picture: for a problem's file, line and field."""

    post_path: str
    line: int
    field: str
    written: str


def widths(width: int) -> list[int]:
    """Variant widths for a picture ``width`` wide: never wider, none within 10 % of the next."""
    chosen = sorted({min(target, width) for target in WIDTHS})
    return [w for i, w in enumerate(chosen) if i == len(chosen) - 1 or chosen[i + 1] > w * 1.1]


# --- the cache ------------------------------------------------------------------

@dataclass(frozen=True)
class Prepared:
    picture: Picture
    stamp: tuple[int, int, str]  # size, mtime_ns and content key of the source file
    made: bool  # encoded now (else found in the cache)


class Cache:
    """Variants by content key in ``folder``; ``sources-v<VERSION>.json`` maps a file's stat to its key."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.index_file = folder / f"sources-v{VERSION}.json"
        try:
            loaded = json.loads(self.index_file.read_text(encoding="utf-8"))
            self.index = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.index = {}

    def prepare(self, file: Path, source: str) -> Prepared:
        """The picture at ``file`` (``source`` under docs/), made or found; raises ``PictureError``."""
        try:
            stat = file.stat()
            known = self.index.get(source)
            data = None
            if isinstance(known, list) and known[:2] == [stat.st_size, stat.st_mtime_ns] and isinstance(known[2], str):
                key = known[2]
            else:
                data = file.read_bytes()
                key = hashlib.blake2b(VERSION.encode() + data, digest_size=10).hexdigest()
        except OSError as error:
            raise PictureError(f"cannot be read: {error.strerror}", "check the file's permissions") from None
        stamp = (stat.st_size, stat.st_mtime_ns, key)
        picture = self._cached(key, source)
        if picture is not None:
            return Prepared(picture, stamp, False)
        try:
            data = data if data is not None else file.read_bytes()
        except OSError as error:
            raise PictureError(f"cannot be read: {error.strerror}", "check the file's permissions") from None
        return Prepared(self._make(data, key, source), stamp, True)

    def path(self, name: str) -> Path:
        return self.folder / name[:2] / name

    def save_index(self, stamps: dict[str, tuple[int, int, str]]) -> None:
        """Remember this build's sources (and only them: the index never grows past the site)."""
        write_whole(self.index_file, json.dumps({k: list(v) for k, v in sorted(stamps.items())}).encode())

    def _cached(self, key: str, source: str) -> Picture | None:
        try:
            meta = json.loads(self.path(key + ".json").read_text(encoding="utf-8"))
            variants = tuple(Variant(str(n), int(w), int(h), str(m)) for n, w, h, m in meta["variants"])
            share = str(meta["share"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not variants or not all(self.path(name).is_file() for name in (share, *(v.name for v in variants))):
            return None
        return Picture(source, variants, share)

    def _make(self, data: bytes, key: str, source: str) -> Picture:
        image, kind = _decode(data)
        fallback = "image/png" if image.mode == "RGBA" else "image/jpeg"
        frames = _resized(image)
        variants = []
        try:
            # The fast JPEG first, widest first: the quality that fits tells where
            # the others start, and WebP (ten times slower to encode) one step better.
            start = 0
            for mime in (fallback, "image/webp"):
                start = max(0, start - 1) if mime == "image/webp" else 0
                for frame in reversed(frames):
                    encoded, start = _encode(frame, mime, start)
                    variant = Variant(f"{key}-{frame.width}.{EXTENSIONS[mime]}", frame.width, frame.height, mime)
                    write_whole(self.path(variant.name), encoded)
                    variants.append(variant)
            variants.sort(key=lambda v: (v.mime != "image/webp", v.width))
            share = _share(variants, FORMATS[kind])
            if share is None:  # an opaque PNG (its fallback is JPEG): its own address still serves a PNG
                share = f"{key}-{frames[-1].width}.png"
                write_whole(self.path(share), _encode(frames[-1], "image/png", 0)[0])
            meta = {"variants": [[v.name, v.width, v.height, v.mime] for v in variants], "share": share}
            write_whole(self.path(key + ".json"), json.dumps(meta).encode())  # last: the mark of a complete entry
        except OSError as error:
            if error.strerror is None:  # from an encoder, not the disk
                raise PictureError(f"cannot be encoded ({error})", "crop it to ordinary proportions and save it again") from None
            raise PictureError(f"its variants cannot be written to {self.folder.name}/: {error.strerror}",
                               "free some disk space, or delete the cache folder") from None
        except (ValueError, MemoryError) as error:  # WebP stops at 16383 px: a picture hundreds of times taller than wide
            raise PictureError(f"cannot be encoded ({type(error).__name__}: {error})", "crop it to ordinary proportions and save it again") from None
        return Picture(source, tuple(variants), share)


def _share(variants: list[Variant], mime: str) -> str | None:
    """The widest variant in the source's own format, published at the source's address."""
    ones = [v for v in variants if v.mime == mime]
    return ones[-1].name if ones else None


# --- decoding and encoding -----------------------------------------------------------

def _decode(data: bytes) -> tuple[Image.Image, str]:
    """The picture upright, in sRGB, RGB or RGBA, without metadata; and its format."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format or ""
            if kind not in FORMATS:
                raise PictureError(f"is a {kind} picture; the portal takes JPEG, PNG or WebP", "save it as one of them")
            if image.width * image.height > MAX_PIXELS:
                raise PictureError(f"is {image.width}×{image.height} pixels, more than the {MAX_PIXELS // 1_000_000} million the build takes",
                                   "scale it down to at most 4000 pixels wide")
            if kind == "JPEG":  # decoded at 1/2, 1/4 or 1/8 scale when that is still wider than the widest variant
                turned = image.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8)
                scale = min(1.0, WIDTHS[-1] / (image.height if turned else image.width))
                image.draft(None, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
            image.load()
            image = _srgb(ImageOps.exif_transpose(image))
    except PictureError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError(f"has more than {MAX_PIXELS // 1_000_000} million pixels", "scale it down to at most 4000 pixels wide") from None
    except UnidentifiedImageError:
        raise PictureError("is not a picture (JPEG, PNG or WebP) or is damaged", "save it again as JPEG, PNG or WebP") from None
    except OSError as error:
        if "truncated" in str(error).lower():
            raise PictureError("is truncated: the file ends before the picture does", "copy or upload the picture again") from None
        raise PictureError(f"cannot be decoded ({error})", "open it in a picture editor and save it again") from None
    except Exception as error:  # noqa: BLE001 - a damaged file raises anything from deep in a decoder
        raise PictureError(f"cannot be decoded ({type(error).__name__})", "open it in a picture editor and save it again") from None
    image.info.clear()  # copied into every resized frame and partly saved by the encoders: nothing of the original
    return image, kind


def _srgb(image: Image.Image) -> Image.Image:
    """RGB or RGBA in sRGB: an embedded profile (a phone's Display P3) converted, then dropped."""
    alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    mode = "RGBA" if alpha else "RGB"
    profile = image.info.get("icc_profile")
    if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        image = image.convert(mode)
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            if "srgb" not in ImageCms.getProfileDescription(source).lower():
                image = ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode if image.mode != "L" else "L")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # an unreadable profile: the colours as they are
    if image.mode != mode:
        image = image.convert(mode)
    if alpha and image.getchannel("A").getextrema()[0] == 255:  # transparency declared, never used
        image = image.convert("RGB")
    return image


def _resized(image: Image.Image) -> list[Image.Image]:
    """One frame per variant width, narrowest first, each made from the next wider."""
    frames: list[Image.Image] = []
    for width in reversed(widths(image.width)):
        wider = frames[-1] if frames else image
        height = max(1, round(image.height * width / image.width))
        frame = wider if wider.size == (width, height) else wider.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        frame.info.clear()
        frames.append(frame)
    return frames[::-1]


def _encode(image: Image.Image, mime: str, start: int) -> tuple[bytes, int]:
    """The encoded bytes and the index in ``QUALITIES`` that fit ``MAX_BYTES`` (PNG: lossless, as it comes)."""
    if mime == "image/png":
        return _save(image, "PNG", optimize=True), start
    for index in range(start, len(QUALITIES)):
        options = {"quality": QUALITIES[index]}
        options.update({"optimize": True, "progressive": True} if mime == "image/jpeg" else {"method": 4})
        data = _save(image, "JPEG" if mime == "image/jpeg" else "WEBP", **options)
        if len(data) <= MAX_BYTES:
            break
    return data, index


def _save(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


# --- a site's pictures --------------------------------------------------------------

class Gallery:
    """The prepared pictures of the public articles, by path under docs/; what templates ask for."""

    def __init__(self, pictures: dict[str, Picture], cache: Cache, site_url: str = ""):
        self.pictures, self.cache, self.site_url = pictures, cache, site_url
        self.made = 0  # pictures encoded by this build (the rest came from the cache)

    def of(self, written: str, page_url: str = "") -> Picture | None:
        """The picture ``written`` on the page at ``page_url`` shows; None for another site's or an unknown one."""
        return self.pictures.get(urls.local_path(page_url, written, self.site_url)) if written else None

    def files(self) -> list[tuple[str, Path]]:
        """(path in site/, file in the cache): every variant once, and each source's published copy."""
        found = {}
        for picture in self.pictures.values():
            for variant in picture.variants:
                found[variant.path] = self.cache.path(variant.name)
            found[picture.source] = self.cache.path(picture.share)
        return sorted(found.items())


def uses(posts: Iterable, docs_dir: Path, site_url: str = "") -> dict[str, list[Use]]:
    """Every picture under docs/ the posts show (path under docs/ -> where)."""
    found: dict[str, list[Use]] = {}
    for post in posts:
        if post.image:
            _add(found, docs_dir, urls.local_path("", post.image, site_url), Use(post.path, post.lines.get("image", 1), "image", post.image))
        for src in post.images:
            path = urls.local_path(post.url, src, site_url)
            if path.lower().endswith(BODY_SUFFIXES):
                _add(found, docs_dir, path, Use(post.path, _body_line(post, src), "body", src))
    return found


def _add(found: dict[str, list[Use]], docs_dir: Path, path: str, use: Use) -> None:
    if path and _inside(docs_dir, path):
        found.setdefault(path, []).append(use)


def _inside(docs_dir: Path, path: str) -> bool:
    """A regular file under docs/ (a link leading out of it is not one of ours)."""
    try:
        file = (docs_dir / path).resolve()
        return file.is_file() and file.is_relative_to(docs_dir.resolve())
    except (OSError, ValueError):
        return False


def _body_line(post, src: str) -> int:
    first = post.lines.get("body", 1)
    for needle in (src, html.unescape(src)):
        at = post.body.find(needle)
        if at >= 0:
            return first + post.body.count("\n", 0, at)
    return first


def prepare(posts: Iterable, docs_dir: Path, cache_dir: Path, site_url: str = "") -> Gallery:
    """Every picture the posts show, made or found in the cache; raises ``Problems`` naming each article and line."""
    found = uses(posts, docs_dir, site_url)
    cache = Cache(cache_dir)
    sources = sorted(found)
    # One picture per chunk of work: a picture takes a second, not the microseconds of a page.
    items = [item for source in sources for item in (source, *[None] * (parallel.CHUNK - 1))]
    job = parallel.Shared(_prepare_one(cache, docs_dir), items, parallel.worker_count(len(sources), minimum=2))
    results = [result for result in job.results() if result is not None]
    pictures, problems, stamps = {}, [], {}
    gallery = Gallery(pictures, cache, site_url)
    for source, result in zip(sources, results):
        if isinstance(result, Prepared):
            pictures[source], stamps[source] = result.picture, result.stamp
            gallery.made += result.made
        else:
            message, hint = result
            problems += [Problem(use.post_path, use.line, use.field, _where(use) + message, hint) for use in found[source]]
    if problems:
        raise Problems(problems)
    try:
        cache.save_index(stamps)
    except OSError:
        pass  # the next build hashes the pictures again, nothing worse
    return gallery


def _prepare_one(cache: Cache, docs_dir: Path) -> Callable:
    def prepare_one(source: str | None):
        if source is None:
            return None
        try:
            return cache.prepare(docs_dir / source, source)
        except PictureError as error:
            return error.message, error.hint  # travels back to the parent, which names the articles
    return prepare_one


def _where(use: Use) -> str:
    return f'"{use.written}" ' if use.field == "image" else f'picture "{use.written}" '


# --- article bodies ---------------------------------------------------------------

def rewrite_body(post, gallery: Gallery, render: Callable) -> str:
    """The article's sanitized HTML with each of its docs/ pictures as ``render(picture, alt, base, width)``.

    ``render`` is the template macro (overrides/partials/picture.html), so a
    body's pictures and a lead picture are written by the same markup.
    """
    base = "/".join([".."] * post.url.count("/")) or "."

    def replace(match: re.Match) -> str:
        attributes = {name.lower(): html.unescape(value) for name, value in _ATTRIBUTE.findall(match.group())}
        picture = gallery.of(attributes.get("src", ""), post.url)
        if picture is None:
            return match.group()
        width = attributes.get("width", "")
        return str(render(picture, attributes.get("alt", ""), base, int(width) if width.isdigit() else None))

    return _IMG.sub(replace, post.html)
