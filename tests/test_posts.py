"""Reading articles: each bad fixture yields exactly the problems in its .expected file."""

import unicodedata
from pathlib import Path

import pytest
from conftest import seed_paragraphs

from newsroom import site
from newsroom.post import DRAFT, EXPIRED, PUBLISHED, SCHEDULED, is_public
from newsroom.reader import read_post
from newsroom.dates import parse

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "tests/fixtures/bad").glob("*.md"))


@pytest.fixture(scope="module")
def registries():
    return site.load_registries(site.Settings.from_options(ROOT, ROOT / "docs", {}))


def read(path: Path, registries):
    return read_post(path, f"posts/{path.name}", registries, ROOT / "docs")


@pytest.mark.parametrize("fixture", BAD, ids=lambda p: p.stem)
def test_bad_post_reports_every_problem_with_file_line_and_field(fixture, registries):
    post, problems = read(fixture, registries)
    assert post is None
    expected = fixture.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert [str(p) for p in problems] == expected


def write(tmp_path: Path, data: bytes) -> Path:
    file = tmp_path / "bai.md"
    file.write_bytes(data)
    return file


def test_bom_and_crlf_never_hide_the_draft_flag(tmp_path, registries):
    source = "\ufeff---\r\ntitle: Nháp\r\ndate: 2022-04-15\r\ndraft: true\r\n---\r\n\r\nThân bài.\r\n"
    post, problems = read(write(tmp_path, source.encode("utf-8")), registries)
    assert problems == []
    assert post.draft is True and post.title == "Nháp" and post.body.strip() == "Thân bài."


def test_decomposed_text_is_read_as_nfc(tmp_path, registries):
    source = "---\ntitle: Hội nghị Tòa án\ndate: 2022-04\nagencies: [Toà án nhân dân tỉnh]\n---\n\nThủy lợi.\n"
    post, problems = read(write(tmp_path, unicodedata.normalize("NFD", source).encode("utf-8")), registries)
    assert problems == []
    assert post.title == "Hội nghị Tòa án" and unicodedata.is_normalized("NFC", post.body)
    assert [a.slug for a in post.agencies] == ["tand-tinh"]


@pytest.mark.parametrize(
    "data, message",
    [
        ("---\ntitle: Hô\u0323i nghi\u0323\ndate: 2022-04\n---\n\nx\n".encode("cp1258"),
         "posts/bai.md:1: encoding: the file is not UTF-8 (it looks like Windows-1258 (or a TCVN3/VNI legacy font)); "
         "convert it with: iconv -f WINDOWS-1258 -t UTF-8 'posts/bai.md' > fixed.md"),
        ("---\ntitle: Hội nghị\n---\n".encode("utf-16"),
         "posts/bai.md:1: encoding: the file is not UTF-8 (it looks like UTF-16); "
         "convert it with: iconv -f UTF-16 -t UTF-8 'posts/bai.md' > fixed.md"),
    ],
)
def test_files_that_are_not_utf8_get_a_conversion_command(tmp_path, registries, data, message):
    post, problems = read(write(tmp_path, data), registries)
    assert post is None and [str(p) for p in problems] == [message]


def test_defaults_slug_summary_and_one_name_as_a_list(tmp_path, registries):
    body = "## Tiêu đề phụ\n\nĐoạn **đầu tiên** của bài, có [liên kết](https://example.org) và đủ dài để bị cắt ngắn " + "rất " * 80 + "\n\nĐoạn hai.\n"
    source = f"---\ntitle: Đắk Lắk đón khách\ndate: 2022-04-15\nauthors: Hoàng Tuấn\nagencies: UBND tỉnh\n---\n\n{body}"
    post, problems = read(write(tmp_path, source.encode("utf-8")), registries)
    assert problems == []
    assert post.slug == "dak-lak-don-khach" and post.url == "2022/04/dak-lak-don-khach/"
    assert [a.name for a in post.authors] == ["Hoàng Tuấn"] and [a.name for a in post.agencies] == ["Ủy ban nhân dân tỉnh"]
    assert post.summary.startswith("Đoạn đầu tiên của bài, có liên kết và đủ dài")
    assert post.summary.endswith("rất…") and len(post.summary) <= 220


def test_seed_article_reads_with_its_agencies_and_month_date(registries):
    seed = ROOT / "posts/2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw.md"
    post, problems = read_post(seed, "seed", registries)
    assert problems == []
    assert post.title == "Ký kết chương trình phối hợp công tác theo Quyết định 238-QĐ/TW"
    assert (post.date.precision, post.date.short) == ("month", "tháng 4/2022")
    assert [a.slug for a in post.agencies] == ["ban-tuyen-giao-tinh-uy", "dang-doan-hdnd-tinh", "ubnd-tinh", "vksnd-tinh", "tand-tinh"]
    assert [a.name for a in post.authors] == ["Hoàng Tuấn"]


def test_seed_article_keeps_every_paragraph_of_the_source_word_for_word():
    paragraphs = seed_paragraphs()
    post_text = (ROOT / "posts/2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw.md").read_text(encoding="utf-8")
    assert len(paragraphs) == 6
    for paragraph in paragraphs:
        assert paragraph.strip() in post_text


@pytest.mark.parametrize(
    "fields, now, status",
    [
        ({}, "2022-05-01", PUBLISHED),
        ({"draft": True}, "2022-05-01", DRAFT),
        ({}, "2022-04-14T23:59", SCHEDULED),
        ({"expires": parse("2022-04-30")}, "2022-05-01", EXPIRED),
        ({"expires": parse("2022-04-30")}, "2022-04-29", PUBLISHED),
        ({"draft": True, "expires": parse("2022-04-30")}, "2022-01-01", DRAFT),
    ],
)
def test_lifecycle_and_the_one_public_rule(fields, now, status):
    from newsroom.post import Post

    post = Post(path="p.md", title="t", date=parse("2022-04-15"), slug="t", body="b", summary="", **fields)
    moment = parse(now).moment
    assert post.status(moment) == status
    assert is_public(post, moment) is (status == PUBLISHED)
