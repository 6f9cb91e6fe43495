"""Journey: four demo people each sign in from the home page, reach their dashboard, see their
inbox ("À faire") and click one of its rows to the page where the task is done — the Saint-Ouen
holder a completion request (and answers it), the DDT 93 referent the files it instructs, the
Cerema expert its label file, the DGALN manager a call's instruction. Every page passes axe."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ecoquartier.accounts.models import User
from ecoquartier.applications.models import Application, State
from ecoquartier.core import workflows
from tests.demo.conftest import load_demo_territories
from tests.journeys.followup_world import before_the_jury

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"


@pytest.fixture
def demo():
    load_demo_territories()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Back before the jury (the demo selects Saint-Ouen and opens its support), the Cerema
    # call's manager asks Saint-Ouen for more on its file (the real transition).
    application = before_the_jury()
    manager = User.objects.get(email=f"instruction.cerema{DEMO}")
    workflows.fire(application, "request_completion", manager, comment="Précisez le calendrier.")
    return application


def sign_in_and_open_inbox(page, assert_accessible, email):
    page.context.clear_cookies()
    page.goto("/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Se connecter").first.click()
    assert_accessible(page)
    page.get_by_label("Adresse électronique").fill(email + DEMO)
    page.get_by_label("Mot de passe").fill("motdepasse-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible()
    inbox = page.locator("#inbox")
    expect(inbox).to_be_visible()
    assert_accessible(page)
    return inbox


def open_row(page, assert_accessible, inbox, label):
    with page.expect_navigation():
        inbox.get_by_role("link", name=label).first.click()
    assert_accessible(page)


def test_each_role_goes_from_its_inbox_to_its_task(page, assert_accessible, demo):
    inbox = sign_in_and_open_inbox(page, assert_accessible, "porteur.saint-ouen")
    open_row(page, assert_accessible, inbox, "Compléments demandés sur vos candidatures")
    expect(page.get_by_role("heading", level=1, name=demo.title)).to_be_visible()
    expect(page.get_by_text("Précisez le calendrier.").first).to_be_visible()
    # The holder sends its file back to its instructors: the task leaves its inbox.
    resubmit = page.locator("form.eq-action").get_by_role("button", name="Transmettre les compl")
    with page.expect_navigation():
        resubmit.click()
    expect(page.get_by_text("Action enregistrée : Transmettre les compléments")).to_be_visible()
    assert_accessible(page)

    inbox = sign_in_and_open_inbox(page, assert_accessible, "referent.ddt93")
    open_row(page, assert_accessible, inbox, re.compile("^Candidatures à instruire — "))
    expect(page).to_have_url(re.compile(r"/instruction/$"))
    expect(page.locator("h1")).to_contain_text("Accompagnement stratégique")
    # …and, from the menu, every file it instructs.
    with page.expect_navigation():
        page.locator("#header-navigation").get_by_role("link", name="Instruction").click()
    expect(page.get_by_role("heading", level=1, name="Candidatures à instruire")).to_be_visible()
    assert_accessible(page)

    inbox = sign_in_and_open_inbox(page, assert_accessible, "expert.cerema")
    expect(page.get_by_role("link", name="Créer un projet")).to_have_count(0)
    open_row(page, assert_accessible, inbox, "Dossiers de labellisation à expertiser")
    expect(page).to_have_url(re.compile(r"/label/dossiers/\d+/$"))

    inbox = sign_in_and_open_inbox(page, assert_accessible, "gestionnaire.dgaln")
    open_row(page, assert_accessible, inbox, re.compile("^Candidatures à instruire — "))
    expect(page).to_have_url(re.compile(r"/instruction/$"))
    with page.expect_navigation():
        page.locator("#header-navigation").get_by_role("link", name="Gestion des appels").click()
    expect(page.get_by_role("heading", level=1, name="Gestion des appels")).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def assigned_review():
    """The demo, then a file under review assigned to the Cerema expert by its call's manager
    (the real service: the expert is told by e-mail and in the app)."""
    from ecoquartier.applications import services
    from ecoquartier.applications.models import Review
    from ecoquartier.calls.permissions import programme_managers

    load_demo_territories()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before_the_jury()  # the demo selected the Cerema 2022 files it scored
    expert = User.objects.get(email=f"expert.cerema{DEMO}")
    application = (
        Application.objects.filter(state=State.UNDER_REVIEW, call__criteria__isnull=False)
        .exclude(reviews__reviewer=expert)
        .select_related("call__programme")
        .order_by("pk")
        .first()
    )
    manager = programme_managers(application.call.programme)[0]
    services.assign_reviewers(manager, [application], [expert])
    Review.objects.filter(reviewer=expert).exclude(application=application).delete()
    return application


def test_an_assigned_cerema_reviewer_submits_its_review_from_its_inbox(
    page, assert_accessible, assigned_review
):
    application = assigned_review
    inbox = sign_in_and_open_inbox(page, assert_accessible, "expert.cerema")
    open_row(page, assert_accessible, inbox, "Évaluations à faire")
    expect(page.locator("h1")).to_contain_text("Déclaration de conflit d’intérêts")
    expect(page.get_by_text(application.title).first).to_be_visible()
    page.locator("label[for=id_has_conflict_0]").click()  # no conflict of interest
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer ma déclaration").click()
    expect(page.get_by_role("heading", name="Grille d’évaluation")).to_be_visible()
    assert_accessible(page)
    for criterion in application.call.criteria.all():
        page.locator(f"label[for=id_score_{criterion.pk}_3]").click()
    page.locator("label[for=id_recommendation_0]").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Soumettre l’évaluation").click()
    expect(page.get_by_text("Évaluation soumise.")).to_be_visible()
    assert_accessible(page)
    # The task has left the inbox.
    with page.expect_navigation():
        page.get_by_role("link", name="Tableau de bord").first.click()
    expect(page.locator("#inbox").get_by_role("link", name="Évaluations à faire")).to_have_count(0)
