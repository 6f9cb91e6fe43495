"""Demo step: the label schemes, a 2024 campaign with one file per state from several régions
(the Saint-Ouen Docks awarded "ÉcoQuartier Livré"), the experts' comments on their
performance checks (the values are the projects' own, given by the indicators demo, which runs
later: the indicator definitions are loaded here first, idempotently), a history under the old
scheme, and the current campaign: the labelling call of the calls step made a real campaign
(calendar, stages, file form) that holders apply to and whose files go through the commissions.

Idempotent: each charter, file and step is looked up before it is written. Past campaigns cannot
go through the services (their deadlines are over), so files are written as rows in the states
the services would have left them, and the history goes through `services.record_step`.
"""

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.core.files.base import ContentFile
from django.utils import timezone

from ecoquartier.accounts.models import User
from ecoquartier.applications.models import Answers, Application
from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.assessments.models import Assessment
from ecoquartier.assessments.services import create_rows
from ecoquartier.calls import demo as calls_demo
from ecoquartier.calls.models import Call, Programme
from ecoquartier.indicators import loader as indicator_loader
from ecoquartier.indicators.models import IndicatorSet
from ecoquartier.labels import services
from ecoquartier.labels.models import (
    Campaign,
    Charter,
    CommissionSession,
    Deliberation,
    FileState,
    IndicatorComment,
    LabelFile,
    LabelScheme,
    LabelStage,
    LabelStep,
)
from ecoquartier.labels.schemes import load_schemes
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.organisations.state_services import state_contacts
from ecoquartier.projects.models import Project
from ecoquartier.referentiel.models import ReferentielVersion
from ecoquartier.territories.services import france

DEMO_FILE = Path(__file__).with_name("demo.yaml")
PARIS = ZoneInfo("Europe/Paris")
MANAGER = "gestionnaire.dgaln@demo.ecoquartier.fr"
EXPERT = "expert.cerema@demo.ecoquartier.fr"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# What each file state implies, in order: experts, expertise submitted, local, national.
REACHED = {
    FileState.SUBMITTED: 0, FileState.IN_EXPERTISE: 1, FileState.EXPERTISE_DONE: 2,
    FileState.PROPOSED: 3, FileState.ADJOURNED: 3, FileState.NOT_PROPOSED: 3,
    FileState.AWARDED: 4, FileState.NOT_AWARDED: 4,
}  # fmt: skip
LOCAL_OUTCOME = {
    FileState.ADJOURNED: Deliberation.Outcome.ADJOURN,
    FileState.NOT_PROPOSED: Deliberation.Outcome.NOT_PROPOSE,
}
APPLICATION_STATE = {
    FileState.SUBMITTED: ApplicationState.SUBMITTED,
    FileState.AWARDED: ApplicationState.SELECTED,
    FileState.NOT_AWARDED: ApplicationState.NOT_SELECTED,
    # What opening the national session settles (services.settle_local_outcomes).
    FileState.NOT_PROPOSED: ApplicationState.NOT_SELECTED,
    FileState.ADJOURNED: ApplicationState.WAITING_LIST,
}


def load(path=DEMO_FILE):
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    load_schemes()
    manager = User.objects.filter(email=MANAGER).first()
    dgaln = Organisation.objects.filter(kind=Organisation.Kind.DGALN).order_by("pk").first()
    if manager is None or dgaln is None or ReferentielVersion.objects.current() is None:
        return "Comptes, DGALN ou référentiel de démonstration absents : label ignoré."
    experts = _experts(data["expert"])
    for path in indicator_loader.default_files():
        indicator_loader.load(path)
    campaign = _campaign(manager, dgaln, data["campaign"])
    for row in data["past_steps"]:
        _past_step(manager, row)
    done = [row["project"] for row in data["files"] if _file(campaign, manager, experts, data, row)]
    current = _current_campaign(manager, campaign.call.programme, data["current_campaign"])
    return (
        f"Campagne {campaign.year} : {len(done)} dossier(s) créé(s) sur {len(data['files'])} ; "
        f"{LabelStep.objects.count()} étape(s) de label au total ; "
        f"campagne en cours : {current.year if current else 'aucune'}."
    )


def _at(day):
    return datetime.combine(day, time(23, 59), tzinfo=PARIS)


def _project(name):
    return Project.objects.filter(name=name).prefetch_related("holders", "communes").first()


