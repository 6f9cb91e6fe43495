"""A realistic world for the security tests: the demo, plus every relation and object state the
permission rules distinguish, each private object carrying a unique marker string.

Reusable API (the permission matrix and the fuzzer use it):

- `world` — module-scoped fixture: the demo loaded once per test module (inside an outer
  transaction rolled back at the end of the module; tests use `db`, whose savepoints nest
  inside). `world.users[role]` is the account of a role (`None` for "anonymous"),
  `world.objects[key]` an object, `world.markers[key]` the marker string of a private object,
  `world.media_root` where its files are stored (tests/security/conftest.py points MEDIA_ROOT
  there).
- `ROLES` — the role keys, anonymous first.
- `url_instances(world)` — every URL pattern of the project instantiated with world objects, as
  `UrlInstance(route, name, url, method, key, data, headers)`.
- `all_routes()` — (route, name) of every URL pattern, walking the resolver.

A test module in tests/security gets the `world` fixture from its conftest.py (which also points
MEDIA_ROOT to the world's files); it requests `db` too, and fetches through
`tests.security.fetching.fetch(client, instance)`, which runs each request in a savepoint
rolled back afterwards, so that every request meets the same world.
"""

import datetime
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ecoquartier.accounts.models import User
from ecoquartier.applications import letters
from ecoquartier.applications import opinions as opinion_services
from ecoquartier.applications import services as application_services
from ecoquartier.applications.models import (
    AnswerFile,
    Answers,
    ApplicationForm,
    CoApplicant,
    Export,
    FormField,
    OpinionFile,
    Review,
)
from ecoquartier.assessments.models import Assessment, DimensionSynthesis, Evidence, Gap
from ecoquartier.assessments.models import Report as AssessmentReport
from ecoquartier.assessments.services import create_rows
from ecoquartier.calls.alerts import CONFIRM_SALT, UNSUBSCRIBE_SALT, _token
from ecoquartier.calls.models import Call, CallDocument, CallStep, Programme, SearchAlert
from ecoquartier.core import workflows
from ecoquartier.labels.models import (
    Campaign,
    Charter,
    CommissionSession,
    LabelFile,
    LabelStep,
    UsePhaseEvaluation,
)
from ecoquartier.organisations import services as organisation_services
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.projects.models import Project
from ecoquartier.referentiel.models import ReferentielVersion
from ecoquartier.territories.models import Territory
from tests.demo.conftest import load_demo_territories

DEMO = "@demo.ecoquartier.fr"

# Every role the matrix fetches pages as. The relation of each to the world's objects is written
# in tests/security/matrix.py.
ROLES = (
    "anonymous",
    "holder",  # Saint-Ouen, holder of the Docks and of a private project
    "other_holder",  # Auxerre: another commune, no relation to Saint-Ouen's objects
    "co_applicant",  # accepted co-applicant (edit) of Saint-Ouen's submitted application
    "referent_ddt93",  # State referent of the Seine-Saint-Denis (Saint-Ouen's département)
    "referent_other",  # State referent of the Gironde
    "referent_dreal_idf",  # State referent of the DREAL Île-de-France (Saint-Ouen's région)
    "manager_paca",  # programme manager of the DREAL PACA (another région)
    "manager_national",  # programme manager of the DGALN (France)
    "expert_assigned",  # lead expert of the Docks' expertises, coordinator of label files
    "expert_unassigned",  # a Cerema expert named nowhere
    "reviewer",  # reviewer of Saint-Ouen's submitted application (review submitted)
    "reviewer_conflict",  # reviewer of the same application who declared a conflict
    "partner",  # AMF partner
    "admin",  # platform administrator (staff, superuser)
)

# A unique string in a text field (or the file) of each private object.
MARKERS = {
    "project.private": "MARQUEUR-PRIVE-PROJET-PRIVE",
    "assessment.self_draft": "MARQUEUR-PRIVE-AUTOEVALUATION-BROUILLON",
    "evidence.draft": "MARQUEUR-PRIVE-PIECE-AUTOEVALUATION",
    "gap.draft": "MARQUEUR-PRIVE-ECART-BROUILLON",
    "assessment.self_submitted": "MARQUEUR-PRIVE-AUTOEVALUATION-SOUMISE",
    "assessment.expertise_submitted": "MARQUEUR-PRIVE-EXPERTISE-SOUMISE",
    "assessment.expertise_validated": "MARQUEUR-PRIVE-EXPERTISE-VALIDEE",
    "report.ready": "MARQUEUR-PRIVE-RAPPORT-PDF",
    "use_phase": "MARQUEUR-PRIVE-PHASE-USAGE",
    "call.draft": "MARQUEUR-PRIVE-APPEL-BROUILLON",
    "application.draft": "MARQUEUR-PRIVE-CANDIDATURE-BROUILLON",
    "message.draft": "MARQUEUR-PRIVE-MESSAGE-BROUILLON",
    "application.submitted": "MARQUEUR-PRIVE-CANDIDATURE-DEPOSEE",
    "answer_file.submitted": "MARQUEUR-PRIVE-PIECE-CANDIDATURE",
    "message.submitted": "MARQUEUR-PRIVE-FIL-DE-MESSAGES",
    "attachment.submitted": "MARQUEUR-PRIVE-PIECE-JOINTE",
    "review.submitted": "MARQUEUR-PRIVE-AVIS-EVALUATEUR",
    "application.decided": "MARQUEUR-PRIVE-MOTIVATION-DECISION",
    "opinion.submitted": "MARQUEUR-PRIVE-AVIS-DDT",
    "opinion_file.submitted": "MARQUEUR-PRIVE-PIECE-AVIS",
    "annotation.submitted": "MARQUEUR-PRIVE-ANNOTATION",
    "follow_up.docks": "MARQUEUR-PRIVE-ACCOMPAGNEMENT",
    "indicator_value.restricted": "MARQUEUR-PRIVE-VALEUR-INDICATEUR",
    "value_import.holder": "MARQUEUR-PRIVE-IMPORT-INDICATEURS",
    "export.done": "MARQUEUR-PRIVE-EXPORT-CSV",
    "label_file.docks": "MARQUEUR-PRIVE-AVIS-EXPERTS-LABEL",
    "charter.docks": "MARQUEUR-PRIVE-CHARTE-SIGNEE",
    "session.local": "MARQUEUR-PRIVE-COMPTE-RENDU-LOCAL",
    "session.national": "MARQUEUR-PRIVE-COMPTE-RENDU-NATIONAL",
}

PDF = b"%PDF-1.4\n%% %s\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n"


def pdf(marker):
    """A tiny PDF whose bytes carry `marker` in clear (a comment line)."""
    return PDF.replace(b"%s", marker.encode())


@dataclass
class World:
    users: dict
    objects: dict
    markers: dict
    media_root: Path
    tokens: dict = field(default_factory=dict)

    def user(self, role):
        return self.users[role]


# --- Building ------------------------------------------------------------------------------


def _user(email, first, last, organisation=None, role=None):
    user, _ = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last}
    )
    if organisation is not None:
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
    return user


