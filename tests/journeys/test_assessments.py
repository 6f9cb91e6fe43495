"""A self-assessment by the Saint-Ouen holder, then a Cerema expertise à blanc opened by the State
referent, compared and printed (F-10, F-11, F-12)."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ecoquartier.organisations.models import Membership, Organisation
from tests.assessments.factories import member
from tests.organisations.factories import DdtFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current
from tests.territories.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GAP = "Aucun inventaire écologique sur un cycle complet des saisons."
PROPOSAL = "Commander un inventaire quatre saisons du parc et des cœurs d'îlots."


@pytest.fixture
def docks():
    load_current()
    saint_ouen = OrganisationFactory(
        territory=CommuneFactory(name="Saint-Ouen-sur-Seine", code="93070"),
        name="Ville de Saint-Ouen-sur-Seine",
    )
    cerema = OrganisationFactory(
        kind=Organisation.Kind.PUBLIC_OPERATOR, territory=None, name="Cerema", acronym="Cerema"
    )
    project = ProjectFactory(
        name="Écoquartier des Docks", slug="ecoquartier-des-docks", holders=[saint_ouen]
    )
    ddt = DdtFactory(territory=saint_ouen.territory.departement)
    return {
        "project": project,
        "holder": member(saint_ouen, Membership.Role.PROJECT_HOLDER),
        "referent": member(ddt, Membership.Role.STATE_REFERENT),
        "expert": member(cerema, Membership.Role.EXPERT),
    }


def open_evaluations(page, project):
    """The project's evaluations, from the list of projects in the main menu."""
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Projets", exact=True).click()
    page.get_by_role("link", name=project.name).first.click()
    # The project page's own section (the main menu has an "Évaluations" of its own).
    page.locator("main").get_by_role("link", name=re.compile("Évaluations")).first.click()


