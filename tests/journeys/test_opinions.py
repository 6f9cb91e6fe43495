"""Journey (issue 13): on the demo, the DGALN manager opens, by clicking from the home page, the
Saint-Ouen application to an open call of the DGALN and asks the DDT 93 referent (suggested:
the State referent of the project's département) for an opinion; the referent, from the home
page, finds the request in the inbox of its dashboard, opens the application and gives the
opinion with a file; the manager, told by a notification, sees "avis 1/1". axe on every page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ecoquartier.accounts.models import User
from ecoquartier.applications import services
from ecoquartier.applications.models import Opinion
from ecoquartier.calls.models import Call
from ecoquartier.core import workflows
from ecoquartier.projects.models import Project
from tests.demo.conftest import load_demo_territories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"
PASSWORD = "motdepasse-demo-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "Le projet est-il compatible avec le PLUi de Plaine Commune ?"
ANSWERS = {"summary": "Seconde tranche des Docks.", "urbanity": "Urbain", "motivation": "Oui."}


@pytest.fixture
def demo():
    """The demo, and Saint-Ouen's application (the Docks) submitted to the DGALN's open national
    call of the demo (its form published if it was not)."""
    load_demo_territories()
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
    holder = User.objects.get(email=f"porteur.saint-ouen{DEMO}")
    call = (
        Call.objects.open()
        .filter(programme__owner__acronym="DGALN", perimeter__kind="country")
        .exclude(kind=Call.Kind.LABELLING)
        .order_by("slug")
        .first()
    )
    step = call.steps.order_by("deadline").first()
    if not step.forms.filter(published_at__isnull=False).exists():
        services.build_form(step, "intention", publish=True)
    docks = Project.objects.get(slug="ecoquartier-des-docks")
    application = services.start_application(
        holder, call, holder.memberships.get().organisation, docks, title="Les Docks, suite"
    )
    services.save_answers(holder, application, ANSWERS)
    workflows.fire(application, "submit", holder)
    return call, application


def sign_in(page, email):
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible()


def test_the_manager_asks_the_ddt_93_which_gives_its_opinion(
    page, assert_accessible, demo, tmp_path
):
    call, application = demo

    # The DGALN manager finds the call, its instruction, and the application.
    sign_in(page, f"gestionnaire.dgaln{DEMO}")
    assert_accessible(page)
    page.get_by_role("link", name="Trouver une aide").first.click()
    page.get_by_label("Mots-clés").fill(call.title)
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=call.title).first.click()
    expect(page.get_by_role("heading", level=1, name=call.title)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Instruire les candidatures").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Instruction"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=application.title).click()
    expect(page.get_by_role("heading", level=1, name=application.title)).to_be_visible()
    assert_accessible(page)

    # The DDT 93 referent is suggested (State referent of the project's département).
    suggested = page.locator("#avis label", has_text="(suggéré)")
    expect(suggested).to_contain_text("Seine-Saint-Denis")
    suggested.click()
    page.get_by_label("Question posée").fill(QUESTION)
    page.get_by_role("button", name="Demander l’avis").click()
    expect(page.get_by_text("Avis demandé à 1 personne(s).")).to_be_visible()
    expect(page.locator("#opinion-count")).to_have_text("avis 0/1")
    assert_accessible(page)
    opinion = Opinion.objects.get(application=application)
    assert opinion.expert.email == f"referent.ddt93{DEMO}"

    # The referent finds the request in its inbox and answers, with a file.
    sign_in(page, f"referent.ddt93{DEMO}")
    inbox = page.locator("#inbox")
    expect(inbox.get_by_role("row", name=re.compile("Avis demandés"))).to_contain_text("1")
    assert_accessible(page)
    inbox.get_by_role("link", name="Avis demandés").click()
    expect(page.get_by_role("heading", level=1, name="Mes avis à donner")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=application.title).click()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    page.get_by_label("Votre avis").fill("Compatible : le secteur est en zone UD du PLUi.")
    note = tmp_path / "avis-ddt93.pdf"
    note.write_bytes(PDF)
    page.get_by_label(re.compile("Pièces jointes")).set_input_files(note)
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.get_by_text("Votre avis est enregistré. Merci.")).to_be_visible()
    expect(page.get_by_role("link", name="avis-ddt93.pdf")).to_be_visible()
    assert_accessible(page)

    # The manager is told, opens the application from the notification: "avis 1/1".
    sign_in(page, f"gestionnaire.dgaln{DEMO}")
    with page.expect_navigation():
        page.get_by_test_id("notifications-badge").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Avis reçu sur la candidature")).first.click()
    expect(page.locator("#opinion-count")).to_have_text("avis 1/1")
    expect(page.get_by_text("Compatible : le secteur est en zone UD du PLUi.")).to_be_visible()
    assert_accessible(page)
