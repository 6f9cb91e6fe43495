"""Journey (issue 14, deliverables 6 and 7): the Cerema expert, from the home page, turns the gaps
of the Docks' expertise à blanc into roadmap actions and fills one in; the DGALN manager reads
the programme dashboard and filters it. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from ecoquartier.accounts.models import User
from ecoquartier.followup import services
from ecoquartier.projects.models import Project
from tests.journeys.followup_world import click, load_demo, saint_ouen_application, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"


@pytest.fixture
def docks_support():
    """The demo (Saint-Ouen's Cerema 2022 application selected), and a support of its Docks
    project opened in the programme with the Cerema expert on its team."""
    load_demo()
    application = saint_ouen_application()
    manager = User.objects.get(email=f"instruction.cerema{DEMO}")
    expert = User.objects.get(email=f"expert.cerema{DEMO}")
    # The application names Saint-Ouen's other project: the support is of the Docks, whose
    # assessments (a self-assessment, then the Cerema's expertise à blanc) the demo holds.
    docks = Project.objects.get(slug="ecoquartier-des-docks")
    follow_up = services.open_follow_up(
        manager, programme=application.call.programme, project=docks,
        beneficiary=application.organisation, experts=[expert], days_budget=36,
    )  # fmt: skip
    return follow_up


def test_the_expert_makes_the_roadmap_and_the_manager_reads_the_dashboard(
    page, assert_accessible, docks_support
):
    follow_up = docks_support
    sign_in(page, assert_accessible, "expert.cerema")
    nav = page.locator("#header-navigation")
    click(page, assert_accessible, nav.get_by_role("link", name="Accompagnements"))
    expect(page.get_by_role("heading", level=1, name="Accompagnements")).to_be_visible()
    click(page, assert_accessible, page.get_by_role("link", name=follow_up.title).first)
    click(page, assert_accessible, page.get_by_role("link", name="Feuille de route"))
    expect(page.get_by_role("heading", level=1, name="Feuille de route")).to_be_visible()
    # The self-assessment then the expertise à blanc: three gaps closed, five new.
    expect(page.locator("#reassessment")).to_contain_text("3 écarts levés")
    expect(page.locator("#reassessment")).to_contain_text("5 nouveaux écarts")

    page.get_by_label("Évaluation", exact=True).select_option(
        label="Expertise à blanc Cerema 2025 (16/09/2025) — 5"
    )
    click(
        page,
        assert_accessible,
        page.get_by_role("button", name="Transformer les écarts en actions"),
    )
    expect(page.get_by_text("5 actions ajoutées à la feuille de route.")).to_be_visible()
    table = page.locator("table", has=page.locator("caption", has_text=re.compile("^Engagement 8")))
    expect(table).to_contain_text("Faire réaliser une étude air-bruit")
    expect(table).to_contain_text("SEM aménageur — direction de projet")
    expect(table).to_contain_text("31/03/2026")

    click(page, assert_accessible, table.get_by_role("link", name=re.compile("^Modifier")))
    expect(page.get_by_role("heading", level=1, name="Modifier l'action")).to_be_visible()
    page.get_by_label("Partenaires").fill("Bruitparif, Airparif")
    page.get_by_label("Financement").fill("Fonds vert")
    page.get_by_label("Avancement").select_option(label="En cours")
    click(page, assert_accessible, page.get_by_role("button", name="Enregistrer l'action"))
    expect(page.get_by_text("L'action est enregistrée.")).to_be_visible()
    expect(table).to_contain_text("Bruitparif, Airparif")
    expect(table).to_contain_text("En cours")

    sign_in(page, assert_accessible, "gestionnaire.dgaln")
    click(
        page,
        assert_accessible,
        page.get_by_role("link", name="Tableau de bord des accompagnements"),
    )
    expect(page.get_by_role("heading", level=1, name="Accompagnements")).to_be_visible()
    dashboard = page.locator("#dashboard")
    expect(dashboard).to_contain_text(follow_up.title)
    page.locator("#id_region").select_option(label="Île-de-France")
    page.locator("#id_state").select_option(label="En cours")
    click(page, assert_accessible, page.get_by_role("button", name="Filtrer"))
    expect(dashboard.locator("caption")).to_have_text(re.compile(r"^\d+ accompagnements?$"))
    expect(dashboard).to_contain_text(follow_up.title)
    expect(dashboard).to_contain_text("Île-de-France")
    page.locator("#id_state").select_option(label="Clos")
    click(page, assert_accessible, page.get_by_role("button", name="Filtrer"))
    expect(page.get_by_text("Aucun accompagnement à afficher.")).to_be_visible()
