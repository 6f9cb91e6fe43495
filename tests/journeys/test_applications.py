"""Journey: the commune of Reillanne applies to a two-step PACA call with a DDT co-applicant,
submits its intention note, is asked for completion, the DDT resubmits, the full file is opened
and submitted; two reviewers are assigned (one declares a conflict, the other scores); the jury
uses the balanced-selection helper and selects; the commune sees the decision and downloads the
letter once the jury has signed and sent it. The form, dashboard, review and deliberation pages
pass axe with no violation."""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from ecoquartier.applications.models import Application, State
from ecoquartier.organisations.models import Membership
from tests.accounts.factories import UserFactory
from tests.applications.factories import build_national_call, build_world, submitted_application
from tests.calls.factories import build_geography
from tests.organisations.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    world = build_world(build_geography())
    world.ddt_officer = UserFactory(email="charge.ddt04@exemple.fr")
    MembershipFactory(user=world.ddt_officer, organisation=world.ddt, role=Membership.Role.MEMBER)
    for reviewer in world.reviewers:  # jury members from the programme's owner
        MembershipFactory(
            user=reviewer, organisation=world.call.programme.owner, role=Membership.Role.REVIEWER
        )
    return world


def switch(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def check_label(page, for_id):
    page.locator(f"label[for={for_id}]").click()  # DSFR: the label covers the input


def submit_form(page, name):
    """Submit the answers form once its autosave (400 ms after a change) has answered, as a
    person would a moment later: the test server shares one SQLite connection between its
    threads, and two requests writing at once would collide there (not in production)."""
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name=name, exact=True).click()


def menu(page, name):
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name=name, exact=True
    ).click()


def crumb(page, name):
    page.get_by_role("navigation", name=re.compile("vous êtes ici", re.I)).get_by_role(
        "link", name=name
    ).click()


def manage(page, call, link="Instruction"):
    """The call's instruction dashboard ("Instruction" in the main menu), or one of the pages
    its menu leads to ("Délibération", "Formulaires"…)."""
    menu(page, "Instruction")
    page.get_by_role("link", name=f"Instruction — {call.title}").click()
    if link != "Instruction":
        nav = page.get_by_role("navigation", name="Gestion des candidatures")
        nav.get_by_role("link", name=link).click()


def instruct(page, call, application):
    """The manager opens an application from the call's instruction dashboard."""
    manage(page, call, "Instruction")
    page.get_by_role("link", name=application.title).click()


def open_mine(page, call, application):
    """An applicant finds its application on the call's page (the form of a draft, the
    application's page otherwise)."""
    page.get_by_role("link", name="Trouver une aide").first.click()
    page.get_by_role("link", name=call.title).first.click()
    name = re.compile(f"^(Reprendre|Voir) ma candidature « {re.escape(application.title)} »")
    page.get_by_role("link", name=name).click()


def act(page, button, reason=None):
    form = page.locator("form.eq-action", has=page.get_by_role("button", name=button))
    if reason is not None:
        form.locator("textarea").fill(reason)
    form.get_by_role("button", name=button).click()
    expect(page.get_by_text(f"Action enregistrée : {button}")).to_be_visible()


