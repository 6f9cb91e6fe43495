"""A creating form sent twice creates once (finding 10 of issue 10: a double click made two
messages, two projects, two programmes). Each form is read from its page as a browser shows it,
with its single-use key, filled, and posted twice: one object more, and the second POST is sent
to what the first created with an informational message."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ecoquartier.applications import services as application_services
from ecoquartier.applications.models import (
    Annotation,
    Application,
    ApplicationForm,
    CoApplicant,
    Criterion,
    FormField,
    FormSection,
    Message,
    Opinion,
    UsualExpert,
)
from ecoquartier.assessments import services as assessment_services
from ecoquartier.assessments.models import Assessment, Evidence, Gap, Report
from ecoquartier.calls.models import Call, CallStep, Programme, SearchAlert
from ecoquartier.labels.models import Campaign, Charter, CommissionSession
from ecoquartier.organisations.models import ContactMessage, Invitation, Organisation
from ecoquartier.projects.models import Project
from tests.security import harness

pytestmark = pytest.mark.django_db

DEMO = "@demo.ecoquartier.fr"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPEATED = "Ce formulaire avait déjà été envoyé"
SESSION_CALL = "ami-quartiers-durables-paca-session-en-cours"


@dataclass
class Case:
    user: str | None  # e-mail before @demo…, None: anonymous
    page: object  # a URL, or a function of the demo returning one
    action: str  # a part of the form's action
    model: type
    fill: dict = field(default_factory=dict)  # field -> value, or a function of the form
    files: dict = field(default_factory=dict)
    field: str = "_idempotency_key"  # a field of the form, where a page has several

    def url(self, demo):
        return self.page(demo) if callable(self.page) else self.page


def first_option(name):
    """The first real choice of a select (its empty choice, when it has one, left aside: a
    user's only organisation comes preselected, without one)."""
    return lambda form: next(value for value in form.fields[name].options if value)


def aubenas_application(demo):
    """The draft application of the commune of Aubenas-les-Alpes (ids differ by database)."""
    application = Application.objects.get(
        call__slug=SESSION_CALL, organisation__territory__code="04012"
    )
    return f"/candidatures/{application.pk}/"


def docks_report(demo):
    assessment = Assessment.objects.get(project__slug="ecoquartier-des-docks", kind="self")
    return f"/evaluations/{assessment.pk}/rapport/"


def campaign_2024(demo):
    return f"/label/campagnes/{Campaign.objects.get(year=2024).pk}/"


def new_step(demo):
    call = Call.objects.get(slug=SESSION_CALL)
    CallStep.objects.create(
        call=call, kind=CallStep.Kind.OTHER, deadline=timezone.now() + timedelta(days=90)
    )
    return f"/candidatures/appel/{SESSION_CALL}/formulaires/"


def draft_form(demo):
    manager = demo.account("instruction.paca" + DEMO)
    published = ApplicationForm.objects.filter(step__call__slug=SESSION_CALL).first()
    draft = application_services.editable_version(manager, published)
    return f"/candidatures/formulaires/{draft.pk}/"


def own_assessment_item(path):
    def page(demo):
        holder = demo.account("porteur.saint-ouen" + DEMO)
        project = Project.objects.get(slug="ecoquartier-des-docks")
        kind = Assessment.Kind.SELF_ASSESSMENT
        assessment = assessment_services.create_assessment(holder, project, kind)
        answer = assessment.answers.order_by("commitment__number").first()
        return f"/evaluations/{assessment.pk}/engagements/{answer.pk}/{path}/"

    return page


def saint_ouen_members(demo):
    saint_ouen = Organisation.objects.get(kind="commune", territory__code="93070")
    return f"/organisations/{saint_ouen.pk}/membres/"


def ud93_contact(demo):
    unit = Organisation.objects.get(
        kind="dreal", territory__kind="departement", territory__code="93"
    )
    return f"/organisations/{unit.pk}/ecrire/"


CASES = {
    "project": Case("porteur.saint-ouen", "/projets/nouveau/", "/projets/nouveau/", Project,
                    {"name": "Projet cliqué deux fois", "communes": "93070"}),
    "programme": Case("gestionnaire.dgaln", "/aides/gestion/programmes/nouveau/",
                      "/programmes/nouveau/", Programme,
                      {"name": "Programme cliqué deux fois", "kind": first_option("kind"),
                       "owner": first_option("owner")}),
    "call": Case("gestionnaire.dgaln", "/aides/gestion/programmes/label-ecoquartier/nouvel-appel/",
                 "/nouvel-appel/", Call,
                 {"title": "Appel cliqué deux fois", "kind": first_option("kind"),
                  "perimeter": "FR", "summary": "Un appel."}),
    "alert": Case(None, "/aides/", "/aides/alertes/nouvelle/", SearchAlert,
                  {"email": "veille@exemple.fr"}),
    "application": Case("porteur.04188", f"/candidatures/appel/{SESSION_CALL}/candidater/",
                        "/candidater/", Application,
                        {"organisation": first_option("organisation")}),
    "co-applicant": Case("porteur.04012", aubenas_application, "/co-candidats/", CoApplicant,
                         {"email": "ddt04@exemple.fr"}),
    "message": Case("porteur.04012", aubenas_application, "/messages/", Message,
                    {"body": "Envoyé deux fois ?"}),
    "opinion": Case("instruction.paca", aubenas_application, "/avis/demander/", Opinion,
                    {"question": "Avis demandé deux fois ?", "emails": "expert@exemple.fr"},
                    field="question"),
    "annotation": Case("instruction.paca", aubenas_application, "/annotations/", Annotation,
                       {"body": "Annotée deux fois"}, field="body"),
    "usual expert": Case("gestionnaire.dgaln", "/candidatures/programme/label-ecoquartier/experts/",
                         "/experts/", UsualExpert, {"email": "expert@exemple.fr"}, field="email"),
    "application form": Case("instruction.paca", new_step, "/formulaires/", ApplicationForm),
    "form section": Case("instruction.paca", draft_form, "/formulaires/", FormSection,
                         {"section-title": "Section cliquée deux fois"}, field="section-title"),
    "form field": Case("instruction.paca", draft_form, "/formulaires/", FormField,
                       {"field-label": "Champ cliqué deux fois", "field-key": "double",
                        "field-kind": "text"}, field="field-label"),
    "criterion": Case("instruction.paca", f"/candidatures/appel/{SESSION_CALL}/grille/",
                      "/grille/", Criterion,
                      {"criteria-4-label": "Critère cliqué deux fois", "criteria-4-weight": "2"}),
    "assessment": Case("porteur.saint-ouen", "/evaluations/projet/ecoquartier-des-docks/",
                       "/nouvelle/", Assessment, {"title": "Évaluation cliquée deux fois"}),
    "report": Case("porteur.saint-ouen", docks_report, "/rapport/", Report),
    "evidence": Case("porteur.saint-ouen", own_assessment_item("pieces"), "/pieces/",
                     Evidence, {"title": "Pièce envoyée deux fois"},
                     {"file": ("piece.pdf", PDF, "application/pdf")}),
    "gap": Case("porteur.saint-ouen", own_assessment_item("ecarts"), "/ecarts/", Gap,
                {"description": "Écart relevé deux fois", "proposal": "Le lever une fois."}),
    "charter": Case("porteur.04012",
                    "/label/projets/requalification-du-cur-de-village-daubenas-les-alpes/charte/",
                    "/charte/", Charter,
                    {"signatory_name": "Marie Curie", "signatory_office": "Maire",
                     "deliberation_date": "2026-01-15", "commitment": "on"},
                    {"document": ("charte.pdf", PDF, "application/pdf")}),
    "campaign": Case("gestionnaire.dgaln", "/label/campagnes/nouvelle/", "/nouvelle/", Campaign,
                     {"pre_application": "2099-03-01", "file_deadline": "2099-05-31",
                      "expertise_end": "2099-09-15", "local_commissions": "2099-10-31",
                      "national_commission": "2099-11-28", "ceremony": "2099-12-12"}),
    "commission session": Case("gestionnaire.dgaln", campaign_2024, "/commissions/",
                               CommissionSession,
                               {"held_on": "2026-10-15", "members": "Mme A, M. B"}),
    "invitation": Case("porteur.saint-ouen", saint_ouen_members, "/inviter/", Invitation,
                       {"email": "invitee.deux.fois@exemple.fr"}),
    "contact message": Case("porteur.saint-ouen", ud93_contact, "/ecrire/", ContactMessage,
                            {"subject": "Envoyé deux fois ?", "body": "Bonjour."}),
}  # fmt: skip


def named(form, key):
    """The form's field called `key`, or `<prefix>-key` (a prefixed form)."""
    return next((n for n in form.fields if n == key or n.endswith(f"-{key}")), key)


def the_form(client, url, action, name):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    forms, _links = harness.parse(response.content.decode(), "http://testserver" + url)
    candidates = [
        f for f in forms if f.method == "post" and action in f.action and name in f.fields
    ]
    assert candidates, f"no form posting to {action} on {url}"
    form = candidates[0]
    assert "_idempotency_key" in form.fields, "the creating form carries no single-use key"
    return form


@pytest.mark.parametrize("name", CASES)
def test_a_creating_form_sent_twice_creates_once(demo_world, settings, name):
    settings.MEDIA_ROOT = demo_world.media
    case = CASES[name]
    client = Client()
    if case.user:
        client.force_login(demo_world.account(case.user + DEMO))
    form = the_form(client, case.url(demo_world), case.action, case.field)
    data = form.data(
        **{named(form, k): v(form) if callable(v) else v for k, v in case.fill.items()}
    )
    before = case.model.objects.count()

    def post():
        files = {named(form, k): SimpleUploadedFile(*spec) for k, spec in case.files.items()}
        return client.post(form.action, {**data, **files})

    first = post()
    assert first.status_code == 302, (first.status_code, list(form.fields))
    assert case.model.objects.count() == before + 1
    second = post()
    assert case.model.objects.count() == before + 1
    assert second.status_code == 302
    assert second.url == first.url.split("#")[0] or second.url == first.url
    assert REPEATED in client.get(second.url).content.decode()
