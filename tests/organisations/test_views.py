import pytest
from django.urls import reverse

from ecoquartier.organisations.models import Membership
from ecoquartier.organisations.state_services import seed_state_services
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.organisations.geography import real_geography

pytestmark = pytest.mark.django_db


def territory_url(territory):
    return reverse(
        "organisations:territory", kwargs={"kind": territory.kind, "code": territory.code}
    )


@pytest.fixture
def geo():
    geography = real_geography()
    seed_state_services()
    return geography


def test_the_territory_url_is_stable():
    assert (
        reverse("organisations:territory", kwargs={"kind": "commune", "code": "93070"})
        == "/organisations/territoire/commune/93070/"
    )


def test_a_visitor_sees_a_commune_with_its_parents_population_and_state_contacts(client, geo):
    response = client.get(territory_url(geo.saint_ouen))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saint-Ouen-sur-Seine" in html
    assert "Seine-Saint-Denis" in html and "Île-de-France" in html
    assert "51 108 habitants" in html.replace("\xa0", " ").replace("\u202f", " ")
    assert "Vos contacts État" in html
    assert "DRIEAT – Unité départementale de la Seine-Saint-Denis" in html
    assert "DRIEAT Île-de-France" in html
    assert territory_url(geo.ssd) in html


def test_the_territory_page_shows_ddt_and_dreal(client, geo):
    html = client.get(territory_url(geo.lille)).content.decode()
    assert "DDTM du Nord" in html and "DREAL Hauts-de-France" in html


def test_the_territory_page_lists_organisations_of_the_territory(client, geo):
    commune = OrganisationFactory(territory=geo.saint_ouen, name="Ville de Saint-Ouen")
    html = client.get(territory_url(geo.saint_ouen)).content.decode()
    assert commune.get_absolute_url() in html


def test_unknown_territories_are_404(client, geo):
    assert client.get("/organisations/territoire/commune/00000/").status_code == 404
    assert client.get("/organisations/territoire/planete/93070/").status_code == 404


def test_the_territory_page_runs_a_fixed_number_of_queries(
    client, geo, django_assert_max_num_queries
):
    client.get(territory_url(geo.saint_ouen))  # warm the content-type and session caches
    with django_assert_max_num_queries(4):
        client.get(territory_url(geo.saint_ouen))
    with django_assert_max_num_queries(4):
        client.get(territory_url(geo.basse_terre))


def test_a_visitor_sees_public_information_but_not_members(client):
    membership = MembershipFactory(user__last_name="Martin")
    response = client.get(membership.organisation.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert membership.organisation.name in html
    assert "Martin" not in html
    assert "Membres" not in html


def test_a_member_sees_the_members_and_their_roles(client):
    membership = MembershipFactory(user__last_name="Martin")
    colleague = MembershipFactory(
        organisation=membership.organisation,
        user__last_name="Durand",
        role=Membership.Role.STATE_REFERENT,
    )
    client.force_login(membership.user)
    html = client.get(membership.organisation.get_absolute_url()).content.decode()
    assert "Martin" in html and "Durand" in html
    assert colleague.get_role_display() in html


def test_a_member_of_another_organisation_does_not_see_the_members(client):
    membership = MembershipFactory(user__last_name="Quenouillère")
    client.force_login(MembershipFactory().user)
    html = client.get(membership.organisation.get_absolute_url()).content.decode()
    assert "Quenouillère" not in html


def test_staff_see_the_members(client):
    membership = MembershipFactory(user__last_name="Martin")
    client.force_login(UserFactory(is_staff=True))
    html = client.get(membership.organisation.get_absolute_url()).content.decode()
    assert "Martin" in html


def test_a_commune_organisation_shows_its_state_contacts(client, geo):
    commune = OrganisationFactory(territory=geo.lille)
    html = client.get(commune.get_absolute_url()).content.decode()
    assert "DDTM du Nord" in html


def test_unknown_organisation_is_404(client):
    assert client.get("/organisations/999999/").status_code == 404
