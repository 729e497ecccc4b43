"""Pictures: variants made with Pillow, metadata stripped, cached by content, bad files named.

Unit tests of newsroom.pictures on pictures drawn here, and real builds of a
tiny site whose pages are read with html5lib and whose files with Pillow.
"""

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from newsroom import pictures

FRONT = "title: Tin có ảnh\ndate: 2025-01-02\nagencies: [UBND tỉnh]\nimage: anh/le.jpg\nimage_alt: Quang cảnh buổi lễ"
GPS = 0x8825


def photo(width=2400, height=1600, exif=True, orientation=1, **save) -> bytes:
    """A drawn JPEG with a phone's metadata: GPS position, orientation, XMP, a comment."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(200, 40, 30))
    draw.rectangle((width * 2 // 3, height // 3, width - 20, height - 20), fill=(20, 90, 160))
    options = {"quality": 92, "comment": b"Vi tri: 12.68N 108.05E", "xmp": b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPS</x:xmpmeta>'}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"
        data[0x0112] = orientation
        data.get_ifd(GPS).update({1: "N", 2: (12.0, 40.0, 48.0), 3: "E", 4: (108.0, 3.0, 0.0)})
        options["exif"] = data.tobytes()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **{**options, **save})
    return buffer.getvalue()


def noisy_photo() -> bytes:
    """About 10 MB of JPEG: a 12-megapixel phone photo's worth of fine detail (the worst case for size)."""
    base = Image.linear_gradient("L").resize((4032, 3024)).convert("RGB")
    noise = Image.effect_noise((4032, 3024), 60).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(base, noise, 0.5).save(buffer, "JPEG", quality=97)
    return buffer.getvalue()


def has_no_metadata(file: Path) -> None:
    with Image.open(file) as image:
        assert not image.getexif(), file
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & set(image.info), (file, image.info.keys())
    assert b"PhoneMaker" not in file.read_bytes() and b"GPS" not in file.read_bytes()


# --- the core ---------------------------------------------------------------------

def test_widths_never_upscale_nor_nearly_repeat():
    assert pictures.widths(4000) == [480, 960, 1440]
    assert pictures.widths(1440) == [480, 960, 1440]
    assert pictures.widths(1000) == [480, 1000]  # 960 is within 10 % of 1000
    assert pictures.widths(700) == [480, 700]
    assert pictures.widths(300) == [300]


def test_variants_are_smaller_upright_and_carry_no_metadata(tmp_path):
    source = tmp_path / "docs/anh/le.jpg"
    source.parent.mkdir(parents=True)
    source.write_bytes(photo(orientation=6))  # the phone was held upright: 1600 wide once turned
    prepared = pictures.Cache(tmp_path / "cache").prepare(source, "anh/le.jpg")
    assert prepared.made
    picture = prepared.picture
    cache = pictures.Cache(tmp_path / "cache")
    assert [(v.mime, v.width) for v in picture.variants] == [
        ("image/webp", 480), ("image/webp", 960), ("image/webp", 1440),
        ("image/jpeg", 480), ("image/jpeg", 960), ("image/jpeg", 1440),
    ]
    for variant in picture.variants:
        file = cache.path(variant.name)
        assert file.stat().st_size < source.stat().st_size
        with Image.open(file) as image:
            assert image.size == (variant.width, variant.height)
            assert image.format == {"image/webp": "WEBP", "image/jpeg": "JPEG"}[variant.mime]
            assert image.height > image.width  # the EXIF orientation was applied before it was dropped
        has_no_metadata(file)
    assert picture.share == picture.variants[-1].name  # a JPEG's own path gets the widest JPEG


