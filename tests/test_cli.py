"""The editors' command, run for real on files in a temp project."""

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import SEED_SOURCE, seed_paragraphs

NEWSROOM = str(Path(sys.executable).parent / "newsroom")
BAD = Path(__file__).parent / "fixtures/bad"


@pytest.fixture
def project(tiny_site):
    tiny_site.write_config()
    return tiny_site


def run(project, *args, now="2026-11-26T09:00"):
    env = {**os.environ, "NEWSROOM_NOW": now}
    return subprocess.run([NEWSROOM, *args], cwd=project.root, env=env, capture_output=True, text=True, timeout=60)


# --- check --------------------------------------------------------------------

def test_check_passes_clean_posts_and_says_how_many(project):
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01\nagencies: [UBND tỉnh]")
    result = run(project, "check")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.startswith("newsroom check: 1 file(s), 0 error(s), 0 warning(s) in ")


@pytest.mark.parametrize("fixture", sorted(BAD.glob("*.md")), ids=lambda p: p.stem)
def test_check_reports_each_bad_input_exactly(project, fixture):
    shutil.copy(fixture, project.root / "posts" / fixture.name)
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == fixture.with_suffix(".expected").read_text(encoding="utf-8").splitlines()


def test_check_github_format_annotates_files_and_lines(project):
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01\nagencies: [UBND tinh]")
    result = run(project, "check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout == '::error file=posts/2025/01/a.md,line=4::agencies: "UBND tinh" is not a known agency; did you mean "UBND tỉnh"?\n'


@pytest.mark.parametrize(
    "encoding, name, iconv",
    [("cp1258", "Windows-1258 (or a TCVN3/VNI legacy font)", "WINDOWS-1258"), ("utf-16", "UTF-16", "UTF-16")],
)
def test_check_names_the_encoding_of_a_non_utf8_file(project, encoding, name, iconv):
    source = "---\ntitle: Hô\u0323i nghi\u0323\ndate: 2025-01-01\n---\n\nThân bài.\n"  # tones as combining marks, as cp1258 stores them
    project.write("posts/a.md", source.encode(encoding))
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stdout == (f"posts/a.md:1: encoding: the file is not UTF-8 (it looks like {name}); "
                             f"convert it with: iconv -f {iconv} -t UTF-8 'posts/a.md' > fixed.md\n")


def test_check_fix_removes_bom_and_normalizes_nfc_without_losing_the_draft_flag(project):
    source = "\ufeff---\r\ntitle: Hoà bình\r\ndate: 2025-01-01\r\ndraft: true\r\n---\r\n\r\nThủy lợi.\r\n"
    file = project.write("posts/a.md", unicodedata.normalize("NFD", source).encode("utf-8"))
    before = run(project, "check")
    assert before.returncode == 0
    assert before.stdout.splitlines() == [
        "posts/a.md:1: warning: encoding: the file starts with a byte order mark (BOM); newsroom check --fix repairs it",
        "posts/a.md:2: warning: text: decomposed (NFD) characters, as some Windows keyboards type them; newsroom check --fix repairs it",
    ]
    fixed = run(project, "check", "--fix")
    assert fixed.stdout.splitlines() == ["posts/a.md: fixed: removed the byte order mark (BOM); normalized 2 line(s) to NFC"]
    assert file.read_bytes() == source.removeprefix("\ufeff").encode("utf-8")  # CRLF kept, text NFC
    built = project.build()
    assert not (built.site_dir / "2025").exists()  # still a draft


def test_tone_placement_is_reported_and_never_rewritten(project):
    file = project.post("2025/01/a.md", "title: A\ndate: 2025-01-01", "Kế hoạch năm.\n\nTriển khai kế họach.\n")
    result = run(project, "check", "--fix")
    assert result.returncode == 0
    assert result.stdout == ('posts/2025/01/a.md:8: warning: text: "họach" and "hoạch" are one word with the tone mark '
                             "in different places; choose one spelling; this is not changed automatically\n")
    assert "kế họach" in file.read_text(encoding="utf-8")


def test_crlf_posts_read_exactly_like_lf(project):
    project.write("posts/a.md", b"---\r\ntitle: A\r\ndate: 2025-01-01\r\nagencies:\r\n  - UBND tinh\r\n---\r\n\r\nX\r\n")
    result = run(project, "check")
    assert result.stdout == 'posts/a.md:5: agencies: "UBND tinh" is not a known agency; did you mean "UBND tỉnh"?\n'


def test_links_duplicates_and_selected_paths(project):
    project.post("2025/01/a.md", "title: Trùng\ndate: 2025-01-01",
                 "Xem [bài cũ](/2024/01/khong-co/), [bản nháp](../nhap/) và [tệp](b.md).\n")
    project.post("2025/01/b.md", "title: Trùng\ndate: 2025-01-05")
    project.post("2025/01/c.md", "title: Nháp\ndate: 2025-01-02\ndraft: true")
    result = run(project, "check")
    assert result.stdout.splitlines() == [
        "posts/2025/01/a.md:6: body: links to /2024/01/khong-co/, which is no article; check the address; an article's address is /YYYY/MM/slug/",
        "posts/2025/01/a.md:6: body: links to /2025/01/nhap/, which is draft (posts/2025/01/c.md); publish that article first, or remove the link",
        'posts/2025/01/a.md:6: body: links to the file "b.md"; link to its address instead: /2025/01/trung/',
        "posts/2025/01/b.md:2: slug: /2025/01/trung/ is already the URL of posts/2025/01/a.md; give one of them its own slug, e.g. slug: trung-2",
    ]
    only_b = run(project, "check", "posts/2025/01/b.md")
    assert only_b.stdout.splitlines() == result.stdout.splitlines()[3:]
    assert run(project, "check", "posts/2025/01/c.md").returncode == 0


def test_check_is_the_same_verdict_as_the_build(project):
    project.post("2025/01/a.md", "title: A\ndate: 2025-01-01\nimage: images/khong-co.jpg")
    check = run(project, "check")
    built = project.build()
    assert check.stdout.splitlines() == built.errors
    assert built.aborted


# --- new ----------------------------------------------------------------------

def test_new_writes_a_complete_draft_and_never_overwrites(project):
    result = run(project, "new", "Đắk Lắk: hội nghị \"đặc biệt\"", "--agency", "UBND tỉnh", "--agency", "Viện KSND tỉnh",
                 "--topic", "Y tế", "--author", "Hoàng Tuấn")
    assert (result.returncode, result.stdout) == (0, "posts/2026/11/dak-lak-hoi-nghi-dac-biet.md\n")
    file = project.root / "posts/2026/11/dak-lak-hoi-nghi-dac-biet.md"
    assert file.read_text(encoding="utf-8") == (
        "---\n"
        'title: "Đắk Lắk: hội nghị \\"đặc biệt\\""\n'
        "date: 2026-11-26\n"
        'authors: ["Hoàng Tuấn"]\n'
        'agencies: ["Ủy ban nhân dân tỉnh", "Viện Kiểm sát nhân dân tỉnh"]\n'
        'topics: ["Y tế"]\n'
        "draft: true  # delete this line to publish\n"
        "---\n\nViết nội dung bài ở đây.\n"
    )
    assert run(project, "check").returncode == 0
    again = run(project, "new", "Đắk Lắk: hội nghị \"đặc biệt\"")
    assert again.returncode == 1
    assert again.stdout == "posts/2026/11/dak-lak-hoi-nghi-dac-biet.md:1: file: already exists and was not overwritten; choose another title, or edit that file\n"
    assert "Hoàng Tuấn" in file.read_text(encoding="utf-8")


def test_new_checks_names_against_the_registries(project):
    result = run(project, "new", "Tin", "--agency", "UBND tinh", "--topic", "Thể thao điện tử")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'newsroom new:1: --agency: "UBND tinh" is not a known agency; did you mean "UBND tỉnh"?',
        'newsroom new:1: --topic: "Thể thao điện tử" is not a known topic; add it to the topic registry, or use a known name',
    ]
    assert not any((project.root / "posts").rglob("*.md"))


