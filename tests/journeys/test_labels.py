"""The label ÉcoQuartier end to end (F-40 … F-42): Saint-Ouen signs the charter, the State
acknowledges it, Saint-Ouen fixes a target and records a measurement on its indicator board then
applies to the campaign, the programme manager assigns two experts,
the coordinator writes the label expertise and gives the opinion, the local commission proposes,
the national commission awards; the public project page shows the label and its year and the
certificate downloads."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ecoquartier.labels.models import LabelFile
from tests.journeys.indicators_world import record
from tests.labels.factories import PDF, build_world
from tests.referentiel.factories import load_current

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    load_current()
    return build_world()


def switch_user(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def expect_success(page, text):
    expect(page.locator(".fr-alert--success")).to_contain_text(text)


def menu(page, name):
    nav = page.get_by_role("navigation", name="Menu principal")
    nav.get_by_role("link", name=name, exact=True).first.click()


def open_project(page, project):
    """The project's page, from the list of projects in the main menu."""
    menu(page, "Projets")
    page.get_by_role("link", name=project.name).first.click()


def open_label_page(page, project):
    open_project(page, project)
    page.get_by_role("link", name="Label ÉcoQuartier : étapes et attestations").click()


def open_campaign(page, campaign):
    """The campaign's dashboard, from the label's page in the main menu."""
    menu(page, "Label")
    item = page.get_by_role("listitem").filter(has_text=campaign.call.title)
    item.get_by_role("link", name="Tableau de bord de la campagne").click()


