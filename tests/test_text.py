import unicodedata

import pytest

from newsroom import text


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Đắk Lắk", "dak-lak"),
        ("ĐẮK NÔNG", "dak-nong"),
        ("Ký kết chương trình phối hợp công tác theo Quyết định 238-QĐ/TW", "ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw"),
        ("Thủy lợi, ưu tiên: “ơn” & nghĩa", "thuy-loi-uu-tien-on-nghia"),
        ("kế họach", "ke-hoach"),
    ],
)
def test_slugs_are_ascii_with_d_for_d_stroke(title, slug):
    assert text.slugify(title) == slug
    assert text.slugify(unicodedata.normalize("NFD", title)) == slug


def test_long_slugs_are_cut_at_a_word_boundary():
    slug = text.slugify("Hội nghị " * 30)
    assert len(slug) <= text.SLUG_MAX
    assert slug.endswith("nghi") and not slug.endswith("-")


@pytest.mark.parametrize(
    "a, b",
    [
        ("hòa bình", "hoà bình"),
        ("thủy lợi", "thuỷ lợi"),
        ("kế họach", "kế hoạch"),
        ("Tòa án nhân dân tỉnh", "TOÀ ÁN NHÂN DÂN TỈNH"),
        ("Viện KSND tỉnh", unicodedata.normalize("NFD", "viện ksnd   tỉnh")),
        ("Quốc phòng - An ninh", "Quốc phòng – An ninh"),
    ],
)
def test_fold_matches_spellings_of_the_same_words(a, b):
    assert text.fold(a) == text.fold(b)


@pytest.mark.parametrize("a, b", [("hòa", "hoa"), ("hòa", "hóa"), ("ân", "ăn"), ("đa", "da")])
def test_fold_keeps_tones_and_letters_apart(a, b):
    assert text.fold(a) != text.fold(b)


def test_decode_strips_bom_and_normalizes_line_endings_and_nfc():
    raw = "\ufeff---\r\ntitle: Hoà\r\n".encode("utf-8")
    decoded = text.decode(unicodedata.normalize("NFD", raw.decode("utf-8")).encode("utf-8"))
    assert decoded == "---\ntitle: Hoà\n"
    assert unicodedata.is_normalized("NFC", decoded)


@pytest.mark.parametrize(
    "data, encoding",
    [
        ("Hô\u0323i nghi\u0323 ti\u0309nh".encode("cp1258"), "Windows-1258"),  # as Windows keyboards type it
        ("Hội nghị".encode("utf-16"), "UTF-16"),
    ],
)
def test_decode_names_the_likely_encoding(data, encoding):
    with pytest.raises(text.NotUtf8) as error:
        text.decode(data)
    assert error.value.encoding.startswith(encoding)


def test_shorten_cuts_at_a_word_boundary():
    assert text.shorten("Sáng 15-4, tại trụ sở Tỉnh ủy", 15) == "Sáng 15-4, tại…"
    assert text.shorten("Sáng 15-4, tại trụ sở Tỉnh ủy", 14) == "Sáng 15-4…"
    assert text.shorten("ngắn", 14) == "ngắn"


def test_closest_finds_accented_names_from_plain_input():
    known = ["UBND tỉnh", "HĐND tỉnh", "Sở Y tế"]
    assert text.closest("UBND tinh", known) == ["UBND tỉnh"]
    assert text.closest("HDND tnh", known)[0] == "HĐND tỉnh"
    assert text.closest("zzz", known) == []