# --- import -------------------------------------------------------------------

def test_import_of_the_seed_keeps_every_sentence_and_finds_its_facts(project):
    raw = project.root / "raw"
    raw.mkdir()
    shutil.copy(SEED_SOURCE, raw)
    result = run(project, "import", "raw")
    assert result.returncode == 0
    assert result.stderr.endswith("newsroom import: 1 imported, 0 already imported, 0 failed\n")
    assert 'mentions "Ban Bí thư Trung ương Đảng", which is not in the agency registry' in result.stdout
    post = project.root / "posts/2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw.md"
    written = post.read_text(encoding="utf-8")
    assert 'title: "Ký kết chương trình phối hợp công tác theo Quyết định 238-QĐ/TW"\ndate: 2022-04-15\n' in written
    assert 'authors: ["Hoàng Tuấn"]\n' in written
    assert ('agencies: ["Ban Tuyên giáo Tỉnh ủy", "Đảng đoàn HĐND tỉnh", "Ủy ban nhân dân tỉnh", '
            '"Viện Kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"]\n') in written
    paragraphs = seed_paragraphs()
    body = written.split("---\n", 2)[2]
    assert body.count("{: .caption }") == 2
    assert f"{paragraphs[1]}\n{{: .caption }}" in body and f"{paragraphs[3]}\n{{: .caption }}" in body
    positions = [body.index(p) for p in paragraphs]
    assert positions == sorted(positions)  # every paragraph, word for word, in order
    again = run(project, "import", "raw")
    assert again.stderr.endswith("newsroom import: 0 imported, 1 already imported, 0 failed\n")
    assert len(list((project.root / "posts").rglob("*.md"))) == 1
    built = project.build()
    assert built.errors == []
    assert "Sáng 15-4" in built.text("2022/04/ky-ket-chuong-trinh-phoi-hop-cong-tac-theo-quyet-dinh-238-qd-tw/")