def sign_charter(page, assert_accessible, project):
    open_label_page(page, project)
    assert_accessible(page)
    page.get_by_role("link", name="Signer la charte ÉcoQuartier").click()
    page.get_by_label("Nom du signataire").fill("Karim Bouamrane")
    page.get_by_label("Qualité du signataire").fill("Maire")
    page.get_by_label("Date de la délibération du conseil").fill("2024-03-12")
    page.get_by_label("Charte signée ou délibération").set_input_files(
        {"name": "charte-signee.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_text("La collectivité s'engage à respecter").click()
    assert_accessible(page)
    page.get_by_role("button", name="Signer la charte").click()
    expect_success(page, "La charte est signée")
    assert_accessible(page)


def fix_a_target(page, assert_accessible, world):
    """From ÉcoProjet, the label page leads the holder to the indicator board: a target and a
    measurement of a national-base indicator."""
    open_label_page(page, world.project)
    expect(page.locator("main")).to_contain_text("0 indicateurs du socle national sur")
    page.get_by_role("link", name="Fixer les objectifs").click()
    page.get_by_role("link", name="Part de logements sociaux").click()
    for kind, value, when in (("Objectif", "35", "2030"), ("Mesure", "32", "2025-12-31")):
        record(page, assert_accessible, kind, value, when)


def apply_to_campaign(page, assert_accessible, world):
    open_label_page(page, world.project)
    expect(page.locator("main")).to_contain_text("1 indicateur du socle national sur")
    page.get_by_role("link", name=re.compile("^Candidater à la Campagne")).click()
    page.get_by_label("Étape visée").select_option(label="ÉcoQuartier Livré")
    for number in range(1, 21):
        page.locator(f"#id_engagement-{number}").fill(f"Notre démarche, engagement {number}.")
    assert_accessible(page)
    page.get_by_role("button", name="Déposer le dossier de labellisation").click()
    expect_success(page, "Votre dossier de labellisation est déposé")
    expect(page.locator("main .fr-badge").first).to_have_text("Dossier déposé")
    assert_accessible(page)


def write_expertise(page, assert_accessible, file):
    """The coordinator finds the file among its files to expertise on the label's page."""
    menu(page, "Label")
    page.get_by_role("link", name=str(file)).click()
    page.get_by_role("link", name=re.compile("^Expertise label")).click()
    section = page.locator("#engagement-6")
    section.locator("label", has_text="4 — Exemplaire").click()
    section.get_by_label("Analyse de l’engagement 6").fill("Reconversion exemplaire des docks.")
    section.get_by_role("button", name="Enregistrer l’engagement 6").click()
    expect(section.get_by_role("status")).to_contain_text("Enregistré à")
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(page.locator("main .fr-badge").first).to_have_text("Soumise")
    menu(page, "Label")
    page.get_by_role("link", name=str(file)).click()
    page.get_by_label("Date de la visite de site").fill("2026-06-15")
    page.get_by_role("button", name="Enregistrer la date de visite").click()
    page.get_by_text("Favorable", exact=True).click()
    page.get_by_label("Avis motivé").fill("Un quartier exemplaire, livré et habité.")
    assert_accessible(page)
    page.get_by_role("button", name="Rendre l'avis").click()
    expect(page.locator("main .fr-badge").first).to_have_text("Expertise rendue")


def hold_session(page, assert_accessible, campaign, level, outcome, motivation):
    open_campaign(page, campaign)
    assert_accessible(page)
    page.get_by_label("Commission", exact=True).select_option(label=level)
    page.get_by_label("Date de la séance").fill(f"{campaign.year}-10-08")
    page.get_by_label("Membres").fill("Présidence de la commission\nAMF\nVilles de France")
    page.get_by_role("button", name="Ouvrir la séance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(level)
    assert_accessible(page)
    page.get_by_text(outcome, exact=True).click()
    page.get_by_label("Motivation").fill(motivation)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect_success(page, "Décision enregistrée")
    assert_accessible(page)


def test_saint_ouen_is_labelled_livre(page, login, assert_accessible, world):
    year = world.campaign.year

    login(page, world.holder)
    sign_charter(page, assert_accessible, world.project)

    switch_user(page, login, world.referent)
    open_label_page(page, world.project)
    page.get_by_role("link", name="Voir la charte signée").click()
    assert_accessible(page)
    page.get_by_role("button", name="Prendre acte de la charte").click()
    expect_success(page, "Charte prise en compte")

    switch_user(page, login, world.holder)
    fix_a_target(page, assert_accessible, world)
    apply_to_campaign(page, assert_accessible, world)
    file = LabelFile.objects.get()

    coordinator, second = world.experts[:2]
    switch_user(page, login, world.manager)
    open_campaign(page, world.campaign)
    page.get_by_role("link", name=str(world.project)).first.click()
    page.get_by_label("Expert coordinateur").select_option(
        label=f"Julien Lefèvre ({coordinator.email})"
    )
    page.get_by_label("Second expert").select_option(label=f"Anne Martin ({second.email})")
    assert_accessible(page)
    page.get_by_role("button", name="Désigner les experts").click()
    expect_success(page, "Les deux experts sont désignés")
    expect(page.locator("main .fr-badge").first).to_have_text("En expertise")

    switch_user(page, login, coordinator)
    write_expertise(page, assert_accessible, file)

    switch_user(page, login, world.referent)
    hold_session(
        page, assert_accessible, world.campaign, "Commission locale", "Proposer le label",
        "Un projet abouti, porté par la ville et ses habitants.",
    )  # fmt: skip

    switch_user(page, login, world.manager)
    hold_session(
        page, assert_accessible, world.campaign, "Commission nationale", "Attribuer le label",
        "La commission nationale salue la reconversion des docks.",
    )  # fmt: skip

    # Anyone reads the label and its year on the public project page, and downloads the
    # certificate.
    page.context.clear_cookies()
    page.goto("/")
    open_project(page, world.project)
    expect(page.locator("body")).to_contain_text(f"ÉcoQuartier Livré » ({year})")
    page.get_by_role("link", name="Label ÉcoQuartier : étapes et attestations").click()
    expect(page.locator(".fr-callout__title")).to_have_text(f"ÉcoQuartier Livré — {year}")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Attestation Livré (PDF)").click()
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(download.value.path()).pages
    )
    assert "Attestation de labellisation ÉcoQuartier" in text
    assert f"ÉcoQuartier Livré — {year}" in text
    assert "Écoquartier des Docks" in text

    menu(page, "Label")
    assert_accessible(page)
    page.get_by_role("link", name="Les chiffres clés du label").click()
    expect(page.get_by_role("table", name="Projets par étape du label")).to_contain_text(
        "ÉcoQuartier Livré"
    )
    assert_accessible(page)


def test_three_years_after_delivery_the_holder_fills_the_use_phase_evaluation(
    page, login, assert_accessible
):
    from datetime import date

    from django.core.management import call_command

    from ecoquartier.labels import services
    from tests.labels.factories import sign_and_acknowledge, stage

    load_current()
    world = build_world(with_campaign=False)
    sign_and_acknowledge(world)
    services.record_past_step(
        world.manager, world.project, stage("livre"), decided_on=date(2021, 11, 30),
        deciding_body="Commission nationale ÉcoQuartier", reference="CNEQ-2021-0042",
    )  # fmt: skip
    call_command("label_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    login(page, world.holder)
    open_label_page(page, world.project)
    page.get_by_role("link", name=re.compile("^Évaluation en phase d'usage ouverte")).click()
    page.get_by_label("Retours des habitants").fill(
        "Le jardin partagé est devenu le cœur du quartier."
    )
    page.get_by_label("Effet levier sur le territoire").fill("La méthode est reprise ailleurs.")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect_success(page, "Évaluation en phase d'usage enregistrée")
    expect(page.get_by_label("Retours des habitants")).to_have_value(
        "Le jardin partagé est devenu le cœur du quartier."
    )
    assert_accessible(page)
