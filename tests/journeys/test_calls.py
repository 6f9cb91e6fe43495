"""Journey: a visitor looks for aid for Reillanne, reads the 2017 PACA AMI (archived, as its
dates say), saves an alert and confirms it from the e-mail; a programme manager then publishes a
new PACA call and the alert e-mail leaves. Finder, call pages (open and archived) and editor pass
axe with no violation."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ecoquartier.calls import demo
from ecoquartier.calls.models import Call, Programme, SearchAlert
from ecoquartier.organisations.models import Membership, Organisation
from tests.accounts.factories import UserFactory
from tests.calls.factories import build_geography
from tests.organisations.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISITOR = "veille.reillanne@exemple.fr"


@pytest.fixture
def seeded():
    geography = build_geography()
    demo.load()
    return geography


@pytest.fixture
def manager(seeded):
    """A programme manager of the DREAL PACA, partner of the AMI Quartiers durables."""
    dreal = Organisation.objects.get(kind=Organisation.Kind.DREAL, territory=seeded.paca)
    user = UserFactory(email="gestionnaire.dreal-paca@exemple.fr")
    MembershipFactory(user=user, organisation=dreal, role=Membership.Role.PROGRAMME_MANAGER)
    return user


def link_path(message):
    return re.search(r"https?://[^/\s]+(/aides/\S+)", message.body).group(1)


def find_call(page, call):
    """From any page, the call's page through the finder (archived calls included)."""
    page.get_by_role("link", name="Trouver une aide").first.click()
    page.get_by_label("Mots-clés").fill(call.title)
    page.locator("label[for=id_clos]").click()  # DSFR: the label covers the box
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=call.title).first.click()


def new_call(page, assert_accessible=lambda page: None):
    """From the finder, the new call form of the PACA programme."""
    page.get_by_role("link", name="Trouver une aide").first.click()
    page.get_by_role("link", name="Gérer les appels").click()
    expect(page.get_by_role("heading", level=1, name="Gestion des appels")).to_be_visible()
    assert_accessible(page)
    programme = Programme.objects.get(slug="ami-quartiers-durables-paca")
    section = page.get_by_role("region", name=programme.name)
    section.get_by_role("link", name="Nouvel appel").click()


def test_a_visitor_finds_the_paca_ami_and_is_alerted_of_a_new_call(
    page, login, assert_accessible, manager
):
    page.goto("/")
    page.get_by_role("link", name="Trouver une aide").first.click()
    expect(page.get_by_role("heading", level=1, name="Trouver une aide")).to_be_visible()
    assert_accessible(page)

    territory = page.get_by_role("combobox", name=re.compile("Territoire"))
    territory.fill("Reillanne")
    option = page.locator("#id_territoire-listbox").get_by_role("option").first
    expect(option).to_contain_text("Reillanne")
    option.click()
    page.get_by_label("Mots-clés").fill("quartiers durables")
    page.locator("label[for=id_clos]").click()  # DSFR: the label covers the box
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"territoire=commune%3A04160"))
    ami = page.get_by_role("link", name=re.compile("Quartiers durables en Provence"))
    expect(ami).to_be_visible()
    expect(
        page.get_by_text("Périmètre : Provence-Alpes-Côte d'Azur, qui comprend Reillanne").first
    ).to_be_visible()
    expect(page.get_by_text("Appel breton")).to_have_count(0)
    assert_accessible(page)

    ami.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quartiers durables")
    expect(page.get_by_text("Attention ! Cette aide n’est plus disponible.")).to_be_visible()
    expect(page.get_by_text("Cette page restera accessible pour archivage.")).to_be_visible()
    expect(page.locator("[data-status=archived]").first).to_be_visible()
    assert_accessible(page)

    page.go_back()  # to the results
    page.get_by_label("Adresse électronique").fill(VISITOR)
    page.get_by_role("button", name="Créer l’alerte").click()
    expect(page.get_by_text("Alerte enregistrée.")).to_be_visible()
    [confirmation] = mail.outbox
    assert confirmation.to == [VISITOR]
    page.goto(link_path(confirmation))
    expect(page.get_by_role("heading", level=1, name="Alerte confirmée")).to_be_visible()
    assert SearchAlert.objects.get(email=VISITOR).is_active

    # The DREAL PACA's programme manager publishes a new call on the region.
    login(page, manager)
    new_call(page, assert_accessible)
    expect(page.get_by_role("heading", level=1, name="Nouvel appel")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Type d'appel").select_option("ami")
    page.get_by_label("Titre de l'appel").fill("AMI Quartiers durables 2027")
    page.get_by_label("Résumé").fill("Deuxième édition de l'AMI pour les quartiers durables.")
    perimeter = page.get_by_role("combobox", name=re.compile("Périmètre"))
    perimeter.fill("Provence")
    option = page.locator("#id_perimeter-listbox").get_by_role("option").first
    expect(option).to_contain_text("Provence-Alpes-Côte d'Azur")
    option.click()
    page.locator("#id_steps-0-kind").select_option("application")
    page.locator("#id_steps-0-deadline_0").fill("2099-07-17")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Appel enregistré.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Publier l’appel").click()
    expect(page.get_by_text("Appel publié")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="AMI Quartiers durables 2027")).to_be_visible()
    # Open by its dates, but no application form is published yet: "bientôt ouvert".
    expect(page.locator("[data-status=soon]").first).to_have_text("Bientôt ouvert")
    expect(page.get_by_text("n’est plus disponible")).to_have_count(0)
    assert_accessible(page)

    call = Call.objects.get(title="AMI Quartiers durables 2027")
    alerts = [m for m in mail.outbox if m.subject == f"Nouvel appel : {call.title}"]
    assert [m.to for m in alerts] == [[VISITOR]]
    assert call.get_absolute_url() in alerts[0].body


def test_the_editor_in_error_stays_accessible(page, login, assert_accessible, manager):
    login(page, manager)
    new_call(page)
    page.get_by_label("Population minimale").fill("5000")
    page.get_by_label("Population maximale").fill("100")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert").first).to_contain_text("L’appel n’a pas été enregistré")
    # The summary links to the field; the message also stands beside the field.
    summary = page.get_by_role("alert").first
    summary.get_by_role("link", name="Titre de l'appel : Donnez un titre à l'appel.").click()
    expect(page.get_by_label("Titre de l'appel")).to_be_focused()
    expect(page.locator(".fr-error-text", has_text="Donnez un titre à l'appel.")).to_be_visible()
    expect(page.get_by_label("Population minimale")).to_have_value("5000")
    assert_accessible(page)


def test_a_holder_checks_eligibility_on_a_call_page(page, login, assert_accessible, seeded):
    town = Organisation.objects.create(
        kind=Organisation.Kind.COMMUNE,
        territory=seeded.sainte_tulle,
        name="Commune de Sainte-Tulle",
        has_planning_competence=True,
    )
    holder = UserFactory(email="porteur.sainte-tulle@exemple.fr")
    MembershipFactory(user=holder, organisation=town)
    call = Call.objects.get(slug="ami-quartiers-durables-paca-2017")
    login(page, holder)
    find_call(page, call)
    expect(page.locator("[data-eligible=true]")).to_contain_text("Votre commune est éligible")
    expect(page.locator("[data-rule=perimeter]")).to_contain_text(
        "Sainte-Tulle (04197) est dans le périmètre Provence-Alpes-Côte d'Azur."
    )
    assert_accessible(page)
