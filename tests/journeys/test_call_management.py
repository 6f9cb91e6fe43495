"""Journey: the DGALN's programme manager signs in from the home page, reaches its call's page by
clicking (the finder, then its calls), reads how many applications are in each state, and opens
from there the instruction dashboard, the ranking, the deliberation, the forms and the grid. Each
page passes axe with no violation (issue 13, item 3)."""

import re

import pytest
from playwright.sync_api import expect

from tests.applications.factories import build_national_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (link on the call page, what the page it leads to shows)
PLACES = [
    ("Instruction", re.compile("Instruction")),
    ("Classement", re.compile("Classement")),
    ("Délibération", re.compile("Délibération")),
    ("Formulaires", re.compile("Formulaires")),
    ("Grille d’évaluation", re.compile("Grille")),
]


def test_the_dgaln_manager_reaches_its_call_and_every_place_of_its_instruction(
    page, assert_accessible, live_server
):
    national = build_national_call()
    call = national.call
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(national.manager.email)
    page.get_by_label("Mot de passe").fill("motdepasse-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()

    # From the finder to the calls it manages: each with its applications' counts.
    page.get_by_role("link", name="Trouver une aide").first.click()
    page.get_by_role("link", name="Gérer les appels").click()
    expect(page.get_by_role("heading", level=1, name="Gestion des appels")).to_be_visible()
    expect(
        page.get_by_text("3 candidatures déposées — Déposée : 2 · En instruction : 1")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=call.title, exact=True).first.click()

    # The call page: counts per state and where to work.
    expect(page.get_by_role("heading", level=1, name=call.title)).to_be_visible()
    panel = page.get_by_test_id("call-management")
    expect(panel.get_by_text("3 candidatures déposées")).to_be_visible()
    expect(panel.get_by_test_id("state-counts")).to_contain_text("Déposée : 2")
    expect(panel.get_by_test_id("state-counts")).to_contain_text("En instruction : 1")
    assert_accessible(page)

    for link, heading in PLACES:
        panel = page.get_by_test_id("call-management")
        panel.get_by_role("link", name=re.compile(f"^{link}")).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        assert_accessible(page)
        page.go_back()
        expect(page.get_by_role("heading", level=1, name=call.title)).to_be_visible()
