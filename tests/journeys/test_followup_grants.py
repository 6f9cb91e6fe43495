"""Journey: grants and payments of a follow-up (issue 14, part 4). From the home page, the
Saint-Ouen holder requests an advance on the grant of its Cerema 2022 support, with an invoice;
then the DGALN manager checks, approves and pays it by clicking, and sees it on the programme's
budget. Every page passes axe."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ecoquartier.accounts.models import User
from ecoquartier.applications.models import Application, State
from ecoquartier.core import workflows
from ecoquartier.followup import grants
from ecoquartier.followup.models import FollowUp, Grant, Instalment
from ecoquartier.followup.services import open_follow_up
from ecoquartier.organisations.models import Organisation
from tests.demo.conftest import load_demo_territories
from tests.journeys.followup_world import click, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"
PURPOSE = "Études pré-opérationnelles du quartier des Docks"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def grant():
    """The demo; Saint-Ouen's Cerema 2022 application selected, its follow-up opened and a
    grant of 30,000 € made on it by the DGALN manager (the real services)."""
    load_demo_territories()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    application = Application.objects.get(
        call__slug="cerema-accompagnement-ecoquartier-2022",
        organisation__territory__code="93070",
    )
    manager = User.objects.get(email=f"gestionnaire.dgaln{DEMO}")
    if application.state != State.SELECTED:  # the demo may have selected and followed it
        workflows.fire(application, "select", manager, comment="Projet retenu par le jury.")
    follow_up = FollowUp.objects.filter(application=application).first() or open_follow_up(
        manager, programme=application.call.programme, project=application.project,
        beneficiary=application.organisation, application=application,
    )  # fmt: skip
    return grants.add_grant(
        manager, follow_up,
        {"funder": Organisation.objects.get(kind=Organisation.Kind.DGALN),
         "purpose": PURPOSE, "amount": Decimal(30000),
         "convention_date": date(2026, 1, 15)},
    )  # fmt: skip


def open_grants_section(page, assert_accessible, grant):
    nav = page.locator("#header-navigation")
    click(page, assert_accessible, nav.get_by_role("link", name="Accompagnements"))
    click(page, assert_accessible, page.get_by_role("link", name=grant.follow_up.title).first)
    click(page, assert_accessible, page.get_by_role("link", name="Subventions et versements"))
    expect(page.get_by_role("heading", level=1, name="Subventions et versements")).to_be_visible()


def test_the_holder_requests_an_advance_the_manager_checks_approves_and_pays_it(
    page, assert_accessible, grant
):
    sign_in(page, assert_accessible, "porteur.saint-ouen")
    open_grants_section(page, assert_accessible, grant)
    expect(page.get_by_role("heading", level=2, name=PURPOSE)).to_be_visible()
    page.get_by_label("Subvention", exact=True).select_option(str(grant.pk))
    page.get_by_label("Nature du versement").select_option("advance")
    page.get_by_label("Montant demandé (€)").fill("31000")
    page.get_by_label("Pièces justificatives").set_input_files(
        [{"name": "facture-etudes.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    click(page, assert_accessible, page.get_by_role("button", name="Transmettre la demande"))
    # Above the grant: refused, beside the amount, with what is left.
    expect(page.get_by_text("Il reste 30\u202f000,00\u00a0€ à verser").first).to_be_visible()
    page.get_by_label("Subvention", exact=True).select_option(str(grant.pk))
    page.get_by_label("Montant demandé (€)").fill("9000")
    page.get_by_label("Pièces justificatives").set_input_files(
        [{"name": "facture-etudes.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    click(page, assert_accessible, page.get_by_role("button", name="Transmettre la demande"))
    expect(page.get_by_text("Votre demande de versement est transmise.")).to_be_visible()
    expect(page.get_by_role("link", name="facture-etudes.pdf")).to_be_visible()
    instalment = Instalment.objects.get(grant=grant)
    assert instalment.state == Instalment.State.REQUESTED

    sign_in(page, assert_accessible, "gestionnaire.dgaln")
    open_grants_section(page, assert_accessible, grant)
    row = page.locator(f"#versement-{instalment.pk}")
    for button, state in (
        ("Pièces vérifiées", "Vérifié"),
        ("Valider le versement", "Validé"),
        ("Marquer comme versé", "Versé"),
    ):
        click(page, assert_accessible, row.get_by_role("button", name=re.compile(f"^{button}")))
        expect(page.get_by_text(f"Action enregistrée : {button}")).to_be_visible()
        expect(row.locator(".fr-badge")).to_have_text(state)
    grant.refresh_from_db()
    assert grant.paid == Decimal(9000)
    section = page.locator(f"#subvention-{grant.pk}-section")
    expect(section.get_by_text("Reste à verser 21\u202f000,00\u00a0€")).to_be_visible()
    click(page, assert_accessible, page.get_by_role("link", name="Budget du programme"))
    expect(page.get_by_role("heading", level=1, name=re.compile("^Budget : "))).to_be_visible()
    assert Grant.objects.get(pk=grant.pk).paid == 9000
