"""Demo step: applications, reviews and decisions.

- the 2017 PACA AMI (created by the calls step): its five laureates (Aubenas-les-Alpes,
  Sainte-Tulle, Reillanne, Saint-Maime, CA Sophia Antipolis) and three communes not selected,
  scored by two reviewers, decided with motivations;
- the 2022 Cerema support offer: scored applications, the city-entrances priority theme giving
  its bonus;
- a two-step call in progress: intention notes submitted, one with an interview, one asked for
  completion, one draft.

Everything goes through the workflow and the services (with `now` set inside the calls'
windows), so each application has its eligibility, its timeline and its scores like real ones.
Idempotent: a call that already has applications is left as it is.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from ecoquartier.accounts.models import User
from ecoquartier.applications import letters, reads, services
from ecoquartier.applications.models import AnswerFile, Application, Criterion, Review
from ecoquartier.calls.models import Call, CallStep, Programme
from ecoquartier.core import workflows
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.projects.models import Project
from ecoquartier.territories.models import Territory

PARIS = ZoneInfo("Europe/Paris")
REVIEWER = Membership.Role.REVIEWER
TWO_STEP_SLUG = "ami-quartiers-durables-paca-session-en-cours"

# (INSEE or EPCI code, kind, organisation name, scores by criterion for two reviewers, decision,
#  answers). Laureates first, as in the seed.
PACA = [
    ("04012", "commune", "Commune d'Aubenas-les-Alpes", [(5, 4, 4, 5), (4, 4, 5, 5)], "select",
     "Rural", "yes", "no"),
    ("04197", "commune", "Commune de Sainte-Tulle", [(4, 4, 4, 4), (4, 5, 3, 4)], "select",
     "Périurbain", "no", "no"),
    ("04160", "commune", "Commune de Reillanne", [(4, 5, 4, 4), (5, 4, 4, 4)], "select",
     "Rural", "yes", "no"),
    ("04188", "commune", "Commune de Saint-Maime", [(4, 3, 4, 4), (3, 4, 4, 5)], "select",
     "Rural", "no", "no"),
    ("240600585", "epci", "Communauté d'agglomération de Sophia Antipolis",
     [(5, 4, 4, 4), (4, 4, 4, 5)], "select", "Urbain", "yes", "yes"),
    ("04112", "commune", "Commune de Manosque", [(3, 3, 2, 3), (3, 2, 3, 3)], "reject",
     "Urbain", "yes", "no"),
    ("04088", "commune", "Commune de Forcalquier", [(3, 2, 3, 2), (2, 3, 3, 3)], "wait_list",
     "Rural", "no", "no"),
    ("04070", "commune", "Commune de Digne-les-Bains", [(2, 3, 2, 2), (2, 2, 3, 2)], "reject",
     "Urbain", "no", "no"),
]  # fmt: skip
MOTIVATIONS = {
    "select": "Projet exemplaire de quartier durable, porté par une collectivité mobilisée.",
    "wait_list": "Projet intéressant, retenu en liste d'attente faute de places.",
    "reject": "Projet encore trop peu avancé au regard des objectifs de l'appel.",
}


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def load():
    people = _people()
    reports = [
        _paca(people),
        _cerema(people),
        _two_step(people),
    ]
    return " ".join(r for r in reports if r)


# --- People -------------------------------------------------------------------------------------


def _user(email, first, last, organisation, role):
    """A demo actor with no usable password: it signs the demo's actions, nobody logs in as it
    (the demo accounts of data/demo/people.yaml are the ones to use)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=first, last_name=last)
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    return user


def _people():
    # The DREAL of Provence-Alpes-Côte d'Azur (found by its région: State services may have
    # been seeded before the demo, with their own names), partner of the PACA AMI.
    dreal = Organisation.objects.filter(
        kind=Organisation.Kind.DREAL, territory__kind="region", territory__code="93"
    ).first()
    cerema = Organisation.objects.filter(
        kind=Organisation.Kind.PUBLIC_OPERATOR, acronym="Cerema"
    ).first()
    return {
        "paca_manager": dreal and _user(
            "instruction.paca@demo.ecoquartier.fr", "Claire", "Martin", dreal,
            Membership.Role.PROGRAMME_MANAGER,
        ),
        "cerema_manager": cerema and _user(
            "instruction.cerema@demo.ecoquartier.fr", "Paul", "Roux", cerema,
            Membership.Role.PROGRAMME_MANAGER,
        ),
        "reviewers": cerema and [
            _user("evaluatrice.1@demo.ecoquartier.fr", "Inès", "Faure", cerema, REVIEWER),
            _user("evaluateur.2@demo.ecoquartier.fr", "Marc", "Blanc", cerema, REVIEWER),
        ],
    }  # fmt: skip


