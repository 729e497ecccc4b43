import pytest

from newsroom.pagination import paginate


def test_pages_have_stable_urls_and_split_items():
    pages = paginate(list(range(45)), "co-quan/ubnd-tinh/", 20)
    assert [len(p.items) for p in pages] == [20, 20, 5]
    assert [p.url for p in pages] == ["co-quan/ubnd-tinh/", "co-quan/ubnd-tinh/trang/2/", "co-quan/ubnd-tinh/trang/3/"]
    assert (pages[0].previous_url, pages[0].next_url) == (None, "co-quan/ubnd-tinh/trang/2/")
    assert (pages[2].previous_url, pages[2].next_url) == ("co-quan/ubnd-tinh/trang/2/", None)
    assert pages[1].items[0] == 20


def test_an_empty_listing_still_has_its_first_page():
    pages = paginate([], "", 20)
    assert len(pages) == 1 and pages[0].url == "" and list(pages[0].items) == []


@pytest.mark.parametrize(
    "number, shown",
    [
        (1, [1, 2, 3, None, 20]),
        (6, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (19, [1, None, 17, 18, 19, 20]),
    ],
)
def test_page_numbers_are_a_short_window_with_gaps(number, shown):
    pages = paginate(list(range(400)), "", 20)
    assert pages[number - 1].numbers() == shown
