"""Journeys of issue 13 (items 5 and 11): an organisation's administrator invites a colleague by
e-mail, the colleague creates its account from the link and joins, the administrator changes
its role then removes it; a visitor finds a territory's State contacts and writes to one of
them. From the home page, by clicking only (the colleague starts from the e-mail's link); axe
on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ecoquartier.demo import people
from ecoquartier.organisations.models import ContactMessage, Membership
from tests.demo.conftest import load_demo_territories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = "@demo.ecoquartier.fr"
PASSWORD = "motdepasse-demo-2026"
SAINT_OUEN = "Ville de Saint-Ouen-sur-Seine"
UNIT = "Unité départementale de la Seine-Saint-Denis de la DRIEAT"
COLLEAGUE = "lea.martin@exemple.fr"


@pytest.fixture
def demo_people():
    """The demo's organisations and accounts: the Saint-Ouen holder administers its commune."""
    load_demo_territories()
    people.load()


def sign_in_from_home(page, email):
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    sign_in(page, email)


def sign_in(page, email):
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()


def open_members_page(page, assert_accessible):
    page.get_by_role("link", name=SAINT_OUEN).first.click()
    expect(page.get_by_role("heading", level=1, name=SAINT_OUEN)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Gérer les membres").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gérer les membres")
    assert_accessible(page)


def member_row(page, name):
    return page.get_by_test_id("member").filter(has_text=name)


def test_an_administrator_invites_changes_and_removes_a_colleague(
    page, assert_accessible, demo_people
):
    # The holder, administrator of Saint-Ouen, goes from its dashboard to the members page.
    sign_in_from_home(page, f"porteur.saint-ouen{DEMO}")
    open_members_page(page, assert_accessible)

    # A wrong address is refused beside the field, then the invitation goes.
    page.get_by_label("Adresse électronique", exact=True).fill("lea.martin")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text("Saisissez une adresse de courriel valide.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Adresse électronique", exact=True).fill(COLLEAGUE)
    page.get_by_label("Rôle", exact=True).select_option(label="Porteur de projet")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text(f"Invitation envoyée à {COLLEAGUE}.")).to_be_visible()
    expect(page.get_by_test_id("invitation")).to_contain_text(COLLEAGUE)
    assert_accessible(page)

    # Léa, who has no account, follows the e-mail's link and creates it there.
    invitation = next(m for m in mail.outbox if m.to == [COLLEAGUE])
    link = re.search(r"https?://[^/\s]+(/organisations/invitation/\S+/)", invitation.body)
    page.context.clear_cookies()
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Rejoindre « {SAINT_OUEN} »")
    assert_accessible(page)
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label(re.compile(r"^Mot de passe")).fill("un-mot-de-passe-solide-2026")
    page.get_by_label("Confirmation du mot de passe").fill("un-mot-de-passe-solide-2026")
    page.get_by_role("button", name="Créer mon compte et rejoindre l’organisation").click()
    expect(page.get_by_text(f"Vous avez rejoint « {SAINT_OUEN} ».")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Léa Martin")
    assert_accessible(page)
    lea = Membership.objects.get(user__email=COLLEAGUE)
    assert (lea.role, lea.is_admin) == (Membership.Role.PROJECT_HOLDER, False)

    # The administrator makes Léa a partner, then removes her.
    page.context.clear_cookies()
    sign_in_from_home(page, f"porteur.saint-ouen{DEMO}")
    open_members_page(page, assert_accessible)
    page.get_by_label("Rôle de Léa Martin").select_option(label="Partenaire")
    member_row(page, "Léa Martin").get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Rôle de Léa Martin enregistré.")).to_be_visible()
    lea.refresh_from_db()
    assert lea.role == Membership.Role.PARTNER
    assert_accessible(page)

    # Stepping down as the last administrator is refused, with the reason beside the box.
    camille = member_row(page, "Camille Durand")
    camille.locator("label", has_text="Administrateur").click()  # DSFR: the label covers the box
    expect(camille.get_by_label("Administrateur")).not_to_be_checked()
    camille.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("C’est le dernier administrateur")).to_be_visible()
    assert_accessible(page)

    member_row(page, "Léa Martin").get_by_role("button", name="Retirer").click()
    expect(page.get_by_text("Léa Martin ne fait plus partie de l’organisation.")).to_be_visible()
    expect(page.get_by_test_id("member").filter(has_text="Léa Martin")).to_have_count(0)
    assert not Membership.objects.filter(user__email=COLLEAGUE).exists()
    assert_accessible(page)


def test_a_visitor_writes_to_a_state_service_from_a_territory_page(
    page, assert_accessible, demo_people
):
    # From the home page to Saint-Ouen's territory page through the territory search.
    page.goto("/")
    page.get_by_role("link", name="Territoires").first.click()
    page.get_by_label("Nom, code postal ou code INSEE").press_sequentially("saint ouen")
    page.get_by_role("link", name="Saint-Ouen-sur-Seine").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saint-Ouen-sur-Seine")
    expect(page.get_by_role("heading", name="Vos contacts État")).to_be_visible()
    assert_accessible(page)

    # The unit of the DRIEAT has no public address: the page offers to write through the
    # platform; a visitor signs in first and comes back to the form.
    card = page.locator("li").filter(has=page.get_by_role("heading", name=UNIT))
    card.get_by_role("link", name="Écrire au service").click()
    sign_in(page, f"porteur.saint-ouen{DEMO}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Écrire à « {UNIT} »")
    assert_accessible(page)

    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Objet").fill("Projet de quartier des Docks")
    page.get_by_label("Votre message").fill("Pourrions-nous échanger sur le label ?")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text(f"Votre message a été envoyé à « {UNIT} ».")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=UNIT)).to_be_visible()
    assert_accessible(page)

    assert ContactMessage.objects.get().subject == "Projet de quartier des Docks"
    [sent] = [m for m in mail.outbox if "Projet de quartier des Docks" in m.subject]
    assert sent.to == [f"referent.ddt93{DEMO}"]
    assert sent.extra_headers["Reply-To"] == f"porteur.saint-ouen{DEMO}"
