import pytest
from django.urls import reverse

from ecoquartier.organisations.models import Membership
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["core:home", "core:accessibility", "core:legal", "core:privacy", "core:sitemap"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_render_the_dsfr_shell_for_visitors(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    for landmark in ['class="fr-header"', 'class="fr-footer"', 'class="fr-skiplinks"']:
        assert landmark in html
    assert 'href="#content"' in html and 'id="content"' in html


def test_the_home_page_has_entry_points_per_audience(client):
    html = client.get("/").content.decode()
    assert html.count('class="fr-tile ') >= 2
    assert "Collectivités et aménageurs" in html
    assert "Se connecter" in html


def test_the_accessibility_statement_follows_the_rgaa_model(client):
    html = client.get(reverse("core:accessibility")).content.decode()
    for heading in [
        "État de conformité",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Voies de recours",
    ]:
        assert heading in html
    assert "RGAA" in html and "Défenseur des droits" in html
    assert "Aucun audit" in html


def test_the_footer_states_the_same_compliance_as_the_statement(client):
    html = client.get("/").content.decode()
    assert "Accessibilité : non conforme" in html


def test_the_legal_notice_names_publisher_director_and_host(client):
    html = client.get(reverse("core:legal")).content.decode()
    assert "Ministère de la Transition écologique" in html
    assert "Directeur de la publication" in html and "Hébergement" in html


def test_the_legal_notice_shows_the_configured_host(client, settings):
    settings.HOSTING_PROVIDER = "Hébergeur Exemple\n1 rue de l’Exemple, 75000 Paris"
    html = client.get(reverse("core:legal")).content.decode()
    assert "Hébergeur Exemple<br>" in html


def test_the_privacy_page_lists_only_necessary_cookies(client):
    html = client.get(reverse("core:privacy")).content.decode()
    for part in ["Responsable de traitement", "Finalités", "Durées de conservation", "CNIL"]:
        assert part in html
    for cookie in ["sessionid", "csrftoken"]:
        assert cookie in html


def test_the_dashboard_lists_organisations_and_roles(client):
    membership = MembershipFactory(role=Membership.Role.STATE_REFERENT)
    client.force_login(membership.user)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert membership.organisation.name in html
    assert "Référent État" in html
    assert membership.organisation.get_absolute_url() in html


def test_the_dashboard_explains_what_to_do_without_organisation(client):
    client.force_login(UserFactory())
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "aucune organisation" in html


def test_the_dashboard_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    membership = MembershipFactory()
    for _ in range(5):
        MembershipFactory(user=membership.user)
    client.force_login(membership.user)
    client.get(reverse("core:dashboard"))
    # 5 for the page, and one aggregate per inbox provider that concerns any account (reviews,
    # invitations, completion requests, deadlines, label files to expertise; the follow-up's
    # conventions to sign, deliverables to hand in, and the team's reviews and requests).
    with django_assert_max_num_queries(14):
        client.get(reverse("core:dashboard"))


def test_the_main_navigation_marks_the_current_page(client):
    html = client.get(reverse("core:home")).content.decode()
    assert 'aria-current="page"' in html


def test_the_breadcrumb_ends_with_the_current_page(client):
    html = client.get(reverse("core:legal")).content.decode()
    assert 'class="fr-breadcrumb"' in html
    assert '<a class="fr-breadcrumb__link" aria-current="page">Mentions légales</a>' in html


def test_flash_messages_show_as_dsfr_alerts(client):
    user = UserFactory()
    client.force_login(user)
    client.post(
        reverse("accounts:profile"),
        {"first_name": "A", "last_name": "B", "job_title": "", "phone": ""},
    )
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "fr-alert fr-alert--success" in html
    assert 'role="status"' in html


def test_the_health_check_is_public(client):
    assert client.get(reverse("core:health")).json()["status"] == "ok"
