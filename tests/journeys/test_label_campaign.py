"""The annual label campaign, on the demo, by clicking only from the home page (issue 13, item
11): the DGALN's programme manager opens the campaign (stages open, calendar of the
commissions), then the Saint-Ouen holder signs the charter of its other project and applies to
the campaign from the project's label page. Axe runs on every page reached."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.labels.models import Campaign, FileState, LabelFile
from tests.demo.conftest import load_demo_territories
from tests.labels.factories import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MANAGER = "gestionnaire.dgaln@demo.ecoquartier.fr"
HOLDER = "porteur.saint-ouen@demo.ecoquartier.fr"
PASSWORD = "motdepasse-demo-2026"
PROJECT = "Requalification de l'entrée de ville nord"
CALENDAR = (  # label on the form, days from today
    ("Pré-candidature", 20),
    ("Dépôt des dossiers de labellisation", 60),
    ("Fin de la période d'expertise et des visites", 120),
    ("Commissions locales (octobre)", 180),
    ("Commission nationale", 210),
    ("Cérémonie de remise des labels", 240),
)


@pytest.fixture
def demo():
    load_demo_territories()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def sign_in_from_home(page, assert_accessible, email):
    page.context.clear_cookies()
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    assert_accessible(page)


def open_campaign(page, assert_accessible):
    page.get_by_role("link", name="Label", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Label ÉcoQuartier")
    assert_accessible(page)
    page.get_by_role("link", name="Ouvrir une campagne de labellisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ouvrir une campagne de labellisation"
    )
    assert_accessible(page)
    year = page.get_by_label("Année de la campagne").input_value()
    # Only the delivered label this year: untick the lived one.
    page.locator("label", has_text="ÉcoQuartier Vécu").click()
    today = timezone.localdate()
    for label, days in CALENDAR:
        page.get_by_label(label, exact=True).fill((today + timedelta(days=days)).isoformat())
    page.get_by_role("button", name="Ouvrir la campagne").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La campagne est ouverte")
    title = f"Campagne de labellisation ÉcoQuartier {year}"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("Commission nationale")
    assert_accessible(page)
    return int(year), title


def apply_from_the_project(page, assert_accessible, title):
    page.get_by_role("link", name="Mes projets").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=PROJECT).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)
    assert_accessible(page)
    page.get_by_role("link", name="Label ÉcoQuartier : étapes et attestations").click()
    assert_accessible(page)
    # The project enters the label by signing the charter, then applies.
    page.get_by_role("link", name="Signer la charte ÉcoQuartier").click()
    page.get_by_label("Nom du signataire").fill("Karim Bouamrane")
    page.get_by_label("Qualité du signataire").fill("Maire")
    page.get_by_label("Date de la délibération du conseil").fill("2026-11-16")
    page.get_by_label("Charte signée ou délibération").set_input_files(
        {"name": "charte-signee.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_text("La collectivité s'engage à respecter").click()
    assert_accessible(page)
    page.get_by_role("button", name="Signer la charte").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("La charte est signée")
    assert_accessible(page)
    page.get_by_role("link", name="Retour au label du projet").click()
    page.get_by_role("link", name=f"Candidater à la {title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Candidater à la {title}")
    # Only the stage the campaign opened is offered.
    expect(page.get_by_label("Étape visée").locator("option")).to_have_text(["ÉcoQuartier Livré"])
    for number in range(1, 21):
        page.locator(f"#id_engagement-{number}").fill(f"Notre démarche, engagement {number}.")
    # The demo project has its targets and measurements (indicators demo): the apply page counts
    # them and points to the board instead of asking for free-text rows.
    expect(page.get_by_role("link", name="Fixer les objectifs")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Déposer le dossier de labellisation").click()
    expect(page.locator(".fr-alert--success")).to_contain_text(
        "Votre dossier de labellisation est déposé"
    )
    expect(page.locator("main .fr-badge").first).to_have_text("Dossier déposé")
    assert_accessible(page)


def test_the_dgaln_opens_the_campaign_and_saint_ouen_applies_by_clicking(
    page, assert_accessible, demo
):
    sign_in_from_home(page, assert_accessible, MANAGER)
    year, title = open_campaign(page, assert_accessible)

    sign_in_from_home(page, assert_accessible, HOLDER)
    apply_from_the_project(page, assert_accessible, title)

    campaign = Campaign.objects.get(year=year)
    file = LabelFile.objects.get(campaign=campaign, project__name=PROJECT)
    assert (file.state, file.target_stage.code) == (FileState.SUBMITTED, "livre")
    assert file.application.state == ApplicationState.SUBMITTED
