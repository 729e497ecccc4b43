import unicodedata
from pathlib import Path

import pytest

from newsroom import site
from newsroom.problems import Problems
from newsroom.registry import Registry

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def registries():
    return site.load_registries(site.Settings.from_options(ROOT, ROOT / "docs", {}))


@pytest.mark.parametrize(
    "written, slug",
    [
        ("Viện Kiểm sát nhân dân (KSND) tỉnh", "vksnd-tinh"),
        ("Viện KSND tỉnh", "vksnd-tinh"),
        ("viện kiểm sát nhân dân tỉnh", "vksnd-tinh"),
        ("Tòa án nhân dân (TAND) tỉnh", "tand-tinh"),
        ("Toà án nhân dân tỉnh", "tand-tinh"),
        (unicodedata.normalize("NFD", "TAND tỉnh"), "tand-tinh"),
        ("UBND tỉnh", "ubnd-tinh"),
        ("Đảng đoàn HĐND tỉnh", "dang-doan-hdnd-tinh"),
        ("Ban Tuyên giáo Tỉnh ủy", "ban-tuyen-giao-tinh-uy"),
        ("Ban Tuyên giáo Tỉnh uỷ", "ban-tuyen-giao-tinh-uy"),
    ],
)
def test_agencies_are_found_by_any_of_their_names(registries, written, slug):
    assert registries.agencies.lookup(written).slug == slug


def test_shipped_registries_cover_the_province(registries):
    agencies = registries.agencies
    assert agencies.lookup("Ban Tuyên giáo Tỉnh ủy").parent is agencies.by_slug["tinh-uy"]
    assert {"tinh-uy", "hdnd-tinh", "ubnd-tinh", "tand-tinh", "vksnd-tinh", "uy-ban-mttq-tinh"} <= set(agencies.by_slug)
    assert sum(1 for t in agencies.terms if t.name.startswith("Sở ")) >= 10
    assert all(t.parent.slug == "ubnd-tinh" for t in agencies.terms if t.name.startswith("Sở "))
    topics = {t.name for t in registries.topics.terms}
    assert {"Chính trị", "Kinh tế", "Xã hội", "Pháp luật", "Văn hóa", "Giáo dục", "Y tế", "Quốc phòng - An ninh"} <= topics
    assert registries.topics.lookup("Văn hoá").name == "Văn hóa"


def test_unknown_names_get_the_closest_known_ones(registries):
    assert registries.agencies.lookup("UBND tinh") is None
    assert registries.agencies.suggest("UBND tinh") == ["UBND tỉnh"]
    assert registries.topics.suggest("Y te") == ["Y tế"]


def test_a_broken_registry_reports_every_problem(tmp_path):
    path = tmp_path / "agencies.yml"
    path.write_text(
        "- name: Tỉnh ủy\n"
        "  slug: tinh-uy\n"
        "- name: Ban A\n"
        "  parent: tinh-uyy\n"
        "  websit: https://a.example\n"
        "- name: Ban B\n"
        "  aliases: [Tỉnh uỷ]\n"
        "  website: a.example\n"
        "- slug: khong-ten\n",
        encoding="utf-8",
    )
    with pytest.raises(Problems) as error:
        Registry.load(path, "agency", "registries/agencies.yml")
    assert [str(p) for p in error.value.problems] == [
        'registries/agencies.yml:3: parent: "tinh-uyy" is not the slug of any entry; did you mean "tinh-uy"?',
        'registries/agencies.yml:5: websit: unknown field; did you mean "website"?',
        'registries/agencies.yml:6: name: "Tỉnh uỷ" already names "Tỉnh ủy"; a name may belong to one entry only',
        "registries/agencies.yml:8: website: must start with https://",
        "registries/agencies.yml:9: name: missing",
    ]