def _organisation(kind, code, name):
    territory = Territory.objects.get(code=code, kind=kind_territory(kind))
    found = Organisation.objects.filter(kind=kind, territory=territory).first()
    return found or Organisation.objects.create(kind=kind, territory=territory, name=name)


def kind_territory(kind):
    return {
        Organisation.Kind.COMMUNE: Territory.Kind.COMMUNE,
        Organisation.Kind.DDT: Territory.Kind.DEPARTEMENT,
    }[kind]


def _users():
    get = User.objects.get
    cerema = Organisation.objects.get(kind=Organisation.Kind.PUBLIC_OPERATOR, acronym="Cerema")
    auxerre = _organisation(Organisation.Kind.COMMUNE, "89024", "Ville d'Auxerre")
    gironde = _organisation(Organisation.Kind.DDT, "33", "DDTM de la Gironde")
    developer = Organisation.objects.create(
        kind=Organisation.Kind.DEVELOPER, name="SEM Plaine Commune Développement"
    )
    return {
        "anonymous": None,
        "holder": get(email=f"porteur.saint-ouen{DEMO}"),
        "other_holder": _user(
            f"porteur.auxerre{DEMO}", "Inès", "Auxerre", auxerre, Membership.Role.PROJECT_HOLDER
        ),
        "co_applicant": _user(
            f"co-candidat.sem{DEMO}", "Hugo", "Sem", developer, Membership.Role.MEMBER
        ),
        "referent_ddt93": get(email=f"referent.ddt93{DEMO}"),
        "referent_other": _user(
            f"referent.ddtm33{DEMO}", "Luc", "Gironde", gironde, Membership.Role.STATE_REFERENT
        ),
        "referent_dreal_idf": get(email=f"referent.dreal-idf{DEMO}"),
        "manager_paca": get(email=f"instruction.paca{DEMO}"),
        "manager_national": get(email=f"gestionnaire.dgaln{DEMO}"),
        "expert_assigned": get(email=f"expert.cerema{DEMO}"),
        "expert_unassigned": _user(
            f"expert.libre{DEMO}", "Nora", "Libre", cerema, Membership.Role.EXPERT
        ),
        "reviewer": get(email=f"evaluatrice.1{DEMO}"),
        "reviewer_conflict": _user(
            f"evaluateur.conflit{DEMO}", "Marc", "Conflit", cerema, Membership.Role.REVIEWER
        ),
        "partner": get(email=f"partenaire.amf{DEMO}"),
        "admin": get(email=f"admin{DEMO}"),
    }


def _organisations(users, objects, world_tokens):
    """A second member of Saint-Ouen (its holder administers it), a pending invitation into it,
    and the DRIEAT's unit of the Seine-Saint-Denis (reachable: the DDT 93 referent is there)."""
    saint_ouen = objects["organisation.saint_ouen"]
    colleague = _user(
        f"collegue.saint-ouen{DEMO}", "Léa", "Collègue", saint_ouen, Membership.Role.MEMBER
    )
    objects["membership.saint_ouen_colleague"] = colleague.memberships.get()
    invitation = organisation_services.invite_member(
        users["holder"], saint_ouen, "invitation.organisation@exemple.fr", Membership.Role.MEMBER
    )
    objects["invitation.saint_ouen"] = invitation
    world_tokens["org_invitation"] = organisation_services.invitation_token(invitation)
    objects["organisation.ud_drieat_93"] = users["referent_ddt93"].memberships.get().organisation


def _save_file(field_file, name, content):
    field_file.save(name, ContentFile(content), save=True)