def _experts(spec):
    first = User.objects.filter(email=EXPERT).first()
    cerema = (
        Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_OPERATOR, acronym="Cerema")
        .order_by("pk")
        .first()
    )
    second, created = User.objects.get_or_create(
        email=spec["email"],
        defaults={k: spec[k] for k in ("first_name", "last_name", "job_title")},
    )
    if created and first is not None:
        # The demo accounts share one password (demo/people.py sets it on the first expert):
        # copy its hash rather than reach up into the demo app for the file.
        second.password = first.password
        second.save(update_fields=["password"])
    if cerema:
        Membership.objects.get_or_create(
            user=second, organisation=cerema, defaults={"role": Membership.Role.EXPERT}
        )
    return first or second, second


def _campaign(manager, dgaln, spec):
    existing = Campaign.objects.filter(year=spec["year"]).first()
    if existing:
        return existing
    programme, _ = Programme.objects.get_or_create(
        slug="label-ecoquartier",
        defaults={"owner": dgaln, "kind": Programme.Kind.LABEL, "name": "Label ÉcoQuartier"},
    )
    calendar = {key: _at(day) for key, day in spec["calendar"].items()}
    return services.create_campaign(
        manager, programme, spec["year"], calendar, perimeter=france(),
        scheme=LabelScheme.objects.get(code="2023"), opens_at=_at(date(spec["year"], 1, 15)),
    )  # fmt: skip


def _current_campaign(manager, programme, spec):
    """The calls step's labelling call of this year (or next), made a campaign once."""
    year = calls_demo.campaign_year()
    existing = Campaign.objects.filter(year=year).first()
    if existing:
        return existing
    call = Call.objects.filter(
        slug=calls_demo.LABELLING_SLUG.format(year=year), label_campaign__isnull=True
    ).first()
    if call is None or call.applications.exists():
        return None
    for step in call.steps.all():  # the call's placeholder calendar, replaced by the campaign's
        step.delete()
    calendar = {
        key: _at(date(year, *map(int, day.split("-")))) for key, day in spec["calendar"].items()
    }
    return services.create_campaign(
        manager, programme, year, calendar, perimeter=call.perimeter,
        scheme=LabelScheme.objects.current(), call=call,
    )  # fmt: skip


def _past_step(manager, row):
    project = _project(row["project"])
    stage = LabelStage.objects.get(code=row["stage"])
    if project is None or LabelStep.objects.filter(project=project, stage=stage).exists():
        return
    services.record_step(
        manager, project, stage, decided_on=row["decided_on"], deciding_body=row["body"],
        reference=row["reference"],
    )  # fmt: skip


def _charter(project, organisation, row):
    charter = Charter.objects.filter(project=project).first()
    if charter:
        return charter
    signed = _at(row["deliberation_date"])
    charter = Charter(
        project=project, scheme=LabelScheme.objects.get(code="2023"), organisation=organisation,
        text_version="Charte ÉcoQuartier 2023", signatory_name=row["signatory"][0],
        signatory_office=row["signatory"][1], deliberation_date=row["deliberation_date"],
        document_name="charte-signee.pdf", signed_at=signed, acknowledged_at=signed,
        region=services.region_of(project),
    )  # fmt: skip
    charter.document.save("charte-signee.pdf", ContentFile(PDF), save=False)
    charter.save()
    contacts = state_contacts(project.communes.first()) if project.communes.exists() else None
    body = next(iter(contacts), None) if contacts else None
    services.record_step(
        None, project, LabelStage.objects.get(code="ecoprojet"),
        decided_on=row["deliberation_date"], deciding_body=str(body or "Services de l'État"),
        reference="Charte signée, délibération du "
        + row["deliberation_date"].strftime("%d/%m/%Y"),
        charter=charter,
    )  # fmt: skip
    return charter


def _file(campaign, manager, experts, data, row):
    project = _project(row["project"])
    if project is None or LabelFile.objects.filter(campaign=campaign, project=project).exists():
        return False
    organisation = project.holders.first()
    _charter(project, organisation, row)
    state = FileState(row["state"])
    stage = LabelStage.objects.get(code="livre")
    application = _application(campaign, project, organisation, stage, state)
    file = LabelFile.objects.create(
        campaign=campaign, application=application, project=project, target_stage=stage,
        region=services.region_of(project), state=state,
    )  # fmt: skip
    reached = REACHED[state]
    if reached >= 1:
        _expertise(file, experts, submitted=reached >= 2)
        _comment(file, row.get("comment"))
    if reached >= 2:
        file.visit_on = date(campaign.year, 7, 4)
        file.opinion_verdict, file.opinion = LabelFile.Verdict.FAVOURABLE, row["opinion"]
        file.save()
    if reached >= 3:
        _deliberate(file, _local_session(campaign, project, data), row, national=False)
    if reached >= 4:
        _deliberate(file, _national_session(campaign, manager, data), row, national=True)
    return True


