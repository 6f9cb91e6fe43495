"""Journey (issue 14): after the jury, by clicking from the home page —
the DGALN manager opens the support of Saint-Ouen, a Cerema 2022 laureate, from its application
("Ouvrir l'accompagnement"), names the Cerema's expert on its team and its 36 days, prepares the
tripartite convention and sends it; the holder, the DDT 93 (for the préfet) and the Cerema sign
it from their inbox; the expert logs three activities; the holder reads the days left and the
forecast on its project; a deliverable is handed in, sent back with a comment, handed in again
and accepted. Every page passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecoquartier.followup.models import FollowUp
from tests.journeys.followup_world import (
    click,
    forget_follow_up,
    load_demo,
    saint_ouen_application,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DELIVERABLE = "Note de cadrage"


@pytest.fixture
def laureate():
    """The demo, where the jury selected Saint-Ouen; its support not opened yet."""
    load_demo()
    application = saint_ouen_application()
    forget_follow_up(application)
    return application


def menu(page, assert_accessible, name):
    nav = page.get_by_role("navigation", name="Menu principal")
    click(page, assert_accessible, nav.get_by_role("link", name=name, exact=True))


def inbox(page, assert_accessible, row):
    click(page, assert_accessible, page.locator("#inbox").get_by_role("link", name=row).first)


def section(page, assert_accessible, name):
    side = page.locator(".fr-sidemenu")
    click(page, assert_accessible, side.get_by_role("link", name=name, exact=True))
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def sign(page, assert_accessible, tmp_path, organisation):
    form = page.locator("form", has=page.get_by_role("button", name="Enregistrer ma signature"))
    expect(form.get_by_label("Vous signez pour")).to_contain_text(organisation)
    scan = tmp_path / "convention-signee.pdf"
    scan.write_bytes(PDF)
    form.locator("input[type=file]").set_input_files(str(scan))
    click(page, assert_accessible, form.get_by_role("button", name="Enregistrer ma signature"))
    expect(page.get_by_text("Votre signature est enregistrée.")).to_be_visible()


def open_deliverable(page, assert_accessible, title):
    """Menu « Accompagnements », the support, « Jalons et livrables », the deliverable."""
    menu(page, assert_accessible, "Accompagnements")
    click(page, assert_accessible, page.get_by_role("link", name=title).first)
    section(page, assert_accessible, "Jalons et livrables")
    click(page, assert_accessible, page.get_by_role("link", name=DELIVERABLE, exact=True).first)
    expect(page.get_by_role("heading", level=1, name=DELIVERABLE)).to_be_visible()


def hand_in(page, assert_accessible, path, comment):
    path.write_bytes(PDF)
    form = page.locator("#deposer ~ form")
    form.get_by_label("Fichier du livrable").set_input_files(str(path))
    form.get_by_label("Commentaire").fill(comment)
    click(page, assert_accessible, page.get_by_role("button", name="Déposer la version"))
    expect(page.get_by_text("La version est déposée")).to_be_visible()


def review(page, assert_accessible, decision, comment=""):
    page.get_by_role("radio", name=decision).check(force=True)
    if comment:
        page.locator("#avis ~ form").get_by_label("Commentaire").fill(comment)
    click(page, assert_accessible, page.get_by_role("button", name="Enregistrer l'avis"))
    expect(page.get_by_text("L'avis est enregistré")).to_be_visible()


def test_a_laureate_is_followed_after_the_jury(page, assert_accessible, laureate, tmp_path):
    today = timezone.localdate()
    started = today - datetime.timedelta(days=120)

    # The DGALN manager opens the support from the selected application.
    sign_in(page, assert_accessible, "gestionnaire.dgaln")
    menu(page, assert_accessible, "Instruction")
    click(
        page, assert_accessible,
        page.get_by_role("link", name=f"Instruction — {laureate.call.title}"),
    )  # fmt: skip
    click(page, assert_accessible, page.get_by_role("link", name=laureate.title).first)
    click(page, assert_accessible, page.get_by_role("button", name="Ouvrir l'accompagnement"))
    expect(page.get_by_text("L'accompagnement est ouvert")).to_be_visible()
    follow_up = FollowUp.objects.get(application=laureate)
    assert follow_up.coordinator.acronym == "Cerema"
    click(page, assert_accessible, page.get_by_role("link", name="Modifier l'accompagnement"))
    page.get_by_label("Experts de l'accompagnement").select_option(label="Julien Lefèvre")
    page.get_by_label("Début").fill(started.isoformat())
    page.get_by_label("Jours d'accompagnement prévus").fill("36")
    click(page, assert_accessible, page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_text("L'accompagnement est modifié.")).to_be_visible()

    # … prepares the tripartite convention and sends it for signature.
    section(page, assert_accessible, "Convention")
    click(page, assert_accessible, page.get_by_role("link", name="Préparer la convention"))
    page.locator("#id_beneficiary_signatory").fill("Karim Bouamrane, maire de Saint-Ouen")
    page.locator("#id_state").select_option(
        label="Unité départementale de la Seine-Saint-Denis de la DRIEAT"
    )
    page.locator("#id_state_signatory").fill("Le préfet de la Seine-Saint-Denis")
    page.locator("#id_operator_signatory").fill("Le directeur général du Cerema")
    click(
        page, assert_accessible,
        page.get_by_role("button", name="Enregistrer le projet de convention"),
    )  # fmt: skip
    click(page, assert_accessible, page.get_by_role("button", name="Envoyer pour signature"))
    expect(page.get_by_role("link", name=re.compile("Télécharger la convention"))).to_be_visible()

    # The three parties sign, each from its inbox.
    for email, organisation in (
        ("porteur.saint-ouen", "Saint-Ouen"), ("referent.ddt93", "DRIEAT"),
        ("expert.cerema", "Cerema"),
    ):  # fmt: skip
        sign_in(page, assert_accessible, email)
        inbox(page, assert_accessible, "Conventions d'accompagnement à signer")
        sign(page, assert_accessible, tmp_path, organisation)
    expect(page.get_by_text("Signée par toutes les parties").first).to_be_visible()

    # The Cerema's expert logs three activities.
    section(page, assert_accessible, "Jours d'accompagnement")
    for days_ago, half_days, domain, kind, notes in (
        (100, "4", "Aménagement et urbanisme", "Cadrage amont", "Cadrage avec la commune"),
        (60, "6", "Mobilités", "Visite de site", "Visite des voiries de l'entrée de ville"),
        (20, "2", "Participation citoyenne", "Atelier", "Atelier avec les habitants"),
    ):
        click(page, assert_accessible, page.get_by_role("link", name="Consigner une intervention"))
        form = page.locator("form", has=page.get_by_role("button", name="Consigner"))
        form.get_by_label("Date", exact=True).fill(
            (today - datetime.timedelta(days=days_ago)).isoformat()
        )
        form.get_by_label("Durée").select_option(half_days)
        form.get_by_label("Domaine", exact=True).select_option(label=domain)
        form.get_by_label("Type d'intervention").select_option(label=kind)
        form.get_by_label("Notes").fill(notes)
        click(page, assert_accessible, form.get_by_role("button", name="Consigner l'intervention"))
        expect(page.get_by_text("L'intervention est consignée.")).to_be_visible()
    expect(page.locator("#days-left")).to_have_text(re.compile(r"30\s*j"))

    # The holder reads the days left and the forecast on its project.
    sign_in(page, assert_accessible, "porteur.saint-ouen")
    menu(page, assert_accessible, "Accompagnements")
    click(page, assert_accessible, page.get_by_role("link", name=follow_up.title).first)
    click(
        page, assert_accessible,
        page.get_by_role("link", name=laureate.project.name, exact=True).first,
    )  # fmt: skip
    click(page, assert_accessible, page.get_by_role("link", name=re.compile("^Accompagnements :")))
    card = page.locator(".fr-card", has=page.get_by_role("link", name=follow_up.title))
    expect(card).to_contain_text("Jours restants : 30 (6 consommés sur 36).")
    expect(card).to_contain_text(re.compile("Au rythme actuel"))

    # A deliverable is handed in, sent back with a comment, handed in again, accepted.
    sign_in(page, assert_accessible, "porteur.saint-ouen")
    expect(page.locator("#inbox").get_by_role("link", name="Livrables à remettre")).to_be_visible()
    open_deliverable(page, assert_accessible, follow_up.title)
    hand_in(page, assert_accessible, tmp_path / "cadrage.pdf", "Première version.")
    sign_in(page, assert_accessible, "expert.cerema")
    open_deliverable(page, assert_accessible, follow_up.title)
    review(page, assert_accessible, "Demander des modifications", "Ajoutez le calendrier.")
    sign_in(page, assert_accessible, "porteur.saint-ouen")
    open_deliverable(page, assert_accessible, follow_up.title)
    expect(page.get_by_text("Ajoutez le calendrier.")).to_be_visible()
    hand_in(page, assert_accessible, tmp_path / "cadrage-v2.pdf", "Calendrier ajouté.")
    sign_in(page, assert_accessible, "expert.cerema")
    open_deliverable(page, assert_accessible, follow_up.title)
    review(page, assert_accessible, "Accepter le livrable")
    expect(page.locator(".fr-badge").get_by_text("Accepté")).to_be_visible()
