"""The English section: the agencies' structure from the registry under English names, a contacts
page, lang="en", a language switch on every page, and hreflang links both ways (vi <-> en)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import ROOT, html5lib
from newsroom.problems import Problems
from newsroom.registry import Registry
from test_requests import SEED_URL, build_site

SITE = "https://example.gov.vn/cong/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("english") / "project")


def parse(site: Path, url: str):
    return html5lib.parse((site / url / "index.html").read_text(encoding="utf-8"), treebuilder="lxml", namespaceHTMLElements=False)


def hreflangs(tree) -> dict[str, str]:
    return {link.get("hreflang"): link.get("href") for link in tree.iter("link") if link.get("hreflang")}


def switch(tree) -> tuple[str, str, str]:
    """(text, lang, href) of the language switch."""
    (link,) = tree.xpath("//nav[contains(@class, 'nr-lang')]//a")
    return link.text, link.get("lang"), link.get("href")


def test_the_structure_page_is_english_and_lists_every_agency_by_its_english_name(site):
    tree = parse(site, "en/")
    assert tree.getroot().get("lang") == "en"
    assert tree.findtext(".//h1") == "Organisation structure"
    agencies = Registry.load(ROOT / "registries/agencies.yml", "agency", "registries/agencies.yml")
    items = ["".join(li.itertext()) for li in tree.xpath("//ul[contains(@class, 'nr-tree')]/li")]
    for term in agencies.terms:
        assert term.name_en, term.name  # the registry gives every agency its English name
        assert any(f"{term.name_en} ({term.name})" in item for item in items), term.name
    nested = tree.xpath("//li[starts-with(normalize-space(), 'Provincial Party Committee')]//li")
    assert any("Propaganda and Education Commission" in "".join(li.itertext()) for li in nested)
    for href in tree.xpath("//ul[contains(@class, 'nr-tree')]//a/@href"):  # each leads to the agency's news
        assert (site / "en" / href / "index.html").resolve().is_file(), href


def test_the_contacts_page_is_english(site):
    tree = parse(site, "en/contacts/")
    assert tree.getroot().get("lang") == "en"
    assert tree.findtext(".//h1") == "Contacts"
    assert "Department of Health" in [td.text for td in tree.iter("td")]


def test_hreflang_links_name_each_other_both_ways(site):
    pair = {"vi": SITE + "co-quan/", "en": SITE + "en/"}
    assert hreflangs(parse(site, "en/")) == pair
    assert hreflangs(parse(site, "co-quan/")) == pair
    for url in ("", SEED_URL, "en/contacts/"):  # no counterpart, no hreflang
        assert hreflangs(parse(site, url)) == {}
    rels = {link.get("rel") for link in parse(site, "en/").iter("link") if link.get("hreflang")}
    assert rels == {"alternate "}  # see overrides/partials/news-head.html: no sitemap fetch by Material


@pytest.mark.parametrize(("url", "expected"), [
    ("", ("English", "en", "en/")),
    (SEED_URL, ("English", "en", "en/")),
    ("co-quan/", ("English", "en", "en/")),
    ("en/", ("Tiếng Việt", "vi", "co-quan/")),
    ("en/contacts/", ("Tiếng Việt", "vi", "")),
])
def test_every_page_has_a_language_switch_to_its_counterpart(site, url, expected):
    text, lang, href = switch(parse(site, url))
    assert (text, lang) == expected[:2]
    assert urljoin(SITE + url, href).rstrip("/") == (SITE + expected[2]).rstrip("/")


def test_vietnamese_pages_stay_vietnamese(site):
    for url in ("", SEED_URL, "co-quan/", "gioi-thieu/"):
        assert parse(site, url).getroot().get("lang") == "vi", url


def test_an_english_name_is_escaped(tiny_site):
    registry = tiny_site.root / "registries/agencies.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "name_en: Department of Health", "name_en: \"<img src=x onerror=alert(1)>Health & Co\""), encoding="utf-8")
    built = tiny_site.build()
    assert built.errors == []
    page = built.text("en/")
    assert "&lt;img src=x onerror=alert(1)&gt;Health &amp; Co" in page and "<img src=x" not in page


@pytest.mark.parametrize(("entry", "expected"), [
    ("- name: Sở A\n  name_en: [a, b]\n", "agencies.yml:2: name_en: must be non-empty text"),
    ("- name: Sở A\n  name_en: \"  \"\n", "agencies.yml:2: name_en: must be non-empty text"),
    ("- name: Sở A\n  name_eng: Department A\n", 'agencies.yml:2: name_eng: unknown field; did you mean "name_en", "name"?'),
])
def test_a_bad_english_name_is_an_error_naming_file_line_and_field(tmp_path, entry, expected):
    (tmp_path / "agencies.yml").write_text(entry, encoding="utf-8")
    with pytest.raises(Problems) as raised:
        Registry.load(tmp_path / "agencies.yml", "agency", "agencies.yml")
    assert [str(p) for p in raised.value.problems] == [expected]


def test_topics_have_no_english_name(tmp_path):
    (tmp_path / "topics.yml").write_text("- name: Y tế\n  name_en: Health\n", encoding="utf-8")
    with pytest.raises(Problems) as raised:
        Registry.load(tmp_path / "topics.yml", "topic", "topics.yml")
    assert "topics.yml:2: name_en: unknown field" in str(raised.value.problems[0])


@pytest.mark.parametrize("width", [390, 1366])
def test_english_pages_pass_axe(site, width):
    """WCAG 2.2 AA (axe-core, as tests/test_a11y.py runs it) on both English pages, phone and desktop."""
    browser = pytest.importorskip("browser")
    from playwright.sync_api import sync_playwright

    with browser.serve(site, "/cong/") as base, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": width, "height": 900})
        for url in ("en/", "en/contacts/"):
            page.goto(base + url, wait_until="networkidle")
            assert browser.axe_violations(page) == [], url
        chromium.close()
