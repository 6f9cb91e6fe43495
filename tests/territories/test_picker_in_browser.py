"""The territory picker widget in a real browser, on a test page of its own
(tests/territories/widget_page.py): a component test, not a journey through the platform."""

import pytest
from django.db import connections
from playwright.sync_api import expect

from tests.territories.factories import homonyms as build_homonyms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _close_connections_opened_under_playwright(django_db_setup, browser):
    """As in tests/journeys/conftest.py: close the ORM's async-context connection while
    Playwright still runs."""
    yield
    connections.close_all()


@pytest.fixture
def homonyms(db):
    build_homonyms()


@pytest.fixture
def widget_page(settings):
    settings.ROOT_URLCONF = "tests.territories.widget_page"
    return "/essai-territoires/"


def test_the_picker_adds_and_removes_communes_with_the_keyboard(
    page, assert_accessible, homonyms, widget_page
):
    page.goto(widget_page)
    combobox = page.get_by_role("combobox", name="Communes du projet")
    combobox.press_sequentially("saint ouen")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option").first).to_contain_text("Saint-Ouen-sur-Seine")
    combobox.press("ArrowDown")
    expect(combobox).to_have_attribute("aria-activedescendant", "id_communes-listbox-option-0")
    assert_accessible(page)
    combobox.press("Enter")
    expect(listbox).to_be_hidden()
    tag = page.get_by_role("button", name="Retirer Saint-Ouen-sur-Seine (93070)")
    expect(tag).to_be_visible()

    combobox.press_sequentially("04110")  # a postal code
    expect(page.get_by_role("option").first).to_contain_text("Reillanne")
    combobox.press("ArrowDown")
    combobox.press("Enter")
    page.get_by_role("button", name="Retirer Reillanne (04160)").click()
    expect(page.get_by_role("button", name="Retirer Reillanne (04160)")).to_have_count(0)

    combobox.press_sequentially("lacroix")
    expect(page.get_by_role("option")).to_have_count(1)
    combobox.press("Escape")
    expect(listbox).to_be_hidden()
    assert_accessible(page)

    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#chosen")).to_have_text("93070")
    # The selection survives the round trip as a tag.
    expect(page.get_by_role("button", name="Retirer Saint-Ouen-sur-Seine (93070)")).to_be_visible()


def test_the_single_picker_keeps_one_territory(page, homonyms, widget_page):
    page.goto(widget_page)
    combobox = page.get_by_role("combobox", name="Périmètre de l’appel")
    for query in ("reillanne", "saint ouen"):
        combobox.press_sequentially(query)
        page.get_by_role("option").first.click()
    expect(page.get_by_role("button", name="Retirer Saint-Ouen-sur-Seine (93070)")).to_be_visible()
    expect(page.get_by_role("button", name="Retirer Reillanne (04160)")).to_have_count(0)


def test_without_javascript_codes_are_typed_and_checked(
    browser, live_server, assert_accessible, homonyms, widget_page
):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    tab = context.new_page()
    try:
        tab.goto(widget_page)
        tab.get_by_label("Communes du projet").fill("93070, 99999")
        tab.get_by_role("button", name="Enregistrer").click()
        error = tab.locator("#id_communes_error")
        expect(error).to_contain_text("Code inconnu : 99999")
        expect(tab.get_by_label("Communes du projet")).to_have_value("93070, 99999")
        tab.get_by_label("Communes du projet").fill("93070, 04160")
        tab.get_by_role("button", name="Enregistrer").click()
        expect(tab.locator("#chosen")).to_have_text("93070 04160")
    finally:
        context.close()