def _comment(file, spec):
    """The coordinator's comment on one indicator of the file's performance check."""
    indicator_set = IndicatorSet.objects.current()
    if not spec or indicator_set is None:
        return
    indicator = indicator_set.indicators.filter(code=spec[0]).first()
    if indicator is not None:
        IndicatorComment.objects.create(
            file=file, indicator=indicator, author=file.coordinator, text=spec[1]
        )


def _application(campaign, project, organisation, stage, state):
    submitted = _at(date(campaign.year, 5, 20))
    application = Application.objects.create(
        call=campaign.call, step=campaign.file_step, organisation=organisation, project=project,
        territory=organisation.territory, title=f"{project} — {stage.short_name}",
        state=APPLICATION_STATE.get(state, ApplicationState.UNDER_REVIEW), submitted_at=submitted,
        eligible=True,
    )  # fmt: skip
    answers = {
        f"engagement-{n}": f"Réponse de {organisation} à l'engagement {n}." for n in range(1, 21)
    }
    Answers.objects.create(
        application=application, step=campaign.file_step,
        form=campaign.file_step.forms.order_by("-version").first(),
        data={"project": project.pk, **answers}, submitted_at=submitted,
    )  # fmt: skip
    return application


def _expertise(file, experts, submitted):
    coordinator, second = experts
    version = ReferentielVersion.objects.current()
    assessment = Assessment.objects.create(
        project=file.project, version=version, kind=Assessment.Kind.LABEL_EXPERTISE,
        title=f"Expertise label — {file.project} ({file.campaign.year})",
        assessed_on=date(file.campaign.year, 7, 4), lead_expert=coordinator,
        status=Assessment.Status.SUBMITTED if submitted else Assessment.Status.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )  # fmt: skip
    create_rows(assessment, version)
    assessment.co_experts.set([second])
    if submitted:
        assessment.answers.update(level=3, narrative="Constat des experts lors de la visite.")
    file.coordinator, file.second_expert, file.expertise = coordinator, second, assessment
    file.save()


def _local_session(campaign, project, data):
    contacts = state_contacts(project.communes.first())
    service = contacts.departement or contacts.region
    if service is None:
        service = Organisation.objects.filter(kind=Organisation.Kind.DGALN).order_by("pk").first()
    session, _ = CommissionSession.objects.get_or_create(
        campaign=campaign, level=CommissionSession.Level.LOCAL, organisation=service,
        defaults={"held_on": data["campaign"]["local_commission_on"],
                  "members": data["campaign"]["members"]},
    )  # fmt: skip
    return session


def _national_session(campaign, manager, data):
    session, _ = CommissionSession.objects.get_or_create(
        campaign=campaign, level=CommissionSession.Level.NATIONAL,
        organisation=campaign.call.programme.owner,
        defaults={"held_on": data["campaign"]["national_commission_on"],
                  "members": data["campaign"]["members"], "created_by": manager},
    )  # fmt: skip
    return session


def _deliberate(file, session, row, *, national):
    if national:
        awarded = file.state == FileState.AWARDED
        outcome = Deliberation.Outcome.AWARD if awarded else Deliberation.Outcome.NOT_AWARD
        motivation = row["national"]
    else:
        outcome = LOCAL_OUTCOME.get(file.state, Deliberation.Outcome.PROPOSE)
        motivation = row["local"]
    support = row.get("support", ["", ""])
    Deliberation.objects.create(
        session=session, file=file, outcome=outcome, motivation=motivation,
        support_offer=support[0], support_provider=support[1],
    )  # fmt: skip
    if outcome == Deliberation.Outcome.AWARD:
        services.record_step(
            session.created_by, file.project, file.target_stage, decided_on=session.held_on,
            deciding_body=services.NATIONAL_BODY,
            reference=f"CNEQ-{file.campaign.year}-{file.pk:04d}", year=file.campaign.year,
            file=file,
        )  # fmt: skip