def test_a_commune_applies_with_its_ddt_and_is_selected(page, login, assert_accessible, world):
    # The commune finds the call from the home page, signs in from the call page and comes
    # back to it, then starts its application by clicking "Candidater".
    page.goto("/")
    page.get_by_role("link", name="Trouver une aide").first.click()
    page.get_by_role("link", name=world.call.title).first.click()
    expect(page.get_by_role("heading", level=1, name=world.call.title)).to_be_visible()
    page.get_by_role("link", name="Se connecter pour candidater").click()
    page.get_by_label("Adresse électronique").fill(world.holder.email)
    page.get_by_label("Mot de passe").fill("motdepasse-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()
    expect(page.get_by_role("heading", level=1, name=world.call.title)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Candidater", exact=True).click()
    page.get_by_label("Organisation candidate").select_option(label=str(world.commune))
    page.get_by_role("button", name="Commencer la candidature").click()
    expect(page.get_by_role("heading", level=1, name="Note d'intention")).to_be_visible()
    # Its only project was preselected: its summary already answers the presentation.
    expect(page.get_by_text("2 réponses obligatoires manquent avant le dépôt")).to_be_visible()
    expect(page.get_by_label(re.compile("Présentation du projet"))).to_have_value(
        world.project.summary
    )
    assert_accessible(page)
    page.get_by_label(re.compile("Présentation du projet")).fill("Un quartier en dents creuses.")
    check_label(page, "id_urbanity_2")
    expect(page.get_by_text("Brouillon enregistré automatiquement")).to_be_visible()
    page.get_by_label(re.compile("Motivations et attentes")).fill("Être accompagnés.")
    submit_form(page, "Enregistrer le brouillon")
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    application = Application.objects.get()

    # The commune invites the DDT as co-applicant, then submits the intention note.
    crumb(page, application.title)
    page.get_by_label("Adresse électronique du co-candidat").fill(world.ddt_officer.email)
    page.get_by_role("button", name="Inviter").click()
    expect(page.get_by_text(f"Invitation envoyée à {world.ddt_officer.email}")).to_be_visible()
    invitation = next(m for m in mail.outbox if m.to == [world.ddt_officer.email])
    accept_path = re.search(r"https?://[^/\s]+(/candidatures/invitation/\S+)", invitation.body)
    page.get_by_role("link", name="Compléter le formulaire").click()
    submit_form(page, "Déposer")
    expect(page.get_by_text("Candidature déposée.")).to_be_visible()
    expect(page.get_by_text("Éligible lors du dernier dépôt")).to_be_visible()

    # The DDT officer accepts the invitation, following the link of the e-mail.
    switch(page, login, world.ddt_officer)
    page.goto(accept_path.group(1))
    expect(page.get_by_text("Vous avez rejoint la candidature.")).to_be_visible()

    # The programme manager asks for completion from the dashboard's application.
    switch(page, login, world.manager)
    manage(page, world.call, "Instruction")
    expect(page.get_by_role("link", name=application.title)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=application.title).click()
    act(page, "Demander des compléments", "Précisez le nombre de logements.")

    # The DDT co-applicant (edit role) finds the request in its inbox and sends the completion.
    switch(page, login, world.ddt_officer)
    page.get_by_role("link", name=re.compile("Compléments demandés")).first.click()
    page.get_by_role("link", name="Compléter le formulaire").click()
    page.get_by_label(re.compile("Présentation du projet")).fill("Un quartier de 40 logements.")
    submit_form(page, "Transmettre les compléments")
    expect(page.get_by_text("Candidature déposée.")).to_be_visible()

    # The manager opens the full file; the commune fills and submits it.
    switch(page, login, world.manager)
    instruct(page, world.call, application)
    act(page, "Inviter à déposer le dossier complet")
    switch(page, login, world.holder)
    open_mine(page, world.call, application)
    expect(page.get_by_role("heading", level=1, name="Dossier complet")).to_be_visible()
    page.get_by_label(re.compile("Présentation détaillée")).fill("Dossier détaillé.")
    check_label(page, "id_urbanity_2")
    page.get_by_label(re.compile("Délibération de la collectivité")).set_input_files(
        {"name": "deliberation.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert_accessible(page)
    submit_form(page, "Déposer")
    expect(page.get_by_text("Candidature déposée.")).to_be_visible()

    # The manager starts the review and assigns both reviewers from the dashboard.
    switch(page, login, world.manager)
    instruct(page, world.call, application)
    act(page, "Passer en instruction")
    manage(page, world.call, "Instruction")
    check_label(page, f"select-{application.pk}")
    page.get_by_label("Action groupée").select_option("assign")
    for reviewer in world.reviewers:
        page.get_by_text(reviewer.email).click()
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_text("2 désignation(s)")).to_be_visible()

    # The first reviewer declares a conflict; the second scores.
    conflicted, scorer = world.reviewers
    switch(page, login, conflicted)
    menu(page, "Évaluations")
    page.get_by_role("link", name=application.title).click()
    check_label(page, "id_has_conflict_1")
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    expect(page.get_by_text("vous ne notez pas cette candidature")).to_be_visible()

    switch(page, login, scorer)
    menu(page, "Évaluations")
    page.get_by_role("link", name=application.title).click()
    check_label(page, "id_has_conflict_0")
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    expect(page.get_by_role("heading", name="Grille d’évaluation")).to_be_visible()
    assert_accessible(page)
    for criterion in world.call.criteria.all():
        check_label(page, f"id_score_{criterion.pk}_4")
    check_label(page, "id_recommendation_0")
    page.get_by_role("button", name="Soumettre l’évaluation").click()
    expect(page.get_by_text("Évaluation soumise.")).to_be_visible()

    # The jury asks the helper for one laureate covering the régions, and selects it.
    switch(page, login, world.manager)
    manage(page, world.call, "Délibération")
    page.get_by_label("Nombre de lauréats à proposer").fill("1")
    page.get_by_text("Région", exact=True).click()
    page.get_by_role("button", name="Proposer une sélection").click()
    expect(
        page.get_by_text("1 candidature proposée, toutes les strates sont couvertes")
    ).to_be_visible()
    expect(page.get_by_text("Seule candidature proposée couvrant Région")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Motivation").fill("Projet exemplaire en milieu rural.")
    page.get_by_role("button", name=re.compile("Enregistrer la décision")).click()
    expect(page.get_by_text("Décision enregistrée")).to_be_visible()
    application.refresh_from_db()
    assert application.state == State.SELECTED

    # The jury previews, signs and sends the decision letter (tests/journeys/test_documents.py).
    page.get_by_role("link", name=f"Préparer et signer le courrier de {application.title}").click()
    page.get_by_label("Qualité du signataire").fill("Chef du service aménagement")
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    page.get_by_role("button", name="Signer et envoyer le courrier").click()
    expect(page.get_by_role("status")).to_contain_text("Courrier signé et envoyé")

    # The commune sees the decision and downloads the letter.
    switch(page, login, world.holder)
    open_mine(page, world.call, application)
    expect(page.get_by_role("heading", name="Décision : Retenue")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger le courrier de décision")).click()
    text = PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages[0].extract_text()  # noqa: SIM115
    assert "Retenue" in text and "Projet exemplaire en milieu rural." in text


def test_a_manager_builds_a_new_form_version(page, login, assert_accessible, world):
    submitted_application(world)  # the call is under way: its forms change by new versions
    login(page, world.manager)
    manage(page, world.call, "Formulaires")
    page.get_by_role("link", name="Note d'intention (v1)").click()
    page.get_by_role("button", name="Modifier (crée une nouvelle version)").click()
    expect(page.get_by_text("Nouvelle version en brouillon")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Note d'intention (v2)")).to_be_visible()
    page.get_by_label("Libellé", exact=True).fill("Budget prévisionnel (€)")
    # The key is left empty: it is made from the label.
    page.get_by_label("Type de champ", exact=True).select_option("integer")
    page.get_by_label("Section", exact=True).select_option(label="Le projet")
    page.get_by_role("button", name="Ajouter le champ").click()
    expect(page.get_by_text("Champ ajouté.")).to_be_visible()
    assert_accessible(page)
    fields = page.locator("#fields ol").first.locator("li")
    expect(fields.last).to_contain_text("Budget prévisionnel")
    page.get_by_role("button", name="Monter Budget prévisionnel (€)").click()  # htmx swap
    expect(fields.nth(fields.count() - 2)).to_contain_text("Budget prévisionnel")
    page.get_by_role("button", name="Publier cette version").click()
    expect(page.get_by_text("Formulaire publié.")).to_be_visible()


def sign_in_from_home(page, user):
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill("motdepasse-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").last.click()


def test_saint_ouen_applies_with_its_project_and_the_dgaln_instructs_ranks_and_decides(
    page, assert_accessible, live_server
):
    national = build_national_call()
    call, project = national.call, national.docks
    sign_in_from_home(page, national.holder)
    page.get_by_role("link", name="Trouver une aide").first.click()
    card = page.locator("article.fr-card", has=page.get_by_role("link", name=call.title))
    expect(card.get_by_text("Éligible", exact=True)).to_be_visible()
    assert_accessible(page)
    card.get_by_role("link", name=re.compile("^Candidater")).click()

    # The organisation and its only project are preselected.
    expect(page.get_by_role("heading", level=1, name=re.compile("Candidater à"))).to_be_visible()
    expect(page.get_by_label("Organisation candidate")).to_have_value(str(national.saint_ouen.pk))
    expect(page.get_by_label("Projet concerné")).to_have_value(str(project.pk))
    assert_accessible(page)
    page.get_by_role("button", name="Commencer la candidature").click()

    # The form starts with what the project record says: its name, its commune, its figures.
    expect(page.get_by_text("Candidature créée : complétez le formulaire.")).to_be_visible()
    project_field = page.get_by_label("Projet concerné")
    expect(project_field).to_have_value(str(project.pk))
    expect(project_field.locator("option:checked")).to_have_text(project.name)
    commune = page.get_by_role("button", name="Retirer Saint-Ouen-sur-Seine (93070)")
    expect(commune).to_have_text("Saint-Ouen-sur-Seine (93070)")
    expect(page.get_by_label(re.compile("Population de la commune"))).to_have_value("52000")
    assert_accessible(page)

    # Back on the finder, the card offers to resume it.
    page.get_by_role("link", name="Trouver une aide").first.click()
    card = page.locator("article.fr-card", has=page.get_by_role("link", name=call.title))
    expect(card.get_by_role("link", name=re.compile("^Reprendre ma candidature"))).to_be_visible()

    # It resumes the application, answers what the record could not say and submits it.
    card.get_by_role("link", name=re.compile("^Reprendre ma candidature")).click()
    if page.get_by_role("link", name="Compléter le formulaire").count():
        page.get_by_role("link", name="Compléter le formulaire").click()
    check_label(page, "id_urbanity_2")
    page.get_by_label(re.compile("Motivations et attentes")).fill("Être accompagnés.")
    submit_form(page, "Déposer")
    expect(page.get_by_text("Candidature déposée.")).to_be_visible()
    assert_accessible(page)
    application = Application.objects.get(call=call, organisation=national.saint_ouen)

    # The DGALN manager instructs it, reads the ranking and decides, by clicking.
    page.context.clear_cookies()
    sign_in_from_home(page, national.manager)
    instruct(page, call, application)
    act(page, "Passer en instruction")
    assert_accessible(page)
    manage(page, call, "Classement")
    expect(page.get_by_role("heading", level=1, name=f"Classement : {call.title}")).to_be_visible()
    # Not reviewed yet, so not ranked: the page says how many wait for a score.
    expect(page.get_by_text(re.compile("n’ont pas encore de note"))).to_be_visible()
    assert_accessible(page)
    manage(page, call, "Délibération")
    row = page.locator("tr", has=page.get_by_role("link", name=application.title))
    row.get_by_label("Décision").select_option("select")
    row.get_by_label("Motivation").fill("Un projet de renouvellement urbain exemplaire.")
    row.get_by_role("button", name=re.compile("Enregistrer la décision")).click()
    expect(page.get_by_text("Décision enregistrée")).to_be_visible()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == State.SELECTED