def open_assessment(page, project, kind, lead_expert=None):
    open_evaluations(page, project)
    page.get_by_label("Type d'évaluation").select_option(label=kind)
    if lead_expert is not None:
        page.get_by_label("Expert référent").select_option(label=str(lead_expert))
    page.get_by_role("button", name="Ouvrir l’évaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(kind)


def fill_commitment(page, number, level_label, text):
    section = page.locator(f"#engagement-{number}")
    section.locator("label", has_text=level_label).click()
    section.get_by_label(f"Analyse de l’engagement {number}").fill(text)
    expect(section.locator(".eq-counter")).to_have_text(f"{len(text)} / 5000 caractères")
    section.get_by_role("button", name=f"Enregistrer l’engagement {number}").click()
    expect(section.get_by_role("status")).to_contain_text("Enregistré à")


def docks_ids(project):
    return list(project.assessments.order_by("assessed_on", "pk").values_list("pk", flat=True))


def switch_user(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def test_self_assessment_then_expertise_compared_and_printed(page, login, assert_accessible, docks):
    project = docks["project"]

    # The holder fills two commitments, finds them saved after a reload, and submits.
    login(page, docks["holder"])
    open_assessment(page, project, "Auto-évaluation")
    assert_accessible(page)
    fill_commitment(page, 6, "3 — Satisfaisant", "Une friche industrielle de cent hectares.")
    fill_commitment(page, 14, "2 — En cours", "Métro et RER ; stationnement encore généreux.")
    expect(page.locator("#completion")).to_contain_text("Avancement : 10 %")
    page.reload()
    section = page.locator("#engagement-6")
    expect(section.get_by_label("3 — Satisfaisant")).to_be_checked()
    expect(section.get_by_label("Analyse de l’engagement 6")).to_have_value(
        "Une friche industrielle de cent hectares."
    )
    expect(page.locator("#engagement-14").get_by_label("2 — En cours")).to_be_checked()
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    expect(page.locator("main .fr-badge").first).to_have_text("Soumise")

    # The State referent opens an expertise à blanc for the Cerema expert, who fills it,
    # records a gap with a proposal and validates it.
    switch_user(page, login, docks["referent"])
    open_assessment(page, project, "Expertise à blanc", lead_expert=docks["expert"])
    switch_user(page, login, docks["expert"])
    open_evaluations(page, project)
    page.get_by_role("link", name=re.compile("^Expertise à blanc")).first.click()
    fill_commitment(page, 6, "4 — Exemplaire", "Reconversion exemplaire d'une friche portuaire.")
    fill_commitment(page, 20, "1 — Insuffisant", "Gestion différenciée, sans inventaire.")
    section = page.locator("#engagement-20")
    section.get_by_text("Relever un écart sur l’engagement 20").click()
    section.get_by_label("Écart constaté").fill(GAP)
    section.get_by_label("Proposition pour le lever").fill(PROPOSAL)
    section.get_by_label("Priorité").select_option(label="Haute")
    section.get_by_label("Responsable").fill("Direction des espaces verts")
    section.get_by_label("Échéance").fill("2026-06-30")
    section.get_by_role("button", name="Enregistrer l’écart").click()
    expect(section.get_by_role("table")).to_contain_text(PROPOSAL)
    page.get_by_role("button", name="Soumettre l'évaluation").click()
    page.get_by_role("button", name="Valider l'évaluation").click()
    expect(page.locator("main .fr-badge").first).to_have_text("Validée")

    # Results: a radar and the same data as a table.
    page.get_by_role("link", name="Résultats").first.click()
    expect(page.get_by_role("img", name="Profil de maturité par engagement")).to_be_visible()
    expect(page.get_by_role("table", name="Niveau de maturité par engagement")).to_contain_text(
        "4 — Exemplaire"
    )
    assert_accessible(page)

    # Back to the holder, who reads both: the comparison page overlays both profiles.
    switch_user(page, login, docks["holder"])
    open_evaluations(page, project)
    expect(page.get_by_label("Première évaluation")).to_have_value(str(docks_ids(project)[0]))
    page.get_by_role("button", name="Comparer").click()
    radar = page.get_by_role("img", name="Profils de maturité des deux évaluations superposés")
    expect(radar).to_be_visible()
    expect(radar.locator("g.eq-radar__series")).to_have_count(2)
    expect(page.get_by_role("table", name="Niveaux côte à côte et évolution")).to_contain_text("+1")
    assert_accessible(page)

    # The PDF report is generated in the background and downloads.
    page.get_by_role("navigation", name=re.compile("vous êtes ici", re.I)).get_by_role(
        "link", name="Évaluations"
    ).click()
    page.get_by_role("link", name=re.compile("^Expertise à blanc")).first.click()
    page.get_by_role("link", name="Rapport PDF").click()
    page.get_by_role("button", name="Générer le rapport PDF").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport PDF").click()
    pdf = PdfReader(download.value.path())
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Écoquartier des Docks" in text
    assert GAP in text

    # The project's gap list, filtered by priority.
    open_evaluations(page, project)
    page.get_by_role("link", name=re.compile("voir les écarts et propositions")).click()
    page.get_by_label("Priorité").select_option(label="Haute")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("table")).to_contain_text(GAP)
    assert_accessible(page)


def test_a_report_whose_worker_died_is_started_again_from_its_page(
    page, login, assert_accessible, docks
):
    from django.utils import timezone

    from ecoquartier.assessments.models import Report
    from tests.assessments.factories import AssessmentFactory

    assessment = AssessmentFactory(project=docks["project"])
    Report.objects.create(
        assessment=assessment,
        status=Report.Status.FAILED,
        progress=40,
        attempt=Report.MAX_ATTEMPTS,
        finished_at=timezone.now(),
    )

    login(page, docks["holder"])
    open_evaluations(page, docks["project"])
    page.get_by_role("link", name=re.compile("^Auto-évaluation")).first.click()
    page.get_by_role("link", name="Rapport PDF").click()
    expect(page.get_by_text("La génération du rapport a échoué")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Relancer la génération").click()

    expect(page.get_by_text("Le rapport est prêt")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
