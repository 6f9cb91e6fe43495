"""F-01 in a real browser: the territory search page and the territory picker."""

import pytest
from playwright.sync_api import expect

from tests.territories.factories import CommuneFactory, DepartementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def homonyms(db):
    seine_saint_denis = DepartementFactory(code="93", name="Seine-Saint-Denis")
    CommuneFactory(code="41226", name="Saint-Ouen", population=3041, postal_codes="41100")
    CommuneFactory(code="95572", name="Saint-Ouen-l'Aumône", population=25578)
    CommuneFactory(code="60338", name="Lacroix-Saint-Ouen", population=5415)
    CommuneFactory(
        code="93070",
        name="Saint-Ouen-sur-Seine",
        population=53615,
        postal_codes="93400",
        departement=seine_saint_denis,
    )
    CommuneFactory(code="04160", name="Reillanne", population=1730, postal_codes="04110")


@pytest.fixture
def widget_page(settings):
    settings.ROOT_URLCONF = "tests.territories.widget_page"
    return "/essai-territoires/"


def test_the_search_page_finds_saint_ouen_sur_seine_first(page, assert_accessible, homonyms):
    page.goto("/territoires/")
    assert_accessible(page)
    page.get_by_label("Nom, code postal ou code INSEE").press_sequentially("saint ouen")
    first_row = page.locator("#territory-results tbody tr").first
    expect(first_row.locator("th")).to_have_text("Saint-Ouen-sur-Seine")
    expect(page.locator("#territory-results caption")).to_contain_text("4 territoires")
    assert "q=saint%20ouen" in page.url  # the results can be bookmarked
    assert_accessible(page)


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
