"""Breadcrumbs and the menu section on the built pages, read with a real HTML parser."""

from __future__ import annotations

from conftest import texts


def test_article_agency_month_and_author_pages_say_where_they_sit(tiny_site):
    tiny_site.post("2025/06/hop.md", 'title: Họp <b>"bàn"</b>\ndate: 2025-06-02\nagencies: ["Ban Tuyên giáo Tỉnh ủy"]\nauthors: ["Hoàng Tuấn"]')
    built = tiny_site.build()
    assert built.errors == []
    article = built.html("2025/06/hop-b-ban-b/")
    assert texts(article, "//nav[@class='nr-crumbs']//li") == ["Trang chủ", "Ban Tuyên giáo Tỉnh ủy", 'Họp <b>"bàn"</b>']
    assert article.xpath("//nav[@class='nr-crumbs']//b") == []  # the title is text, never markup
    assert article.xpath("//nav[@class='nr-crumbs']/@data-nr-section") == ["home"]
    board = built.html("co-quan/ban-tuyen-giao-tinh-uy/")
    assert texts(board, "//nav[@class='nr-crumbs']//li") == ["Trang chủ", "Cơ quan, đơn vị", "Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"]
    assert board.xpath("//nav[@class='nr-crumbs']//span[@aria-current='page']/text()") == ["Ban Tuyên giáo Tỉnh ủy"]
    assert texts(built.html("2025/06/"), "//nav[@class='nr-crumbs']//li") == ["Trang chủ", "Lưu trữ", "Năm 2025", "Tháng 6/2025"]
    author = built.html("tac-gia/hoang-tuan/")
    assert texts(author, "//nav[@class='nr-crumbs']//li") == ["Trang chủ", "Tác giả", "Hoàng Tuấn"]
    assert author.xpath("//nav[@class='nr-crumbs']/@data-nr-section") == ["tac-gia/"]