def test_import_carries_on_past_failing_files(project):
    raw = project.root / "raw"
    project.write("raw/1-good.txt", "date 2025-03 Tin tốt\n\nNgày 5-3, Sở Y tế họp về *dịch* <b>bệnh</b>.\n\nẢnh: Hội trường.\n\nTin: Lê An, Trần Bình")
    project.write("raw/2-no-header.txt", "Không có dòng ngày\n\nThân bài.\n")
    project.write("raw/3-bad-date.txt", "date 2025-13 Tháng sai\n\nThân bài.\n")
    project.write("raw/4-cp1258.txt", "date 2025-03 Tin cu\u0303\n\nThân bài.\n".encode("cp1258"))
    result = run(project, "import", str(raw))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'raw/2-no-header.txt:1: date line: expected "date YYYY-MM[-DD] Title", found "Không có dòng ngày"',
        'raw/3-bad-date.txt:1: date line: "2025-13" is not a real date (month must be in 1..12); write YYYY-MM-DD, YYYY-MM or YYYY-MM-DD HH:MM, e.g. 2022-04-15',
        "raw/4-cp1258.txt:1: encoding: the file is not UTF-8 (it looks like Windows-1258 (or a TCVN3/VNI legacy font)); convert it to UTF-8 first",
    ]
    assert result.stderr.endswith("newsroom import: 1 imported, 0 already imported, 3 failed\n")
    written = (project.root / "posts/2025/03/tin-tot.md").read_text(encoding="utf-8")
    assert "date: 2025-03-05\n" in written and 'authors: ["Lê An", "Trần Bình"]' in written
    assert 'agencies: ["Sở Y tế"]' in written and "Ảnh: Hội trường.\n{: .caption }" in written
    page = project.build().html("2025/03/tin-tot/")
    assert "Ngày 5-3, Sở Y tế họp về *dịch* <b>bệnh</b>." in ["".join(p.itertext()) for p in page.xpath("//div[@class='nr-body']/p")]


def test_mkdocs_build_strict_fails_on_an_article_error(project):
    project.post("2025/01/a.md", "title: A\ndate: 2025-02-30")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"], cwd=project.root,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert 'posts/2025/01/a.md:3: date: "2025-02-30" is not a real date (day is out of range for month)' in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_check_without_a_posts_folder_is_an_error(project):
    (project.root / "posts").rmdir()
    result = run(project, "check")
    assert result.returncode == 1
    assert result.stdout == "posts:1: posts_dir: the articles folder does not exist; create it or fix extra.newsroom.posts_dir in mkdocs.yml\n"
