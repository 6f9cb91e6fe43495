"""A person sees their notifications from the header, marks one read and chooses the daily
digest."""

import re

import pytest
from django.db import transaction
from playwright.sync_api import expect

from ecoquartier.accounts.models import User
from ecoquartier.core.activity import record
from ecoquartier.notifications import registry
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VERB = "journey.reported"
UNREAD = re.compile(r"eq-notification--unread")


@pytest.fixture
def claire():
    """Claire, with one notification delivered through the real path (rule → task → row)."""
    claire = UserFactory(first_name="Claire", last_name="Martin", email="claire@exemple.fr")
    registry.register(VERB, recipients=lambda event, targets: [claire],
                      url=lambda event, targets: "/projets/")  # fmt: skip
    with transaction.atomic():
        record(None, VERB, "Nouvelle évaluation soumise sur les Docks", targets=[claire])
    yield claire
    registry.RULES.pop(VERB)


def test_see_a_notification_mark_it_read_and_choose_the_digest(page, assert_accessible, claire):
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(claire.email)
    page.get_by_label("Mot de passe").fill("motdepasse-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()

    badge = page.get_by_test_id("notifications-badge").first
    expect(badge).to_contain_text("1")
    with page.expect_navigation():
        badge.click()
    item = page.get_by_test_id("notification")
    expect(item).to_contain_text("Nouvelle évaluation soumise sur les Docks")
    expect(item).to_have_class(UNREAD)
    assert_accessible(page)

    with page.expect_navigation():
        item.get_by_role("button", name="Marquer comme lu").click()
    expect(page.get_by_test_id("notification")).not_to_have_class(UNREAD)
    expect(page.get_by_test_id("notifications-badge").first).not_to_contain_text("1")

    with page.expect_navigation():
        page.get_by_role("link", name="Envoi par courriel").click()
    page.get_by_text("Un récapitulatif quotidien").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    saved = page.get_by_text("Votre choix d’envoi des notifications est enregistré.")
    expect(saved).to_be_visible()
    assert_accessible(page)
    claire.refresh_from_db()
    assert claire.notification_frequency == User.NotificationFrequency.DAILY