def test_transparent_png_keeps_its_alpha_and_stays_png(tmp_path):
    image = Image.new("RGBA", (1200, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((100, 100, 500, 500), fill=(180, 20, 20, 255))
    source = tmp_path / "logo.png"
    image.save(source)
    picture = pictures.Cache(tmp_path / "cache").prepare(source, "logo.png").picture
    assert picture.fallback_mime == "image/png"
    assert {v.mime for v in picture.variants} == {"image/webp", "image/png"}
    assert [v.width for v in picture.variants if v.mime == "image/png"] == [480, 960, 1200]
    with Image.open(pictures.Cache(tmp_path / "cache").path(picture.share)) as shared:
        assert shared.format == "PNG" and shared.mode == "RGBA"
        assert shared.getchannel("A").getextrema() == (0, 255)


def test_an_opaque_png_falls_back_to_jpeg_and_its_own_address_stays_png(tmp_path):
    source = tmp_path / "bieu-do.png"
    Image.new("RGB", (1600, 900), (20, 90, 160)).save(source)
    cache = pictures.Cache(tmp_path / "cache")
    picture = cache.prepare(source, "bieu-do.png").picture
    assert {v.mime for v in picture.variants} == {"image/webp", "image/jpeg"}
    with Image.open(cache.path(picture.share)) as shared:
        assert shared.format == "PNG" and shared.size == (1440, 810)


def test_a_12_mb_class_phone_photo_gives_variants_of_at_most_200_kb(tmp_path):
    source = tmp_path / "dien-thoai.jpg"
    source.write_bytes(noisy_photo())
    assert source.stat().st_size > 8_000_000
    picture = pictures.Cache(tmp_path / "cache").prepare(source, "dien-thoai.jpg").picture
    sizes = {v.name: pictures.Cache(tmp_path / "cache").path(v.name).stat().st_size for v in picture.variants}
    assert max(sizes.values()) <= pictures.MAX_BYTES, sizes
    assert max(v.width for v in picture.variants) == 1440


def test_an_unchanged_picture_is_found_in_the_cache_not_read_again(tmp_path):
    source = tmp_path / "le.jpg"
    source.write_bytes(photo())
    first = pictures.Cache(tmp_path / "cache").prepare(source, "le.jpg")
    pictures.Cache(tmp_path / "cache").save_index({"le.jpg": first.stamp})
    again = pictures.Cache(tmp_path / "cache").prepare(source, "le.jpg")
    assert not again.made and again.picture == first.picture
    source.write_bytes(photo(width=2000))  # changed: made anew
    assert pictures.Cache(tmp_path / "cache").prepare(source, "le.jpg").made


@pytest.mark.parametrize("content, message", [
    (photo()[:40_000], "is truncated: the file ends before the picture does"),
    (b"Day khong phai la anh.\n", "is not a picture (JPEG, PNG or WebP) or is damaged"),
    (b"", "is not a picture (JPEG, PNG or WebP) or is damaged"),
])
def test_bad_files_raise_a_picture_error(tmp_path, content, message):
    source = tmp_path / "hong.jpg"
    source.write_bytes(content)
    with pytest.raises(pictures.PictureError) as raised:
        pictures.Cache(tmp_path / "cache").prepare(source, "hong.jpg")
    assert raised.value.message == message


def test_a_picture_too_tall_to_encode_is_named_not_a_traceback(tmp_path):
    source = tmp_path / "cuon-giay.png"
    Image.new("RGB", (600, 40000), (10, 20, 30)).save(source)
    with pytest.raises(pictures.PictureError, match=r"^cannot be encoded \(ValueError: .*16383"):
        pictures.Cache(tmp_path / "cache").prepare(source, "cuon-giay.png")


def test_other_formats_are_named(tmp_path):
    source = tmp_path / "anh.gif"
    Image.new("RGB", (50, 50)).save(source, "GIF")
    with pytest.raises(pictures.PictureError, match="is a GIF picture; the portal takes JPEG, PNG or WebP"):
        pictures.Cache(tmp_path / "cache").prepare(source, "anh.gif")


# --- real builds --------------------------------------------------------------------

def sources_of(element) -> list[str]:
    return [entry.strip().split(" ")[0] for entry in element.get("srcset").split(",")]


def resolve(site_dir: Path, page_url: str, src: str) -> Path:
    return (site_dir / page_url / src).resolve()


@pytest.fixture
def pictured(tiny_site):
    tiny_site.write("docs/anh/le.jpg", photo())
    tiny_site.write("docs/anh/hien-truong.jpg", photo(width=1800, height=1200))
    tiny_site.post("2025/01/tin-co-anh.md", FRONT + '\nimage_caption: "Ảnh: Hoàng Tuấn"',
                   'Mở đầu.\n\n![Hiện trường "mới" <b>](../../../anh/hien-truong.jpg)\n\nĐoạn sau.\n')
    return tiny_site


def test_article_lead_and_body_pictures_have_variants_srcset_and_size(pictured):
    built = pictured.build()
    assert built.errors == [] and built.aborted is None
    url = "2025/01/tin-co-anh/"
    page = built.html(url)
    lead, body = page.xpath("//figure[@class='nr-figure']//img")[0], page.xpath("//div[@class='nr-body']//img")[0]
    assert lead.get("loading") == "eager" and lead.get("fetchpriority") == "high"
    assert body.get("loading") == "lazy"
    assert body.get("alt") == 'Hiện trường "mới" <b>'  # escaped in the attribute, read back as text
    assert (lead.get("width"), lead.get("height")) == ("1440", "960")
    assert (body.get("width"), body.get("height")) == ("1440", "960")
    original = (pictured.root / "docs/anh/le.jpg").stat().st_size
    for img in (lead, body):
        webp = img.getparent().xpath("source[@type='image/webp']")[0]
        for element, kind in ((webp, "WEBP"), (img, "JPEG")):
            assert element.get("sizes")
            for src in sources_of(element):
                file = resolve(built.site_dir, url, src)
                assert file.is_file() and file.stat().st_size < original
                with Image.open(file) as image:
                    assert image.format == kind
                    assert f"{image.width}w" in element.get("srcset")
                has_no_metadata(file)
        assert resolve(built.site_dir, url, img.get("src")).is_file()
    # The originals' own paths hold stripped copies: old links and og:image still find a picture, never the GPS.
    for name in ("le.jpg", "hien-truong.jpg"):
        has_no_metadata(built.site_dir / "anh" / name)
    assert page.xpath("//meta[@property='og:image']/@content") == ["https://example.gov.vn/anh/le.jpg"]


def test_listings_show_a_lazy_thumbnail(pictured):
    pictured.post("2025/01/khong-anh.md", "title: Tin không ảnh\ndate: 2025-01-03\nagencies: [UBND tỉnh]")
    built = pictured.build()
    for url in ("co-quan/ubnd-tinh/", "2025/01/"):
        items = built.html(url).xpath("//li[contains(@class, 'nr-item')]")
        with_picture = [item for item in items if "nr-item--picture" in item.get("class")]
        assert len(items) == 2 and len(with_picture) == 1
        thumb = with_picture[0].xpath(".//img")[0]
        assert thumb.get("loading") == "lazy" and thumb.get("alt") == "" and thumb.get("width") and thumb.get("height")
        for element in (thumb, with_picture[0].xpath(".//source")[0]):
            for src in sources_of(element):
                assert resolve(built.site_dir, url, src).is_file()


def test_a_second_build_copies_from_the_cache_without_encoding(pictured):
    pictured.build()
    cached = sorted((pictured.root / pictures.CACHE_FOLDER).glob("*/*"))
    before = {file: file.stat().st_mtime_ns for file in cached}
    assert len(before) == 14  # two pictures: three widths in two formats, and what was made
    pictured.caplog.clear()
    built = pictured.build()
    assert built.errors == []
    assert "pictures: 2 (0 made, the rest from .cache/pictures/)" in pictured.caplog.text
    assert {file: file.stat().st_mtime_ns for file in cached} == before
    assert not (pictured.root / "site" / ".cache").exists()


def test_a_truncated_lead_picture_is_an_error_naming_the_article_and_line(pictured):
    pictured.write("docs/anh/le.jpg", photo()[:30_000])
    built = pictured.build()
    assert built.aborted
    assert built.errors == ['posts/2025/01/tin-co-anh.md:5: image: "anh/le.jpg" is truncated: the file ends before the picture does; copy or upload the picture again']


def test_a_body_picture_that_is_no_picture_is_an_error_on_its_line(pictured):
    pictured.write("docs/anh/hien-truong.jpg", "<html>not a picture</html>")
    built = pictured.build()
    assert built.aborted
    assert built.errors == ['posts/2025/01/tin-co-anh.md:12: body: picture "../../../anh/hien-truong.jpg" is not a picture (JPEG, PNG or WebP) or is damaged; save it again as JPEG, PNG or WebP']
    assert "Traceback" not in pictured.caplog.text


def test_hostile_alt_text_stays_text(tiny_site):
    tiny_site.write("docs/anh/le.jpg", photo(width=800, height=600))
    tiny_site.post("2025/01/tin.md", FRONT.replace("Quang cảnh buổi lễ", "'\"><script>alert(1)</script>'"))
    built = tiny_site.build()
    text = built.text("2025/01/tin-co-anh/")
    assert "<script>alert(1)" not in text
    assert built.html("2025/01/tin-co-anh/").xpath("//figure//img/@alt") == ['"><script>alert(1)</script>']
    assert re.search(r'srcset="\.\./\.\./\.\./_anh/[0-9a-f]{20}-480\.webp 480w, \.\./\.\./\.\./_anh/[0-9a-f]{20}-800\.webp 800w"', text)


def test_body_pictures_keep_an_editors_width_and_leave_other_sites_alone(tmp_path):
    from types import SimpleNamespace

    from jinja2 import Environment, FileSystemLoader

    source = tmp_path / "docs/anh/le.jpg"
    source.parent.mkdir(parents=True)
    source.write_bytes(photo(width=1200, height=800, exif=False))
    gallery = pictures.Gallery({"anh/le.jpg": pictures.Cache(tmp_path / "cache").prepare(source, "anh/le.jpg").picture}, None)
    post = SimpleNamespace(url="2025/01/tin/", html='<p><img src="../../../anh/le.jpg" alt="Lễ &amp; hội" width="300"></p>'
                                                   '<p><img src="https://noi-khac.example/le.jpg" alt="x"></p>')
    render = Environment(loader=FileSystemLoader(Path(__file__).parent.parent / "overrides")).get_template("partials/picture.html").module.picture
    html = pictures.rewrite_body(post, gallery, render)
    assert '<p><img src="https://noi-khac.example/le.jpg" alt="x"></p>' in html
    assert 'width="300" height="200" alt="Lễ &amp; hội" loading="lazy"' in html
    assert 'sizes="(max-width: 300px) 100vw, 300px"' in html
    assert re.search(r'srcset="\.\./\.\./\.\./_anh/[0-9a-f]{20}-480\.jpg 480w, \.\./\.\./\.\./_anh/[0-9a-f]{20}-960\.jpg 960w, \.\./\.\./\.\./_anh/[0-9a-f]{20}-1200\.jpg 1200w"', html)
