"""F-01 in a real browser: a visitor finds a territory from the menu of the home page."""

import pytest
from playwright.sync_api import expect

from tests.territories.factories import homonyms as build_homonyms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def homonyms(db):
    build_homonyms()


def test_the_search_page_finds_saint_ouen_sur_seine_first(page, assert_accessible, homonyms):
    page.goto("/")
    page.get_by_role("link", name="Territoires").first.click()
    assert_accessible(page)
    page.get_by_label("Nom, code postal ou code INSEE").press_sequentially("saint ouen")
    first_row = page.locator("#territory-results tbody tr").first
    expect(first_row.locator("th")).to_have_text("Saint-Ouen-sur-Seine")
    expect(page.locator("#territory-results caption")).to_contain_text("4 territoires")
    assert "q=saint%20ouen" in page.url  # the results can be bookmarked
    assert_accessible(page)
