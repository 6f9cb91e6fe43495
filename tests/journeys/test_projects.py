"""Journey: the Saint-Ouen project holder creates a project and finds it in the list and on its
timeline; every page on the way passes axe with no violation."""

import re

import pytest
from playwright.sync_api import expect

from ecoquartier.projects.models import Project
from ecoquartier.projects.taxonomy import load_taxonomy
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def holder():
    load_taxonomy()
    idf = RegionFactory(code="11", name="Île-de-France")
    d93 = DepartementFactory(code="93", name="Seine-Saint-Denis", region=idf)
    saint_ouen = CommuneFactory(
        code="93070", name="Saint-Ouen-sur-Seine", population=53615, departement=d93
    )
    # A homonym the autocomplete must rank after the larger Saint-Ouen-sur-Seine.
    CommuneFactory(code="80716", name="Saint-Ouen", population=2000)
    town_hall = OrganisationFactory(territory=saint_ouen, name="Ville de Saint-Ouen-sur-Seine")
    user = UserFactory(email="porteur.saint-ouen@demo.ecoquartier.fr")
    MembershipFactory(user=user, organisation=town_hall)
    return user


def test_the_holder_creates_a_project_with_the_commune_autocomplete(
    page, login, assert_accessible, holder
):
    login(page, holder)

    page.get_by_role("link", name="Mes projets").first.click()
    expect(page.get_by_role("heading", level=1, name="Projets")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Créer un projet").click()
    expect(page.get_by_role("heading", level=1, name="Créer un projet")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Nom du projet").fill("Jardin partagé des Docks")
    page.get_by_label("Résumé").fill("Un jardin cultivé par les habitants du quartier des Docks.")
    expect(page.get_by_label("Ville de Saint-Ouen-sur-Seine")).to_be_checked()
    communes = page.get_by_role("combobox", name=re.compile("Communes"))
    communes.fill("saint ouen")
    option = page.get_by_role("option").first
    expect(option).to_contain_text("Saint-Ouen-sur-Seine")
    option.click()
    expect(
        page.get_by_role("button", name=re.compile("Retirer Saint-Ouen-sur-Seine"))
    ).to_be_visible()
    page.get_by_label("Latitude").fill("48,9050")
    page.get_by_label("Longitude").fill("2,3290")
    # DSFR radios and checkboxes are styled labels over visually hidden inputs: click the label.
    page.locator("label", has_text="Opérationnel / chantier").click()
    page.locator("label", has_text="Agriculture urbaine et jardins partagés").click()
    assert page.get_by_label("Opérationnel / chantier").is_checked()
    assert page.get_by_label("Agriculture urbaine et jardins partagés").is_checked()
    page.locator("#id_dwellings").fill("120")
    page.locator("label[for=id_is_public]").click()  # DSFR: the label covers the box
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1, name="Jardin partagé des Docks")).to_be_visible()
    expect(page.get_by_text("Création du projet « Jardin partagé des Docks »")).to_be_visible()
    assert_accessible(page)
    project = Project.objects.get()
    assert [c.code for c in project.communes.all()] == ["93070"]

    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Projets").click()
    expect(page.get_by_role("link", name="Jardin partagé des Docks")).to_be_visible()


def test_a_form_in_error_keeps_the_input_and_stays_accessible(
    page, login, assert_accessible, holder
):
    login(page, holder)
    page.get_by_role("link", name="Créer un projet").first.click()
    page.get_by_label("Nom du projet").fill("Projet sans commune")
    page.get_by_label("Latitude").fill("123")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("alert")).to_contain_text("Le projet n'a pas été enregistré")
    expect(page.get_by_label("Nom du projet")).to_have_value("Projet sans commune")
    assert_accessible(page)


def test_clicking_the_map_fills_in_the_coordinates(page, login, holder, settings, live_server):
    # Any image served by the live server stands in for map tiles.
    settings.MAP_TILES_URL = f"{live_server.url}/static/vendor/leaflet/images/layers.png?{{z}}"
    login(page, holder)
    page.get_by_role("link", name="Créer un projet").first.click()
    page.locator("[data-project-map]").click()
    expect(page.get_by_label("Latitude")).not_to_have_value("")
    latitude = float(page.get_by_label("Latitude").input_value())
    longitude = float(page.get_by_label("Longitude").input_value())
    assert -90 <= latitude <= 90 and -180 <= longitude <= 180
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()