def _organisation(code, kind, name):
    territory = Territory.objects.filter(kind=kind, code=code).first()
    if territory is None:
        return None
    found = Organisation.objects.filter(kind=kind, territory=territory).first()
    return found or Organisation.objects.create(
        kind=kind, territory=territory, name=name, has_planning_competence=True
    )


def _holder(organisation):
    slug = organisation.territory.code if organisation.territory_id else organisation.pk
    return _user(
        f"porteur.{slug}@demo.ecoquartier.fr", "Porteur", str(organisation)[:30], organisation,
        Membership.Role.PROJECT_HOLDER,
    )  # fmt: skip


def _project(organisation):
    return Project.objects.filter(holders=organisation).order_by("pk").first()


# --- Shared steps -------------------------------------------------------------------------------


def _form(step, key):
    if not step.forms.filter(published_at__isnull=False).exists():
        services.build_form(step, key, publish=True)


def _grid(call):
    if not Criterion.objects.filter(call=call).exists():
        services.build_default_grid(call)


def _apply(call, organisation, answers, when, project=None):
    """Create the application on the first step and submit it `when` (inside the window)."""
    holder = _holder(organisation)
    step = reads.first_step(call)
    project = project or _project(organisation)
    application = Application.objects.create(
        call=call, step=step, organisation=organisation, project=project,
        territory_id=organisation.territory_id, created_by=holder,
        title=project.name if project else f"Candidature de {organisation}",
    )  # fmt: skip
    answers_row = services.answers_for(application)
    services.save_answers(holder, application, answers)
    if any(f.key == "deliberation" for f in services.fields_of(answers_row)):
        _attach_deliberation(answers_row, organisation)
    return workflows.fire(application, "submit", holder, now=when), holder


def _attach_deliberation(answers, organisation):
    """A one-page PDF standing for the council's deliberation the full file requires."""
    from django.core.files.base import ContentFile

    from ecoquartier.core.pdf import html_to_pdf

    html = (
        '<!DOCTYPE html><html lang="fr"><head><title>Délibération du conseil</title></head>'
        f"<body><h1>Délibération du conseil</h1><p>{organisation} s'engage dans la démarche.</p>"
        "</body></html>"
    )
    AnswerFile.objects.create(
        answers=answers, key="deliberation", name="deliberation.pdf", size=0,
        file=ContentFile(html_to_pdf(html), name="deliberation.pdf"),
    )  # fmt: skip


def _score(application, reviewers, rows, manager):
    services.assign_reviewers(manager, [application], reviewers)
    criteria = list(Criterion.objects.filter(call=application.call))
    for reviewer, values in zip(reviewers, rows, strict=False):
        review = Review.objects.get(application=application, reviewer=reviewer)
        if review.conflict:
            continue
        services.declare_conflict(reviewer, review, False)
        scores = {c.pk: (v, "") for c, v in zip(criteria, values, strict=False)}
        services.save_review(
            reviewer, review, scores, comment="Dossier solide et argumenté.",
            recommendation="yes" if sum(values) >= 15 else "maybe", submit=True,
        )  # fmt: skip


def _answers(summary, urbanity, agenda21, hqe, project=None):
    data = {
        "summary": summary,
        "motivation": "Être accompagnés dans une démarche de quartier durable.",
        "urbanity": urbanity,
        "agenda21": agenda21,
        "hqe": hqe,
    }
    if project is not None:
        data["project"] = str(project.pk)
    return data


# --- PACA AMI 2017 ------------------------------------------------------------------------------


def _paca(people):
    call = Call.objects.filter(slug="ami-quartiers-durables-paca-2017").first()
    manager, reviewers = people["paca_manager"], people["reviewers"]
    if call is None or manager is None or not reviewers or call.applications.exists():
        return ""
    step = call.steps.order_by("deadline").first()
    _form(step, "application")
    _grid(call)
    submitted = step.deadline - timedelta(days=10)
    count = 0
    for code, kind, name, rows, decision, urbanity, agenda21, hqe in PACA:
        organisation = _organisation(code, kind, name)
        if organisation is None:
            continue
        answers = _answers(f"Projet de quartier durable — {name}.", urbanity, agenda21, hqe)
        application, _holder_user = _apply(call, organisation, answers, submitted)
        application = workflows.fire(application, "start_review", manager)
        _score(application, reviewers, rows, manager)
        application.refresh_from_db()
        application = workflows.fire(application, decision, manager, comment=MOTIVATIONS[decision])
        _send_letter(application, manager)
        count += 1
    return f"AMI PACA 2017 : {count} candidatures évaluées et décidées."