def _assessments(users, objects):
    docks, private = objects["project.docks"], objects["project.private"]
    version = ReferentielVersion.objects.current()
    holder, expert = users["holder"], users["expert_assigned"]

    draft = Assessment.objects.create(
        project=private,
        version=version,
        kind=Assessment.Kind.SELF_ASSESSMENT,
        title="Auto-évaluation de l'entrée de ville",
        assessed_on=datetime.date(2026, 1, 10),
        created_by=holder,
    )
    create_rows(draft, version)
    first = draft.answers.order_by("commitment__number").first()
    first.level, first.narrative = 2, f"Diagnostic en cours. {MARKERS['assessment.self_draft']}"
    first.save()
    evidence = Evidence(answer=first, title=MARKERS["evidence.draft"], size=64, uploaded_by=holder)
    _save_file(evidence.file, "diagnostic.pdf", pdf(MARKERS["evidence.draft"]))
    gap = Gap.objects.create(
        answer=first,
        description=MARKERS["gap.draft"],
        proposal="Compléter le diagnostic.",
        created_by=holder,
    )
    objects.update(
        {
            "assessment.self_draft": draft,
            "evidence.draft": evidence,
            "answer.self_draft": first,
            "gap.draft": gap,
            "synthesis.self_draft": draft.syntheses.first(),
        }
    )

    submitted = Assessment.objects.get(project=docks, kind=Assessment.Kind.SELF_ASSESSMENT)
    _mark_answer(submitted, MARKERS["assessment.self_submitted"])
    validated = Assessment.objects.get(project=docks, kind=Assessment.Kind.MOCK_EXPERTISE)
    DimensionSynthesis.objects.filter(assessment=validated, dimension__number=1).update(
        text=f"Synthèse des experts. {MARKERS['assessment.expertise_validated']}", text_html=""
    )
    expertise = Assessment.objects.create(
        project=docks,
        version=version,
        kind=Assessment.Kind.MOCK_EXPERTISE,
        title="Seconde expertise à blanc",
        assessed_on=datetime.date(2026, 2, 2),
        lead_expert=expert,
        created_by=users["referent_ddt93"],
        status=Assessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    create_rows(expertise, version)
    _mark_answer(expertise, MARKERS["assessment.expertise_submitted"])
    report = AssessmentReport.objects.create(
        assessment=validated,
        requested_by=holder,
        status=AssessmentReport.Status.READY,
        progress=100,
        finished_at=timezone.now(),
    )
    _save_file(report.file, "rapport.pdf", pdf(MARKERS["report.ready"]))
    failed_report = AssessmentReport.objects.create(
        assessment=validated,
        requested_by=holder,
        status=AssessmentReport.Status.FAILED,
        attempt=AssessmentReport.MAX_ATTEMPTS,
        finished_at=timezone.now(),
    )

    use_assessment = Assessment.objects.create(
        project=docks,
        version=version,
        kind=Assessment.Kind.USE_PHASE,
        title="Évaluation en phase d'usage des Docks",
        assessed_on=datetime.date(2026, 3, 3),
    )
    create_rows(use_assessment, version)
    use_phase = UsePhaseEvaluation.objects.create(
        assessment=use_assessment, project=docks, key_events=MARKERS["use_phase"]
    )
    objects.update(
        {
            "assessment.self_submitted": submitted,
            "assessment.expertise_validated": validated,
            "gap.validated": Gap.objects.filter(answer__assessment=validated)
            .order_by("pk")
            .first(),
            "assessment.expertise_submitted": expertise,
            "report.ready": report,
            "report.failed": failed_report,
            "use_phase": use_phase,
        }
    )


def _mark_answer(assessment, marker):
    answer = assessment.answers.order_by("commitment__number").first()
    answer.narrative = f"{answer.narrative} {marker}".strip()
    answer.level = answer.level if answer.level is not None else 2
    answer.save()


def _calls(users, objects):
    """A published call and a draft call of a DGALN programme, forms published, grids set."""
    manager = users["manager_national"]
    programme = Programme.objects.get(slug="appels-des-partenaires")
    france = Territory.objects.get(kind=Territory.Kind.COUNTRY)
    now = timezone.now()
    calls = {}
    for key, state, summary in (
        ("call.published", Call.State.PUBLISHED, "Un appel ouvert aux communes."),
        ("call.draft", Call.State.DRAFT, f"En préparation. {MARKERS['call.draft']}"),
    ):
        call = Call.objects.create(
            programme=programme,
            slug=f"matrice-{key.split('.')[1]}",
            kind=Call.Kind.AAP,
            state=state,
            title=f"Appel de la matrice ({key.split('.')[1]})",
            summary=summary,
            perimeter=france,
            published_at=now if state == Call.State.PUBLISHED else None,
            opens_at=now - datetime.timedelta(days=10),
            created_by=manager,
        )
        step = CallStep.objects.create(
            call=call, kind=CallStep.Kind.APPLICATION, deadline=now + datetime.timedelta(days=60)
        )
        application_services.build_form(step, "intention", publish=True)
        application_services.build_default_grid(call)
        document = CallDocument(call=call, title="Règlement de l'appel")
        _save_file(document.file, "reglement.pdf", pdf(summary))
        objects[f"document.{key.split('.')[1]}"] = document
        calls[key] = call
        objects[f"form.{key.split('.')[1]}"] = ApplicationForm.objects.get(step=step)
        objects[f"field.{key.split('.')[1]}"] = (
            FormField.objects.filter(section__form__step=step).order_by("pk").first()
        )
    objects.update(calls)
    objects["programme"] = programme
    alert = SearchAlert.objects.create(email="alerte@exemple.fr", query="q=friche", label="Friche")
    objects["alert"] = alert
    return calls


ANSWERS = {"summary": "Un quartier durable.", "urbanity": "Urbain", "motivation": "Avancer."}


def _applications(users, objects, world_tokens):
    holder, manager = users["holder"], users["manager_national"]
    call = objects["call.published"]
    saint_ouen = holder.memberships.get().organisation
    docks, private = objects["project.docks"], objects["project.private"]

    draft = application_services.start_application(
        holder, call, saint_ouen, private, title=f"Entrée de ville {MARKERS['application.draft']}"
    )
    application_services.save_answers(holder, draft, ANSWERS)
    message = application_services.post_message(holder, draft, "Question avant dépôt.")
    _save_file(message.attachment, "brouillon.pdf", pdf(MARKERS["message.draft"]))

    submitted = _submitted(holder, call, saint_ouen, docks, "Les Docks, suite")
    Answers.objects.filter(application=submitted).update(
        data={**ANSWERS, "summary": MARKERS["application.submitted"]}
    )
    answers = Answers.objects.get(application=submitted)
    answer_file = AnswerFile(answers=answers, key="piece", name="piece.pdf", size=64)
    _save_file(answer_file.file, "piece.pdf", pdf(MARKERS["answer_file.submitted"]))
    workflows.fire(submitted, "start_review", manager)
    submitted.refresh_from_db()
    thread = application_services.post_message(holder, submitted, MARKERS["message.submitted"])
    _save_file(thread.attachment, "annexe.pdf", pdf(MARKERS["attachment.submitted"]))
    co = CoApplicant.objects.create(
        application=submitted,
        email=users["co_applicant"].email,
        role=CoApplicant.Role.EDIT,
        user=users["co_applicant"],
        accepted_at=timezone.now(),
        invited_by=holder,
        organisation=users["co_applicant"].memberships.get().organisation,
    )
    pending = CoApplicant.objects.create(
        application=submitted, email="invitation.en-attente@exemple.fr", invited_by=holder
    )
    world_tokens["invitation"] = application_services.invitation_token(pending)
    application_services.assign_reviewers(
        manager, [submitted], [users["reviewer"], users["reviewer_conflict"]]
    )
    review = Review.objects.get(application=submitted, reviewer=users["reviewer"])
    application_services.declare_conflict(users["reviewer"], review, False)
    scores = {c.pk: (4, "") for c in call.criteria.all()}
    review = application_services.save_review(
        users["reviewer"],
        review,
        scores,
        comment=MARKERS["review.submitted"],
        recommendation="yes",
        submit=True,
    )
    conflict = Review.objects.get(application=submitted, reviewer=users["reviewer_conflict"])
    conflict = application_services.declare_conflict(
        users["reviewer_conflict"], conflict, True, "Ancien collaborateur de la commune."
    )

    opinions = _opinions(users, objects, submitted)
    world_tokens["opinion"] = opinion_services.opinion_token(opinions["opinion.outside"])

    decided = _submitted(holder, call, saint_ouen, docks, "Les Docks, première tranche")
    decided = workflows.fire(decided, "start_review", manager)
    decided = workflows.fire(decided, "select", manager, comment=MARKERS["application.decided"])
    letter = letters.prepare(
        manager, decided, signatory_name="Camille Durand", signatory_role="Directrice",
        next_steps="Prenez contact avec la DDT.",
    )  # fmt: skip
    letters.send(manager, decided, version=letter.version)

    export = Export.objects.create(
        call=call,
        user=manager,
        content=Export.Content.APPLICATIONS,
        format=Export.Format.CSV,
        status=Export.Status.READY,
        progress=100,
        rows=1,
    )
    _save_file(export.file, "export.csv", f"titre\n{MARKERS['export.done']}\n".encode())
    failed_export = Export.objects.create(
        call=call,
        user=manager,
        content=Export.Content.APPLICATIONS,
        format=Export.Format.CSV,
        status=Export.Status.FAILED,
        attempt=Export.MAX_ATTEMPTS,
    )
    objects.update(
        {
            "application.draft": draft,
            "message.draft": message,
            "application.submitted": submitted,
            "answer_file.submitted": answer_file,
            "message.submitted": thread,
            "co_applicant": co,
            "review.submitted": review,
            "review.conflict": conflict,
            "application.decided": decided,
            "export.done": export,
            "export.failed": failed_export,
            **opinions,
        }
    )


def _opinions(users, objects, submitted):
    """Opinions on the submitted application asked of the DDT 93 referent (one answered with a
    file, one pending) and of an outside expert; a private annotation; a usual expert."""
    manager, ddt93 = users["manager_national"], users["referent_ddt93"]

    def ask(email, question="Le projet est-il compatible avec le PLUi ?"):
        return opinion_services.ask_opinion(manager, submitted, question, [email])[0]

    answered = opinion_services.answer_opinion(
        ddt93, ask(ddt93.email), MARKERS["opinion.submitted"]
    )
    opinion_file = OpinionFile(opinion=answered, name="avis.pdf", size=64)
    _save_file(opinion_file.file, "avis.pdf", pdf(MARKERS["opinion_file.submitted"]))
    pending = ask(ddt93.email, "Et les mobilités ?")
    outside = ask("expert.exterieur@exemple.fr")
    opinion_services.annotate(manager, submitted, MARKERS["annotation.submitted"])
    usual = opinion_services.add_usual_expert(
        manager, objects["programme"], "expert.habituel@exemple.fr", "Cerema"
    )
    return {
        "opinion.answered": answered,
        "opinion_file.submitted": opinion_file,
        "opinion.pending": pending,
        "opinion.outside": outside,
        "usual_expert": usual,
    }


def _submitted(holder, call, organisation, project, title):
    application = application_services.start_application(
        holder, call, organisation, project, title=title
    )
    application_services.save_answers(holder, application, ANSWERS)
    return workflows.fire(application, "submit", holder)


def _labels(users, objects):
    docks = objects["project.docks"]
    campaign = Campaign.objects.get(year=2024)
    file = LabelFile.objects.get(campaign=campaign, project=docks)
    LabelFile.objects.filter(pk=file.pk).update(opinion=MARKERS["label_file.docks"])
    charter = Charter.objects.get(project=docks)
    _save_file(charter.document, "charte-signee.pdf", pdf(MARKERS["charter.docks"]))
    local = CommissionSession.objects.get(
        campaign=campaign, level="local", organisation__acronym="UD DRIEAT 93"
    )
    national = CommissionSession.objects.get(campaign=campaign, level="national")
    CommissionSession.objects.filter(pk=local.pk).update(minutes=MARKERS["session.local"])
    CommissionSession.objects.filter(pk=national.pk).update(minutes=MARKERS["session.national"])
    objects.update(
        {
            "campaign": campaign,
            "label_file.docks": file,
            "label_file.in_expertise": LabelFile.objects.get(
                campaign=campaign, state="in_expertise"
            ),
            "label_file.submitted": LabelFile.objects.get(campaign=campaign, state="submitted"),
            "charter.docks": charter,
            "session.local": local,
            "session.national": national,
            "label_step.docks": LabelStep.objects.filter(project=docks).order_by("-pk").first(),
        }
    )


def _notification(user, project):
    """An in-app notification of the holder's, about the latest event on the Docks."""
    from ecoquartier.core.models import ActivityEvent
    from ecoquartier.notifications.models import Notification

    event = ActivityEvent.objects.for_object(project).first()
    return Notification.objects.create(
        event=event, rule="security.world", recipient=user, email=user.email,
        subject=event.summary, url=project.get_absolute_url(),
    )  # fmt: skip


def _follow_ups(users, objects):
    """The follow-up of the decided (selected) application: the DGALN opens it, the Cerema's
    assigned expert is on its team; its title carries a marker (private to its followers).
    Each part of the follow-up (followup/views/<part>.py) adds its objects here."""
    from ecoquartier.followup import services as followup_services

    decided = objects["application.decided"]
    follow_up = followup_services.open_follow_up(
        users["manager_national"], programme=decided.call.programme, project=decided.project,
        beneficiary=decided.organisation, application=decided,
        coordinator=users["expert_assigned"].memberships.get().organisation,
        experts=[users["expert_assigned"]], days_budget=36,
        title=f"Accompagnement des Docks {MARKERS['follow_up.docks']}",
    )  # fmt: skip
    objects["follow_up.docks"] = follow_up
    # deliverables: a milestone, and a deliverable Saint-Ouen submitted (one version)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecoquartier.followup import deliverables

    milestone = deliverables.add_milestone(
        users["manager_national"], follow_up, title="Cadrage", due_on=datetime.date(2030, 3, 1)
    )
    deliverable = deliverables.add_deliverable(
        users["manager_national"], follow_up, title="Note de cadrage", milestone=milestone,
        due_on=datetime.date(2030, 3, 1),
    )  # fmt: skip
    upload = SimpleUploadedFile(
        "note-de-cadrage.pdf", pdf("livrable"), content_type="application/pdf"
    )
    deliverables.upload(users["holder"], deliverable, upload, "Première version")
    objects["milestone.docks"] = milestone
    objects["deliverable.docks"] = deliverable
    objects["deliverable_version.docks"] = deliverable.files.get()
    objects["programme.followup"] = decided.call.programme
    # grants: a DGALN budget line, a grant on it, an advance requested by Saint-Ouen.
    from decimal import Decimal

    from ecoquartier.followup import grants

    manager = users["manager_national"]
    dgaln = manager.memberships.first().organisation
    line = grants.add_budget_line(
        manager, follow_up.programme,
        {"funder": dgaln, "label": "Programme 135", "year": 2026, "amount": Decimal(200000)},
    )  # fmt: skip
    grant = grants.add_grant(
        manager, follow_up,
        {"funder": dgaln, "budget_line": line, "purpose": "Études pré-opérationnelles des Docks",
         "amount": Decimal(40000), "convention_date": datetime.date(2026, 1, 15),
         "funder_siret": "11000000000000"},
    )  # fmt: skip
    instalment = grants.request_instalment(
        users["holder"], grant, kind="advance", amount=Decimal(12000),
        files=[SimpleUploadedFile("devis.pdf", pdf("devis"))],
    )  # fmt: skip
    objects["budget_line.docks"] = line
    objects["grant.docks"] = grant
    objects["instalment.docks"] = instalment
    objects["instalment_document.docks"] = instalment.documents.get()

    # conventions: sent for signature, signed by Saint-Ouen only (the UD DRIEAT 93 for the
    # préfet and the Cerema have not signed yet).
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ecoquartier.followup import conventions
    from ecoquartier.followup.models import ConventionParty

    role = ConventionParty.Role
    convention = conventions.prepare_convention(
        users["manager_national"], follow_up, object="Accompagnement des Docks",
        starts_on=datetime.date(2025, 1, 1), duration_months=36, days_budget=36,
        parties=[
            {"role": role.BENEFICIARY, "organisation": decided.organisation,
             "signatory": "La maire de Saint-Ouen"},
            {"role": role.STATE, "organisation": objects["organisation.ud_drieat_93"],
             "signatory": "Le préfet de la Seine-Saint-Denis"},
            {"role": role.OPERATOR, "organisation": follow_up.coordinator,
             "signatory": "Le directeur du Cerema"},
        ],
    )  # fmt: skip
    convention = conventions.send_for_signature(users["manager_national"], convention)
    saint_ouen = convention.parties.get(role=role.BENEFICIARY)
    conventions.sign(
        users["holder"], convention, party=saint_ouen, signed_on=timezone.localdate(),
        scan=SimpleUploadedFile("convention-signee.pdf", b"%PDF-1.4\n%%EOF\n"),
    )  # fmt: skip
    objects["convention.docks"] = convention
    objects["convention_party.saint_ouen"] = saint_ouen

    # roadmap: an action of the Docks' support (what its gaps become)
    objects["roadmap_action.docks"] = follow_up.actions.create(
        project=follow_up.project, title="Étude air-bruit des îlots nord", owner="SEM aménageur"
    )

    # days: two activities of the Cerema's expert, a request of Saint-Ouen's holder
    from ecoquartier.followup import days as followup_days

    expert, today = users["expert_assigned"], follow_up.starts_on
    for half_days, domain, kind in ((2, "mobility", "framing"), (3, "participation", "workshop")):
        objects[f"support_activity.{kind}"] = followup_days.log_activity(
            expert, follow_up, date=today, half_days=half_days, domain=domain, kind=kind,
        )  # fmt: skip
    objects["expertise_request.docks"] = followup_days.file_request(
        users["holder"], follow_up, subject="Stationnement du quartier", domain="mobility",
    )  # fmt: skip


def _indicators(users, objects):
    """A measurement of the Docks reserved to the State services and experts (its source
    carries the marker) and a public target."""
    from ecoquartier.indicators import services as indicator_services
    from ecoquartier.indicators.models import IndicatorSet

    share = IndicatorSet.objects.current().indicators.get(code="CC-04")
    docks, holder = objects["project.docks"], users["holder"]
    indicator_services.record_value(holder, docks, share, kind="target", value=30, year=2030)
    objects["indicator_value.restricted"] = indicator_services.record_value(
        holder, docks, share, kind="measurement", value=18, date=datetime.date(2024, 6, 1),
        visibility="restricted", source=MARKERS["indicator_value.restricted"],
    )  # fmt: skip
    from ecoquartier.indicators.models import ValueImport

    job = ValueImport(project=docks, user=holder, status=ValueImport.Status.READY,
                      report=[{"row": 2, "column": "Code",
                               "message": MARKERS["value_import.holder"]}])  # fmt: skip
    _save_file(job.file, "valeurs.xlsx", b"PK")
    objects["value_import.holder"] = job


def build_world(media_root):
    load_demo_territories()
    with open("/dev/null", "w") as quiet:
        call_command("load_demo", stdout=quiet)
    users = _users()
    docks = Project.objects.get(slug="ecoquartier-des-docks")
    private = Project.objects.get(slug="requalification-de-lentree-de-ville-nord")
    Project.objects.filter(pk=private.pk).update(
        description=f"{private.description} {MARKERS['project.private']}"
    )
    objects = {
        "project.docks": docks,
        "project.private": private,
        "organisation.saint_ouen": users["holder"].memberships.get().organisation,
        "commune.saint_ouen": Territory.objects.get(kind="commune", code="93070"),
    }
    tokens = {}
    _organisations(users, objects, tokens)
    _assessments(users, objects)
    _calls(users, objects)
    _applications(users, objects, tokens)
    _labels(users, objects)
    _follow_ups(users, objects)
    _indicators(users, objects)
    objects["notification.holder"] = _notification(users["holder"], docks)
    alert = objects["alert"]
    tokens["alert_confirm"] = _token(alert, CONFIRM_SALT)
    tokens["alert_unsubscribe"] = _token(alert, UNSUBSCRIBE_SALT)
    # Fresh copies: building them cached permission results on some of them.
    for key, obj in list(objects.items()):
        if hasattr(obj, "pk") and hasattr(obj, "refresh_from_db"):
            objects[key] = type(obj).objects.get(pk=obj.pk)
    return World(users, objects, dict(MARKERS), Path(media_root), tokens)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per test module and rolled back at its end."""
    media_root = tmp_path_factory.mktemp("security-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, TASKS=IMMEDIATE_TASKS),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world(media_root)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    shutil.rmtree(media_root, ignore_errors=True)


# --- URL patterns ----------------------------------------------------------------------------


def all_routes(resolver=None, prefix="", namespace=""):
    """(route, name) of every URL pattern, walking includes; name is "namespace:name", or the
    route for unnamed patterns (a few of the admin's)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from all_routes(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (namespace + pattern.name) if pattern.name else route


@dataclass(frozen=True)
class UrlInstance:
    route: str
    name: str
    url: str
    method: str  # "GET" or "POST"
    key: str  # the world object the URL is about ("" for none)
    data: dict = field(default_factory=dict, hash=False, compare=False)
    headers: dict = field(default_factory=dict, hash=False, compare=False)


HTMX = {"HX-Request": "true"}


def url_instances(world):
    """Every URL pattern instantiated with world objects: GET for pages, POST for actions."""
    routes = {name: route for route, name in all_routes()}
    for name, key, method, kwargs, data, headers in _declared(world):
        yield UrlInstance(
            routes[name],
            name,
            reverse(name, kwargs=kwargs),
            method,
            key,
            data or {},
            headers or {},
        )
    yield from _admin_instances(world, routes)


def _declared(world):
    """(name, key, method, kwargs, data, headers) for every non-admin pattern."""
    o, u, t = world.objects, world.users, world.tokens

    def pk(key):
        return o[key].pk

    rows = []

    def get(url_name, key="", headers=None, /, **kwargs):
        rows.append((url_name, key, "GET", kwargs, None, headers))

    def post(url_name, key="", data=None, /, **kwargs):
        rows.append((url_name, key, "POST", kwargs, data, None))

    # core, accounts, territories, organisations, référentiel
    for name in (
        "core:home",
        "core:dashboard",
        "core:accessibility",
        "core:legal",
        "core:privacy",
        "core:sitemap",
        "core:health",
        "core:scheduled_jobs",
        "accounts:login",
        "accounts:profile",
        "accounts:password_change",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
        "territories:search",
        "territories:autocomplete",
        "territories:autocomplete_json",
        "referentiel:index",
    ):
        get(name)
    post("accounts:logout")
    get("notifications:list")
    get("notifications:preferences")
    post("notifications:preferences", "", {"frequency": "weekly"})
    post("notifications:read_all")
    post("notifications:read", "notification.holder", pk=pk("notification.holder"))
    get("accounts:password_reset_confirm", uidb64="MQ", token="jeton-invalide")
    get("organisations:detail", "organisation.saint_ouen", pk=pk("organisation.saint_ouen"))
    get("organisations:territory", "commune.saint_ouen", kind="commune", code="93070")
    saint_ouen = pk("organisation.saint_ouen")
    get("organisations:members", "organisation.saint_ouen", pk=saint_ouen)
    post(
        "organisations:invite",
        "organisation.saint_ouen",
        {"email": "nouvelle.personne@exemple.fr", "role": "member"},
        pk=saint_ouen,
    )
    colleague = o["membership.saint_ouen_colleague"]
    for name, data in (
        ("organisations:member_update", {f"m{colleague.pk}-role": "holder"}),
        ("organisations:member_remove", {}),
    ):
        post(
            name, "membership.saint_ouen_colleague", data, pk=saint_ouen, membership_pk=colleague.pk
        )
    for name in ("organisations:invitation_resend", "organisations:invitation_cancel"):
        invitation = o["invitation.saint_ouen"]
        post(name, "invitation.saint_ouen", {}, pk=saint_ouen, invitation_pk=invitation.pk)
    get("organisations:invitation", "invitation.saint_ouen", token=t["org_invitation"])
    post("organisations:invitation", "invitation.saint_ouen", {}, token=t["org_invitation"])
    unit = pk("organisation.ud_drieat_93")
    get("organisations:contact", "organisation.ud_drieat_93", pk=unit)
    post(
        "organisations:contact",
        "organisation.ud_drieat_93",
        {"subject": "Un projet", "body": "Pouvons-nous échanger ?"},
        pk=unit,
    )
    get("referentiel:version", code="2023")
    get("referentiel:commitment", code="2023", number=1)

    # projects
    get("projects:list")
    get("projects:create")
    for key in ("project.docks", "project.private"):
        slug = o[key].slug
        get("projects:detail", key, slug=slug)
        get("projects:timeline", key, slug=slug)
        get("projects:edit", key, slug=slug)
        post("projects:edit", key, {}, slug=slug)

    # assessments: a project's pages
    for key in ("project.docks", "project.private"):
        slug = o[key].slug
        get("assessments:project", key, slug=slug)
        get("assessments:gaps", key, slug=slug)
        get("assessments:gaps_export", key, slug=slug, fmt="csv")
        post(
            "assessments:create",
            key,
            {"kind": "mock", "assessed_on": "2026-01-15", "lead_expert": u["expert_assigned"].pk},
            slug=slug,
        )
    get("assessments:compare_pick", "project.docks", slug=o["project.docks"].slug)

    # assessments: one assessment (readers, writers, actions)
    draft, answer = o["assessment.self_draft"], o["answer.self_draft"]
    for key in (
        "assessment.self_draft",
        "assessment.self_submitted",
        "assessment.expertise_submitted",
        "assessment.expertise_validated",
    ):
        get("assessments:detail", key, pk=pk(key))
        get("assessments:results", key, pk=pk(key))
        get("assessments:report", key, pk=pk(key))
    post(
        "assessments:answer",
        "assessment.self_draft",
        {
            f"a{answer.pk}-level": "3",
            f"a{answer.pk}-narrative": "Avancé.",
            f"a{answer.pk}-revision": str(answer.revision),
        },
        pk=draft.pk,
        answer_pk=answer.pk,
    )
    get("assessments:evidence_add", "assessment.self_draft", pk=draft.pk, answer_pk=answer.pk)
    post(
        "assessments:evidence_add",
        "assessment.self_draft",
        {f"e{answer.pk}-title": "Plan", f"e{answer.pk}-file": _upload()},
        pk=draft.pk,
        answer_pk=answer.pk,
    )
    get("assessments:gap_add", "assessment.self_draft", pk=draft.pk, answer_pk=answer.pk)
    post(
        "assessments:gap_add",
        "assessment.self_draft",
        {
            f"g{answer.pk}-description": "Écart.",
            f"g{answer.pk}-proposal": "Proposition.",
            f"g{answer.pk}-priority": "medium",
        },
        pk=draft.pk,
        answer_pk=answer.pk,
    )
    synthesis = o["synthesis.self_draft"]
    post(
        "assessments:synthesis",
        "assessment.self_draft",
        {f"s{synthesis.pk}-text": "Synthèse.", f"s{synthesis.pk}-revision": "1"},
        pk=draft.pk,
        synthesis_pk=synthesis.pk,
    )
    get("assessments:evidence", "evidence.draft", pk=draft.pk, evidence_pk=pk("evidence.draft"))
    post(
        "assessments:evidence_remove",
        "evidence.draft",
        pk=draft.pk,
        evidence_pk=pk("evidence.draft"),
    )
    validated = o["assessment.expertise_validated"]
    post(
        "assessments:gap_status",
        "assessment.expertise_validated",
        {"status": "closed"},
        pk=validated.pk,
        gap_pk=pk("gap.validated"),
    )
    post(
        "assessments:gap_status",
        "assessment.self_draft",
        {"status": "closed"},
        pk=draft.pk,
        gap_pk=pk("gap.draft"),
    )
    expertise = o["assessment.expertise_submitted"]
    post(
        "assessments:transition", "assessment.expertise_submitted", pk=expertise.pk, name="validate"
    )
    post("assessments:transition", "assessment.self_draft", pk=draft.pk, name="submit")
    get("assessments:experts", "assessment.expertise_submitted", pk=expertise.pk)
    post(
        "assessments:experts",
        "assessment.expertise_submitted",
        {"lead_expert": u["expert_assigned"].pk, "co_experts": [u["expert_unassigned"].pk]},
        pk=expertise.pk,
    )
    get(
        "assessments:compare",
        "assessment.self_submitted",
        pk=pk("assessment.self_submitted"),
        other_pk=validated.pk,
    )
    post("assessments:report", "assessment.expertise_validated", pk=validated.pk)
    report = o["report.ready"]
    get("assessments:report_status", "report.ready", HTMX, pk=validated.pk, report_pk=report.pk)
    get("assessments:report_download", "report.ready", pk=validated.pk, report_pk=report.pk)
    failed = o["report.failed"]
    post("assessments:report_retry", "report.failed", pk=validated.pk, report_pk=failed.pk)

    # calls
    get("calls:finder")
    post("calls:alert_create", "", {"email": "visiteur@exemple.fr", "recherche": "q=eau"})
    get("calls:alert_confirm", "alert", token=t["alert_confirm"])
    get("calls:alert_unsubscribe", "alert", token=t["alert_unsubscribe"])
    get("calls:manage")
    get("calls:programme_create")
    post("calls:programme_create", "", {})
    programme = o["programme"].slug
    get("calls:programme_edit", "programme", slug=programme)
    post("calls:programme_edit", "programme", {}, slug=programme)
    get("calls:call_create", "programme", slug=programme)
    post("calls:call_create", "programme", {}, slug=programme)
    get("calls:programme", "programme", slug=programme)
    for key in ("call.published", "call.draft"):
        slug = o[key].slug
        get("calls:detail", key, slug=slug)
        get("calls:call_edit", key, slug=slug)
        post("calls:call_edit", key, {}, slug=slug)
        document = o[f"document.{key.split('.')[1]}"]
        get("calls:document", f"document.{key.split('.')[1]}", slug=slug, pk=document.pk)
    post("calls:call_publish", "call.draft", slug=o["call.draft"].slug)
    post("calls:call_archive", "call.published", {"reason": "Test"}, slug=o["call.published"].slug)
    for key in ("project.docks", "project.private"):
        get("calls:for_project", key, slug=o[key].slug)

    # applications: applicants' pages
    get("applications:mine")
    get("applications:reviews")
    get("applications:instructing")
    for key in ("project.docks", "project.private"):
        get("applications:project", key, slug=o[key].slug)
    for key in ("call.published", "call.draft"):
        slug = o[key].slug
        get("applications:start", key, slug=slug)
        get("applications:laureates", key, slug=slug)
        get("applications:dashboard", key, slug=slug)
        get("applications:ranking", key, slug=slug)
        get("applications:deliberation", key, slug=slug)
        get("applications:forms", key, slug=slug)
        get("applications:grid", key, slug=slug)
        get("applications:export", key, slug=slug, content="applications", fmt="csv")
        post(
            "applications:export_start",
            key,
            {"content": "applications", "format": "csv"},
            slug=slug,
        )
        post(
            "applications:bulk",
            key,
            {
                "action": "assign",
                "reviewers": [u["reviewer"].pk],
                "applications": [pk("application.submitted")],
            },
            slug=slug,
        )
        post("applications:grid", key, {"op": "default"}, slug=slug)
        kind = key.split(".")[1]
        form = o[f"form.{kind}"]
        get("applications:form_edit", key, pk=form.pk)
        post(
            "applications:form_edit",
            key,
            {"op": "add_section", "section-title": "Annexe"},
            pk=form.pk,
        )
        post("applications:field_op", key, pk=form.pk, field_pk=pk(f"field.{kind}"), op="down")
        post("applications:forms", key, {"step": form.step_id, "template": "intention"}, slug=slug)
    for key in ("application.draft", "application.submitted", "application.decided"):
        get("applications:detail", key, pk=pk(key))
        get("applications:edit", key, pk=pk(key))
    draft_app, submitted = o["application.draft"], o["application.submitted"]
    post(
        "applications:autosave", "application.draft", {"summary": "Autre résumé."}, pk=draft_app.pk
    )
    post(
        "applications:act",
        "application.submitted",
        {
            "action": "select",
            "select-action": "select",
            "select-version": submitted.version,
            "select-reason": "Retenue.",
        },
        pk=submitted.pk,
    )
    for key in ("application.draft", "application.submitted"):
        post(
            "applications:invite", key, {"email": "nouvelle@exemple.fr", "role": "read"}, pk=pk(key)
        )
        post("applications:message", key, {"body": "Bonjour."}, pk=pk(key))
        post("applications:attach_project", key, {"project": pk("project.docks")}, pk=pk(key))
    post(
        "applications:interview",
        "application.submitted",
        {"when": "2030-05-04T10:00", "note": "Visio"},
        pk=submitted.pk,
    )
    get(
        "applications:file",
        "answer_file.submitted",
        pk=submitted.pk,
        file_pk=pk("answer_file.submitted"),
    )
    get(
        "applications:attachment",
        "message.submitted",
        pk=submitted.pk,
        message_pk=pk("message.submitted"),
    )
    get("applications:attachment", "message.draft", pk=draft_app.pk, message_pk=pk("message.draft"))
    get("applications:letter", "application.decided", pk=pk("application.decided"))
    for key in ("application.draft", "application.submitted", "application.decided"):
        get("applications:receipt", key, pk=pk(key))
    get("applications:letter_prepare", "application.decided", pk=pk("application.decided"))
    post("applications:letter_prepare", "application.decided", {}, pk=pk("application.decided"))
    get("applications:letter_preview", "application.decided", pk=pk("application.decided"))
    post(
        "applications:letter_send", "application.decided", {"version": 1},
        pk=pk("application.decided"),
    )  # fmt: skip
    get("applications:accept", "co_applicant", token=t["invitation"])
    # opinions and private annotations
    get("applications:opinions")
    get("applications:opinion_accept", "opinion.outside", token=t["opinion"])
    post(
        "applications:opinion_ask",
        "application.submitted",
        {"question": "Avis ?", "emails": "nouvel.expert@exemple.fr"},
        pk=submitted.pk,
    )
    post(
        "applications:opinion_answer",
        "opinion.pending",
        {f"avis{pk('opinion.pending')}-answer": "Favorable."},
        pk=submitted.pk,
        opinion_pk=pk("opinion.pending"),
    )
    get(
        "applications:opinion_file",
        "opinion_file.submitted",
        pk=submitted.pk,
        opinion_pk=pk("opinion.answered"),
        file_pk=pk("opinion_file.submitted"),
    )
    post("applications:annotate", "application.submitted", {"body": "Note."}, pk=submitted.pk)
    get("applications:usual_experts", "programme", slug=o["programme"].slug)
    post("applications:usual_experts", "programme", {}, slug=o["programme"].slug)
    post(
        "applications:usual_expert_remove",
        "usual_expert",
        slug=o["programme"].slug,
        expert_pk=pk("usual_expert"),
    )
    get("applications:export_status", "export.done", pk=pk("export.done"))
    get("applications:export_download", "export.done", pk=pk("export.done"))
    post("applications:export_retry", "export.failed", pk=pk("export.failed"))
    for key in ("review.submitted", "review.conflict"):
        get("applications:review", key, pk=pk(key))
        post("applications:review", key, {"comment": "Relu."}, pk=pk(key))

    # labels
    # followup (the follow-up's core; each part adds its rows below)
    get("followup:index")
    get("followup:detail", "follow_up.docks", pk=pk("follow_up.docks"))
    get("followup:edit", "follow_up.docks", pk=pk("follow_up.docks"))
    post("followup:edit", "follow_up.docks", {}, pk=pk("follow_up.docks"))
    post("followup:close", "follow_up.docks", {}, pk=pk("follow_up.docks"))
    for key in ("application.decided", "application.submitted"):
        post("followup:open_from_application", key, {}, pk=pk(key))
    for key in ("project.docks", "project.private"):
        get("followup:project", key, slug=o[key].slug)
        get("followup:open_for_project", key, slug=o[key].slug)
        post("followup:open_for_project", key, {}, slug=o[key].slug)
    for name in ("conventions", "days", "grants", "deliverables", "roadmap"):
        get(f"followup:{name}", "follow_up.docks", pk=pk("follow_up.docks"))
    # followup: deliverables
    docks = pk("follow_up.docks")
    for name in ("milestone_add", "deliverable_add"):
        get(f"followup:{name}", "follow_up.docks", pk=docks)
        post(f"followup:{name}", "follow_up.docks", {}, pk=docks)
    get("followup:milestone_edit", "milestone.docks", pk=docks, milestone_pk=pk("milestone.docks"))
    post(
        "followup:milestone_edit", "milestone.docks", {}, pk=docks,
        milestone_pk=pk("milestone.docks"),
    )  # fmt: skip
    deliverable = pk("deliverable.docks")
    get("followup:deliverable", "deliverable.docks", pk=docks, deliverable_pk=deliverable)
    get("followup:deliverable_edit", "deliverable.docks", pk=docks, deliverable_pk=deliverable)
    for name in ("deliverable_edit", "deliverable_upload", "deliverable_review"):
        post(f"followup:{name}", "deliverable.docks", {}, pk=docks, deliverable_pk=deliverable)
    get(
        "followup:deliverable_version", "deliverable_version.docks", pk=docks,
        deliverable_pk=deliverable, version_pk=pk("deliverable_version.docks"),
    )  # fmt: skip
    programme = o["programme.followup"].slug
    get("followup:programme_due", "programme.followup", slug=programme)
    get("followup:phase_plan", "programme.followup", slug=programme)
    post("followup:phase_plan", "programme.followup", {}, slug=programme)
    from ecoquartier.followup.deliverables import calendar_token

    get("followup:calendar", "follow_up.docks", token=calendar_token(u["holder"]))
    post("followup:calendar_renew", "follow_up.docks", {}, pk=pk("follow_up.docks"))

    # followup: roadmap and programme dashboard
    for fmt in ("csv", "xlsx"):
        get("followup:export", fmt=fmt)
    post("followup:roadmap_convert", "follow_up.docks", {}, pk=pk("follow_up.docks"))
    post("followup:roadmap_catch_up", "follow_up.docks", {}, pk=pk("follow_up.docks"))
    action = {"pk": pk("follow_up.docks"), "action_pk": pk("roadmap_action.docks")}
    get("followup:roadmap_action", "roadmap_action.docks", **action)
    post("followup:roadmap_action", "roadmap_action.docks", {}, **action)

    # followup: grants
    get("followup:grant_add", "follow_up.docks", pk=docks)
    post("followup:grant_add", "follow_up.docks", {}, pk=docks)
    get("followup:grant_edit", "grant.docks", pk=docks, grant_pk=pk("grant.docks"))
    post("followup:grant_edit", "grant.docks", {}, pk=docks, grant_pk=pk("grant.docks"))
    post("followup:instalment_request", "follow_up.docks", {}, pk=docks)
    post(
        "followup:instalment_decide", "instalment.docks", {},
        pk=docks, instalment_pk=pk("instalment.docks"), transition="refuse",
    )  # fmt: skip
    get("followup:instalment_document", "instalment_document.docks",
        pk=pk("instalment_document.docks"))  # fmt: skip
    programme = o["follow_up.docks"].programme_id
    get("followup:budget", "programme.followup", pk=programme)
    get("followup:budget_line_add", "programme.followup", pk=programme)
    post("followup:budget_line_add", "programme.followup", {}, pk=programme)
    get("followup:budget_line_edit", "budget_line.docks", pk=programme,
        line_pk=pk("budget_line.docks"))  # fmt: skip
    post("followup:budget_line_edit", "budget_line.docks", {}, pk=programme,
         line_pk=pk("budget_line.docks"))  # fmt: skip
    get("followup:grants_export", "programme.followup", pk=programme)
    get("followup:grants_open_data")
    # indicators
    for key in ("project.docks", "project.private"):
        slug = o[key].slug
        get("indicators:board", key, slug=slug)
        get("indicators:indicator", key, slug=slug, code="CC-04")
        post("indicators:indicator", key, {}, slug=slug, code="CC-04")
        get("indicators:template", key, slug=slug)
        get("indicators:export", key, slug=slug)
        get("indicators:import", key, slug=slug)
        post("indicators:import", key, {}, slug=slug)
        get("indicators:custom_add", key, slug=slug)
        post("indicators:custom_add", key, {}, slug=slug)
    get("indicators:import_status", "value_import.holder", pk=pk("value_import.holder"))
    # indicators: a programme's values, for its managers
    for name in ("indicators:programme_csv", "indicators:programme_xlsx"):
        get(name, "programme.followup", slug=o["programme.followup"].slug)

    docks = {"pk": pk("follow_up.docks"), "convention_pk": pk("convention.docks")}
    get("followup:convention_prepare", "follow_up.docks", pk=pk("follow_up.docks"))
    post("followup:convention_prepare", "follow_up.docks", {}, pk=pk("follow_up.docks"))
    get("followup:convention_edit", "convention.docks", **docks)
    post("followup:convention_edit", "convention.docks", {}, **docks)
    post("followup:convention_transition", "convention.docks", {}, name="send", **docks)
    post("followup:convention_amend", "convention.docks", {}, **docks)
    post("followup:convention_sign", "convention.docks", {}, **docks)
    get("followup:convention_document", "convention.docks", **docks)
    get(
        "followup:convention_scan", "convention_party.saint_ouen", pk=pk("follow_up.docks"),
        party_pk=pk("convention_party.saint_ouen"),
    )  # fmt: skip
    # followup: days
    for name in ("followup:days_log", "followup:days_request"):
        get(name, "follow_up.docks", pk=pk("follow_up.docks"))
        post(name, "follow_up.docks", {}, pk=pk("follow_up.docks"))
    activity = {"pk": pk("follow_up.docks"), "activity_pk": pk("support_activity.framing")}
    get("followup:days_activity_edit", "support_activity.framing", **activity)
    post("followup:days_activity_edit", "support_activity.framing", {}, **activity)
    post("followup:days_activity_delete", "support_activity.framing", {}, **activity)
    post(
        "followup:days_request_answer", "expertise_request.docks", {},
        pk=pk("follow_up.docks"), request_pk=pk("expertise_request.docks"), action="accept",
    )  # fmt: skip
    # labels
    get("labels:index")
    get("labels:key_figures")
    get("labels:certificate", "label_step.docks", pk=pk("label_step.docks"))
    for key in ("project.docks", "project.private"):
        slug = o[key].slug
        get("labels:project", key, slug=slug)
        get("labels:sign_charter", key, slug=slug)
        get("labels:apply", key, pk=pk("campaign"), slug=slug)
        post("labels:apply", key, {}, pk=pk("campaign"), slug=slug)
    get("labels:charter", "charter.docks", pk=pk("charter.docks"))
    post("labels:charter", "charter.docks", pk=pk("charter.docks"))
    get("labels:charter_document", "charter.docks", pk=pk("charter.docks"))
    get("labels:new_campaign")
    post("labels:new_campaign", "", {})
    get("labels:campaign", "campaign", pk=pk("campaign"))
    post("labels:new_session", "campaign", {}, pk=pk("campaign"))
    for key in ("label_file.docks", "label_file.in_expertise"):
        get("labels:file", key, pk=pk(key))
    post(
        "labels:assign_experts",
        "label_file.submitted",
        {"coordinator": u["expert_assigned"].pk, "second": u["expert_unassigned"].pk},
        pk=pk("label_file.submitted"),
    )
    post(
        "labels:schedule_visit",
        "label_file.in_expertise",
        {"visit_on": "2030-06-01"},
        pk=pk("label_file.in_expertise"),
    )
    post(
        "labels:give_opinion",
        "label_file.in_expertise",
        {"verdict": "favourable", "opinion": "Avis."},
        pk=pk("label_file.in_expertise"),
    )
    post(
        "labels:comment_indicator",
        "label_file.in_expertise",
        {"text": "Commentaire."},
        pk=pk("label_file.in_expertise"),
    )
    for key in ("session.local", "session.national"):
        get("labels:session", key, pk=pk(key))
        post("labels:session", key, {"minutes": "Compte rendu."}, pk=pk(key))
    post(
        "labels:deliberate",
        "session.local",
        {
            f"d{pk('label_file.docks')}-outcome": "propose",
            f"d{pk('label_file.docks')}-motivation": "Oui.",
        },
        pk=pk("session.local"),
        file_pk=pk("label_file.docks"),
    )
    get("labels:use_phase", "use_phase", pk=pk("use_phase"))
    post("labels:use_phase", "use_phase", {"key_events": "Ouverture du parc."}, pk=pk("use_phase"))
    return rows


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("plan.pdf", pdf("plan"), content_type="application/pdf")


def _admin_instances(world, routes):
    """Every admin pattern, its object ids taken from the first row of its model."""
    for route, name in all_routes():
        if not route.startswith("admin/"):
            continue
        yield UrlInstance(route, name, "/" + _admin_path(route, world), "GET", "admin")


def _admin_path(route, world):
    path = route
    if "<path:object_id>" in path or "<id>" in path:
        model = _admin_model(route)
        obj = model._default_manager.order_by("pk").first() if model else None
        object_id = str(obj.pk) if obj else "1"
        path = path.replace("<path:object_id>", object_id).replace("<id>", object_id)
    path = path.replace("<path:content_type_id>", "1")
    if path.startswith("admin/^(?P<app_label>"):
        return "admin/projects/"
    if "(?P<url>" in path:
        return "admin/inexistant/"
    return path


def _admin_model(route):
    parts = route.split("/")
    for model in admin.site._registry:
        if parts[1:3] == [model._meta.app_label, model._meta.model_name]:
            return model
    return None
