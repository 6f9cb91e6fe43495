import pytest
from playwright.sync_api import expect

from tests.referentiel.factories import load_current, load_old

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_browses_the_referentiel_from_the_menu(page, assert_accessible):
    load_current()
    load_old()
    page.goto("/")
    page.get_by_role("link", name="Référentiel").first.click()
    heading = page.get_by_role("heading", level=1, name="Référentiel ÉcoQuartier 2023")
    expect(heading).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Engagement 14 : Se déplacer autrement").click()
    expect(page.get_by_text("Quel niveau de desserte en transports collectifs")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Engagement 15").click()
    expect(page.get_by_role("heading", level=1, name="Engagement 15")).to_be_visible()
    page.get_by_role("link", name="Tous les engagements").click()
    page.get_by_role("link", name="Grille d'essai 2012").click()
    expect(page.get_by_text("Version antérieure")).to_be_visible()