def _send_letter(application, manager):
    """The decision letter, signed by the DREAL's manager and sent (letters.py)."""
    letter = letters.prepare(
        manager, application, signatory_name=manager.get_full_name(),
        signatory_role="Cheffe du service aménagement durable, DREAL PACA",
        next_steps=str(letters.DEFAULT_NEXT_STEPS[application.state]),
    )  # fmt: skip
    letters.send(manager, application, version=letter.version)


# --- Cerema support offer 2022 ------------------------------------------------------------------


def _cerema(people):
    call = Call.objects.filter(slug="cerema-accompagnement-ecoquartier-2022").first()
    manager, reviewers = people["cerema_manager"], people["reviewers"]
    if call is None or manager is None or not reviewers or call.applications.exists():
        return ""
    step = call.steps.order_by("deadline").first()
    _form(step, "application")
    _grid(call)
    count = 0
    priority = list(call.priority_links.values_list("theme_id", flat=True))
    projects = Project.objects.filter(holders__kind=Organisation.Kind.COMMUNE).exclude(
        communes__code__startswith="04"
    )
    # Projects on the priority theme first (their bonus shows in the ranking), then projects at
    # the stages the call accepts.
    chosen = list(projects.filter(themes__in=priority).distinct()[:2])
    chosen += list(
        projects.filter(stage__in=call.project_stages)
        .exclude(pk__in=[p.pk for p in chosen])
        .distinct()
        .order_by("pk")[:4]
    )
    for i, project in enumerate(chosen):
        organisation = project.holders.first()
        answers = _answers(
            project.summary or project.name, "Urbain", "yes" if i % 2 else "no", "no", project
        )
        when = step.deadline - timedelta(days=5)
        application, _h = _apply(call, organisation, answers, when, project)
        application = workflows.fire(application, "start_review", manager)
        _score(application, reviewers, [(4 - i % 3, 3, 4, 3), (3, 4 - i % 2, 3, 4)], manager)
        count += 1
    return f"Cerema 2022 : {count} candidatures notées (bonus « entrées de ville »)."


# --- A two-step call in progress ----------------------------------------------------------------


def _two_step(people):
    manager = people["paca_manager"]
    paca = Programme.objects.filter(slug="ami-quartiers-durables-paca").first()
    region = Territory.objects.filter(kind=Territory.Kind.REGION, code="93").first()
    if manager is None or paca is None or region is None:
        return ""
    call = Call.objects.filter(slug=TWO_STEP_SLUG).first()
    if call is not None and call.applications.exists():
        return ""
    now = timezone.now()
    if call is None:
        call = Call.objects.create(
            slug=TWO_STEP_SLUG, programme=paca, kind=Call.Kind.AMI, state=Call.State.PUBLISHED,
            title="AMI Quartiers durables en Provence-Alpes-Côte d'Azur — session en cours",
            summary="Deux temps : une note d'intention, un échange, puis le dossier complet.",
            perimeter=region, capacity=4, published_at=now - timedelta(days=20),
            opens_at=now - timedelta(days=20),
            audience_kinds=[Organisation.Kind.COMMUNE, Organisation.Kind.EPCI],
        )  # fmt: skip
        CallStep.objects.create(
            call=call, kind=CallStep.Kind.INTENTION, deadline=now + timedelta(days=30)
        )
        CallStep.objects.create(
            call=call, kind=CallStep.Kind.APPLICATION, deadline=now + timedelta(days=90)
        )
    intention, full = call.steps.order_by("deadline")[:2]
    _form(intention, "intention")
    _form(full, "application")
    _grid(call)
    rows = [
        ("04160", "commune", "Commune de Reillanne", "interview"),
        ("04197", "commune", "Commune de Sainte-Tulle", "completion"),
        ("04012", "commune", "Commune d'Aubenas-les-Alpes", "full_file"),
    ]
    for code, kind, name, fate in rows:
        organisation = _organisation(code, kind, name)
        if organisation is None:
            continue
        answers = _answers(f"Note d'intention — {name}.", "Rural", "yes", "no")
        application, _h = _apply(call, organisation, answers, now)
        if fate == "interview":
            services.schedule_interview(
                manager, application, now + timedelta(days=35), "En visioconférence"
            )
        elif fate == "completion":
            workflows.fire(
                application,
                "request_completion",
                manager,
                comment="Précisez le périmètre du projet.",
            )
        else:
            workflows.fire(application, "invite_full_file", manager)
    return "Appel en deux temps : 3 notes d'intention en cours d'instruction."
