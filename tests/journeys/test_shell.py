import re

import pytest
from playwright.sync_api import expect

from ecoquartier.organisations.state_services import seed_state_services
from tests.organisations.geography import real_geography

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The links a visitor follows from the home page, one after the other (None: the home page).
PUBLIC_PAGES = [
    [],
    [re.compile("^Accessibilité")],
    ["Mentions légales"],
    ["Données personnelles"],
    ["Plan du site"],
    ["Se connecter"],
    ["Se connecter", "Mot de passe oublié ?"],
]


@pytest.mark.parametrize("links", PUBLIC_PAGES, ids=lambda links: " > ".join(map(str, links)))
def test_public_pages_are_accessible(page, assert_accessible, links):
    page.goto("/")
    for name in links:
        with page.expect_navigation():
            page.get_by_role("link", name=name).first.click()
    expect(page.locator("header.fr-header")).to_be_visible()
    assert_accessible(page)


def test_the_not_found_page_is_accessible(page, assert_accessible):
    page.goto("/cette-page-n-existe-pas/")  # a mistyped address: no link leads there
    expect(page.locator("header.fr-header")).to_be_visible()
    assert_accessible(page)


def test_the_territory_page_is_accessible_and_shows_state_contacts(page, assert_accessible):
    real_geography()
    seed_state_services()
    page.goto("/")
    page.get_by_role("link", name="Territoires").first.click()
    page.get_by_label("Nom, code postal ou code INSEE").press_sequentially("93070")
    page.locator("#territory-results").get_by_role("link", name="Saint-Ouen-sur-Seine").click()
    expect(page.get_by_role("heading", name="Vos contacts État")).to_be_visible()
    expect(page.get_by_text("DRIEAT Île-de-France")).to_be_visible()
    assert_accessible(page)


def test_skip_links_lead_to_the_content(page):
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("link", name="Mentions légales").first.click()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Contenu")
    expect(skip).to_be_visible()
    skip.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
