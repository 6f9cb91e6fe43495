import pytest
from django.core.management import call_command

from ecoquartier.core.models import ActivityEvent
from ecoquartier.organisations.models import Organisation
from ecoquartier.organisations.state_services import (
    COASTAL_DEPARTEMENTS,
    DEPARTEMENT_LINKS,
    seed_state_services,
    state_contacts,
)
from ecoquartier.territories.services import france
from tests.organisations.factories import OrganisationFactory
from tests.organisations.geography import real_geography

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo():
    return real_geography()


def service(territory):
    return Organisation.objects.state_services().get(territory=territory)


def test_every_departement_and_region_gets_its_state_service(geo):
    seed_state_services()
    assert service(geo.nord).name == "DDTM du Nord"
    assert service(geo.aisne).name == "DDT de l'Aisne"
    assert service(geo.ain).name == "DDT de l'Ain"
    assert service(geo.sem).name == "DDT de Seine-et-Marne"
    assert service(geo.hdf).name == "DREAL Hauts-de-France"
    assert service(geo.aura).kind == Organisation.Kind.DREAL


def test_ile_de_france_has_the_drieat_and_its_units_in_the_petite_couronne(geo):
    seed_state_services()
    assert service(geo.idf).name == "DRIEAT Île-de-France"
    unit = service(geo.ssd)
    assert unit.name == "DRIEAT – Unité départementale de la Seine-Saint-Denis"
    assert unit.kind == Organisation.Kind.DREAL
    assert not Organisation.objects.filter(kind=Organisation.Kind.DDT, territory=geo.ssd).exists()


def test_overseas_one_deal_per_region_and_no_ddt(geo):
    seed_state_services()
    assert service(geo.guadeloupe).name == "DEAL Guadeloupe"
    assert not Organisation.objects.filter(territory=geo.dep_guadeloupe).exists()


def test_dgaln_is_the_national_service():
    seed_state_services()
    dgaln = Organisation.objects.get(kind=Organisation.Kind.DGALN)
    assert dgaln.territory == france()
    assert dgaln.acronym == "DGALN"


def test_seeding_is_idempotent_and_keeps_edits(geo):
    first = seed_state_services()
    ddtm = service(geo.nord)
    ddtm.email = "contact@example.org"
    ddtm.save()
    assert seed_state_services() == []
    assert Organisation.objects.state_services().count() == len(first)
    ddtm.refresh_from_db()
    assert ddtm.email == "contact@example.org"


def test_seeding_leaves_contact_emails_blank(geo):
    seed_state_services()
    assert not Organisation.objects.state_services().exclude(email="").exists()


def test_seeding_is_logged_once(geo):
    created = seed_state_services()
    event = ActivityEvent.objects.get(verb="organisations.state_services_seeded")
    assert event.targets.count() == len(created)


def test_seeding_runs_a_fixed_number_of_queries(geo, django_assert_max_num_queries):
    france()
    # The services, plus up to four queries for each generation counter created (organisations,
    # activity: core/generations.py).
    with django_assert_max_num_queries(20):
        seed_state_services()


def test_the_management_command_seeds(geo, capsys):
    call_command("seed_state_services")
    call_command("seed_state_services")
    assert service(geo.nord).name == "DDTM du Nord"
    assert "0 State services created" in capsys.readouterr().out


def test_state_contacts_of_a_commune(geo, django_assert_num_queries):
    seed_state_services()
    with django_assert_num_queries(1):
        contacts = state_contacts(geo.lille)
    assert contacts.departement.name == "DDTM du Nord"
    assert contacts.region.name == "DREAL Hauts-de-France"
    assert [org.name for org in contacts] == ["DDTM du Nord", "DREAL Hauts-de-France"]


def test_state_contacts_in_the_petite_couronne(geo):
    seed_state_services()
    contacts = state_contacts(geo.saint_ouen)
    assert contacts.departement.name.startswith("DRIEAT – Unité départementale")
    assert contacts.region.name == "DRIEAT Île-de-France"


def test_overseas_the_deal_is_both_contacts(geo):
    seed_state_services()
    contacts = state_contacts(geo.basse_terre)
    assert contacts.departement == contacts.region
    assert [org.name for org in contacts] == ["DEAL Guadeloupe"]


def test_state_contacts_of_a_region_and_a_departement(geo):
    seed_state_services()
    assert state_contacts(geo.hdf).departement is None
    assert state_contacts(geo.hdf).region.name == "DREAL Hauts-de-France"
    assert state_contacts(geo.aisne).departement.name == "DDT de l'Aisne"


def test_state_contacts_ignore_other_organisations(geo):
    OrganisationFactory(territory=geo.lille)
    OrganisationFactory(kind=Organisation.Kind.DEPARTEMENT, territory=geo.nord, name="CD 59")
    assert not state_contacts(geo.lille)


def test_state_contacts_cost_one_query_whatever_the_data(geo, django_assert_num_queries):
    seed_state_services()
    for commune in (geo.lille, geo.saint_ouen, geo.basse_terre):
        with django_assert_num_queries(1):
            list(state_contacts(commune))


def test_every_departement_code_has_its_french_link():
    metropolitan = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    overseas = ["971", "972", "973", "974", "976"]
    assert set(DEPARTEMENT_LINKS) == set(metropolitan + overseas)
    assert len(COASTAL_DEPARTEMENTS) == 26
    assert COASTAL_DEPARTEMENTS.issubset(metropolitan)
