import pytest
from django.test import override_settings
from playwright.sync_api import expect

from ecoquartier.organisations.models import Membership
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def referent():
    membership = MembershipFactory(
        role=Membership.Role.STATE_REFERENT,
        organisation__name="Commune de Saint-Ouen-sur-Seine",
        user__first_name="Claire",
        user__last_name="Martin",
    )
    return membership.user


def test_log_in_see_organisation_and_role_then_log_out(page, login, assert_accessible, referent):
    login(page, referent)
    assert page.url.endswith("/tableau-de-bord/")
    membership = page.get_by_test_id("user-membership").first
    assert membership.inner_text().strip() == "Commune de Saint-Ouen-sur-Seine · Référent État"
    assert_accessible(page)  # the dashboard
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()
    assert page.get_by_test_id("user-membership").count() == 0


def test_the_profile_is_accessible_and_lists_memberships(page, login, assert_accessible, referent):
    MembershipFactory(user=referent, organisation__name="Communauté d’agglomération Exemple")
    login(page, referent)
    expect(page.get_by_text("+ 1 autre organisation").first).to_be_visible()
    page.get_by_test_id("user-name").first.click()
    # The click starts a navigation: wait for the profile's rows, do not count the old page.
    expect(page.get_by_test_id("profile-membership")).to_have_count(2)
    assert_accessible(page)
    page.get_by_label("Fonction").fill("Cheffe de projet ÉcoQuartier")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre profil a été mis à jour.")).to_be_visible()
    assert_accessible(page)


def test_a_wrong_password_is_announced_accessibly(page, login, assert_accessible):
    login(page, UserFactory(), password="mauvais-mot-de-passe")
    expect(page.locator(".fr-alert--error")).to_be_visible()
    assert_accessible(page)


@override_settings(AXES_FAILURE_LIMIT=5)
def test_five_failures_lock_the_account_even_with_the_right_password(
    page, login, assert_accessible
):
    user = UserFactory()
    for _ in range(5):
        login(page, user, password="mauvais-mot-de-passe")
    login(page, user)
    expect(page.get_by_role("heading", name="Connexion temporairement bloquée")).to_be_visible()
    assert not page.url.endswith("/tableau-de-bord/")
    assert_accessible(page)
