import re

import pytest
from playwright.sync_api import expect

from ecoquartier.organisations.state_services import seed_state_services
from tests.organisations.geography import real_geography

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/plan-du-site/",
        "/compte/connexion/",
        "/compte/mot-de-passe/oubli/",
        "/cette-page-n-existe-pas/",
    ],
)
def test_public_pages_are_accessible(page, assert_accessible, path):
    page.goto(path)
    expect(page.locator("header.fr-header")).to_be_visible()
    assert_accessible(page)


def test_the_territory_page_is_accessible_and_shows_state_contacts(page, assert_accessible):
    real_geography()
    seed_state_services()
    page.goto("/organisations/territoire/commune/93070/")
    expect(page.get_by_role("heading", name="Vos contacts État")).to_be_visible()
    expect(page.get_by_text("DRIEAT Île-de-France")).to_be_visible()
    assert_accessible(page)


def test_skip_links_lead_to_the_content(page):
    page.goto("/mentions-legales/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Contenu")
    expect(skip).to_be_visible()
    skip.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
