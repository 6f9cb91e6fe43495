"""Journey: a form refused by the server moves the focus to its error summary, and each item of
the summary takes the reader to its field. From the home page, by clicking only; every page
passes axe."""

import pytest
from playwright.sync_api import expect

from ecoquartier.projects.taxonomy import load_taxonomy
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def holder():
    load_taxonomy()
    town_hall = OrganisationFactory(territory=CommuneFactory(), name="Ville de Lunel")
    user = UserFactory(email="porteur.lunel@exemple.fr")
    MembershipFactory(user=user, organisation=town_hall)
    return user


def test_an_empty_project_form_focuses_its_error_summary_whose_links_reach_the_fields(
    page, assert_accessible, holder
):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Se connecter").first.click()
    assert_accessible(page)
    page.get_by_label("Adresse électronique").fill(holder.email)
    page.get_by_label("Mot de passe").fill("motdepasse-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Projets"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Projets")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Créer un projet").first.click()
    expect(page.get_by_role("heading", level=1, name="Créer un projet")).to_be_visible()
    assert_accessible(page)

    # The browser lets the empty form go (novalidate): the server answers in French.
    page.get_by_role("button", name="Enregistrer").click()
    summary = page.locator("[data-eq-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Le projet n'a pas été enregistré")
    assert_accessible(page)

    summary.get_by_role("link", name="Nom du projet").click()
    expect(page.locator("#id_name")).to_be_focused()
    page.locator("#id_name").fill("Écoquartier du Mas")
    expect(page.locator("#id_name")).to_have_value("Écoquartier du Mas")


@pytest.fixture
def assessment():
    from ecoquartier.organisations.models import Membership
    from tests.assessments.factories import AssessmentFactory, member
    from tests.projects.factories import ProjectFactory
    from tests.referentiel.factories import load_current

    load_current()
    town_hall = OrganisationFactory(territory=CommuneFactory(), name="Ville de Lunel")
    project = ProjectFactory(name="Écoquartier du Mas", holders=[town_hall])
    holder = member(town_hall, Membership.Role.PROJECT_HOLDER)
    return AssessmentFactory(project=project), holder


def test_the_self_assessment_saves_a_commitment_on_change_and_warns_before_leaving(
    page, assert_accessible, assessment
):
    assessment, holder = assessment
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(holder.email)
    page.get_by_label("Mot de passe").fill("motdepasse-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Projets").click()
    assert_accessible(page)
    page.get_by_role("link", name="Écoquartier du Mas").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Évaluations").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=str(assessment)).first.click()
    assert_accessible(page)

    # A level picked, then text typed and the field left: saved without pressing a button.
    section = page.locator("#engagement-3")
    section.locator("label", has_text="2 — En cours").click()
    text = section.get_by_label("Analyse de l’engagement 3")
    text.fill("Une concertation dès le diagnostic.")
    page.get_by_role("heading", level=1).click()
    expect(section.get_by_role("status")).to_contain_text("Enregistré à")
    assert_accessible(page)
    page.reload()
    expect(page.locator("#engagement-3").get_by_label("Analyse de l’engagement 3")).to_have_value(
        "Une concertation dès le diagnostic."
    )

    # Text typed but not yet saved: leaving the page asks first.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#engagement-5").get_by_label("Analyse de l’engagement 5").fill("Brouillon")
    page.get_by_role("link", name="Accueil").first.click()
    expect(page.locator("#engagement-5").get_by_label("Analyse de l’engagement 5")).to_have_value(
        "Brouillon"
    )
    assert dialogs == ["beforeunload"]
