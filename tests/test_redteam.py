"""Holes found by red-teaming the sanitizer, link checks, withheld pictures and slugs.

Each test is an input that got through before its fix: a link to a draft
that the check did not see (read by Python's parser or ``urlsplit`` unlike a
browser), a draft's picture copied into site/, a slug that crashed the build.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom import urls
from newsroom.sanitize import Sanitizer

NEWSROOM = str(Path(sys.executable).parent / "newsroom")
SITE = "https://example.gov.vn/"
FRONT = "title: Tin an toàn\ndate: 2025-01-02\nagencies: [UBND tỉnh]"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082")  # a real 1×1 picture: the build decodes every picture it publishes


def check(site):
    env = {**os.environ, "NEWSROOM_NOW": "2026-11-26T12:00"}
    site.write_config()
    return subprocess.run([NEWSROOM, "check"], cwd=site.root, env=env, capture_output=True, text=True, timeout=60)


# Addresses a browser on https://example.gov.vn/2025/02/a/ follows to /2025/01/nhap/.
@pytest.mark.parametrize("href", [
    "\\2025\\01\\nhap\\",  # a backslash is a slash in http(s) URLs
    "https:/2025/01/nhap/",  # the page's own scheme without "//": relative
    "https:../../../2025/01/nhap/",
    "http:example.gov.vn/2025/01/nhap/",  # another scheme: always a host
    "///example.gov.vn/2025/01/nhap/",  # extra slashes before the host
    "https://example.gov.vn./2025/01/nhap/",  # the host's final dot
    "https://%65xample.gov.vn/2025/01/nhap/",  # an escaped host
    "https://EXAMPLE.gov.vn:443/2025/01/nhap/",
    "/2025/01/nh\tap/",  # browsers drop tabs and newlines
    "\x01/2025/01/nhap/ ",
])
def test_site_path_reads_addresses_as_a_browser_does(href):
    assert urls.site_path(SITE, "2025/02/a/", href) == "2025/01/nhap/"


@pytest.mark.parametrize("href", ["https://other.example/2025/01/nhap/", "http:other.example/2025/01/nhap/",
                                  "//other.example/2025/01/nhap/", "mailto:a@example.gov.vn", "#phan-2", "?q=1"])
def test_site_path_leaves_other_sites_and_anchors_alone(href):
    assert urls.site_path(SITE, "2025/02/a/", href) is None


@pytest.mark.parametrize("html, links, images", [
    ('<a href="/2025/01/nhap/" href="/">x</a>', ["/2025/01/nhap/"], []),  # html5ever keeps the first href
    ('<!-- --!><a href="/2025/01/nhap/">x</a>-->', ["/2025/01/nhap/"], []),  # a comment html5ever closes early
    ('<image src="/assets/nhap.png">', [], ["/assets/nhap.png"]),  # html5ever's <img>
    ('<img src="/assets/nhap.png" src="/x.png" alt="">', [], ["/assets/nhap.png"]),
])
def test_links_and_pictures_are_read_from_what_nh3_wrote(html, links, images):
    sanitizer = Sanitizer()
    assert sanitizer.references(sanitizer.clean(html)) == (links, images)


def test_a_drafts_picture_stays_out_of_site_however_its_address_is_written(tiny_site):
    pictures = {
        "image-tag": '<image src="../../../assets/image-tag.png">',
        "backslash": '<img src="..\\..\\..\\assets\\backslash.png" alt="">',
        "absolute": "![x](https://example.gov.vn/assets/absolute.png)",
        "no-slashes": "![x](https:/assets/no-slashes.png)",
        "repeated": '<img src="/assets/repeated.png" src="/assets/public.png" alt="">',
    }
    for name in (*pictures, "public"):
        tiny_site.write(f"docs/assets/{name}.png", PNG)
    tiny_site.post("2025/01/a.md", "title: Nháp\ndate: 2025-01-02\ndraft: true", "\n\n".join(pictures.values()) + "\n")
    tiny_site.post("2025/01/b.md", "title: Đã đăng\ndate: 2025-01-03", "![a](/assets/public.png)\n")
    built = tiny_site.build()
    assert built.errors == []
    assert sorted(p.name for p in (built.site_dir / "assets").glob("*.png")) == ["public.png"]


def test_a_slug_too_long_for_a_folder_name_is_an_error_not_a_traceback(tiny_site):
    tiny_site.post("2025/01/a.md", f"{FRONT}\nslug: {'a' * 300}")
    built = tiny_site.build()
    expected = "posts/2025/01/a.md:5: slug: is longer than 80 characters; shorten it to the few words that say what the article is"
    assert built.aborted and expected in built.errors
    result = check(tiny_site)
    assert result.returncode == 1 and expected in result.stdout.splitlines() and "Traceback" not in result.stderr


def test_a_registry_slug_too_long_for_a_folder_name_is_an_error_not_a_traceback(tiny_site):
    topics = tiny_site.root / "registries/topics.yml"
    tiny_site.write("registries/topics.yml", topics.read_text(encoding="utf-8") + f"\n- name: Chủ đề dài\n  slug: {'b' * 300}\n")
    built = tiny_site.build()
    assert built.aborted and len(built.errors) == 1
    assert built.errors[0].startswith("registries/topics.yml:") and "slug: is longer than 80 characters" in built.errors[0]
    assert "Traceback" not in check(tiny_site).stderr
