"""Demo step: the follow-ups of the seeds (issue 14, deliverable 9).

- The Cerema 2022 support offer (seed 000): its manager selects the Saint-Ouen application and up
  to three others, then opens the follow-ups of the first three on the programme's phase plan
  (cadrage amont, diagnostic et expertise à blanc, stratégie, plan d'actions): 36 days over three
  years, the Cerema as operator with its expert, a tripartite convention (collectivité, the
  State service of the département for the préfet, Cerema) and a log of activities. Saint-Ouen is
  ahead of plan, its convention in force, and its expertise à blanc's gaps became its roadmap;
  the second is behind, its convention waiting for the préfet's signature; the third is on plan.
  A fourth laureate, if any, stays selected with no follow-up: the "Ouvrir l'accompagnement"
  button has something to open.
- The PACA 2017 AMI (seed 001): the DREAL's manager opens the five laureates' follow-ups, each
  with a grant for its pre-operational studies (Région or DREAL budget line) and instalments in
  several states.

The support dates are counted back from the day the demo is first loaded, so that paces still
differ when someone looks at them (a 2022 offer would otherwise be over). Selection and opening go
through the workflow and `open_follow_up`; the other parts' rows are written directly (their
services are their own), coherent with the models' constraints. Idempotent: an application that
already has a follow-up is left as it is; phase plans and budget lines are created once.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from ecoquartier.accounts.models import User
from ecoquartier.applications.models import Application, State
from ecoquartier.assessments.models import Answer, Assessment, Gap
from ecoquartier.assessments.services import create_rows
from ecoquartier.calls.models import Call
from ecoquartier.core import workflows
from ecoquartier.core.activity import record
from ecoquartier.core.generations import bump
from ecoquartier.core.pdf import html_to_pdf
from ecoquartier.followup import cached
from ecoquartier.followup.models import (
    BudgetLine,
    Convention,
    ConventionParty,
    ConventionState,
    DeliverableState,
    DeliverableVersion,
    FollowUp,
    Grant,
    Instalment,
    Milestone,
    MilestoneTemplate,
    RoadmapAction,
    SupportActivity,
)
from ecoquartier.followup.plan import months_later
from ecoquartier.followup.services import open_follow_up
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.organisations.state_services import departement_service, state_contacts
from ecoquartier.referentiel.models import Commitment, ReferentielVersion

PARIS = ZoneInfo("Europe/Paris")
CEREMA_CALL = "cerema-accompagnement-ecoquartier-2022"
PACA_CALL = "ami-quartiers-durables-paca-2017"
SAINT_OUEN = "93070"
CEREMA_MANAGER = "instruction.cerema@demo.ecoquartier.fr"
PACA_MANAGER = "instruction.paca@demo.ecoquartier.fr"
EXPERT = "expert.cerema@demo.ecoquartier.fr"
# The Cerema's Île-de-France expert who leads Saint-Ouen's expertise à blanc (a demo actor nobody
# logs in as). Named on the assessment, she sees the private project; the demo account of the
# follow-up's expert keeps the view of its own role.
BLANK_EXPERT = ("expertise.cerema-idf@demo.ecoquartier.fr", "Nadia", "Perrin")
DAYS_BUDGET = Decimal(36)

# The Cerema programme's phase plan: (phase, months after the start, deliverables).
PHASES = [
    ("Cadrage amont", 3, ["Note de cadrage"]),
    ("Diagnostic et expertise à blanc", 9, ["Rapport d'expertise à blanc"]),
    ("Stratégie", 18, ["Note stratégique et indicateurs de durabilité"]),
    ("Plan d'actions", 30, ["Plan d'actions et feuille de route"]),
]

# The Cerema follow-ups, in order: months since the start, half-days logged (the plan is one day
# a month: 36 days over 36 months), the convention, the deliverables' states by phase.
A, S, C, E = (DeliverableState.ACCEPTED, DeliverableState.SUBMITTED,
              DeliverableState.CHANGES_REQUESTED, DeliverableState.EXPECTED)  # fmt: skip
CEREMA = [
    {"months": 20, "half_days": 58, "convention": "in_force", "deliverables": [A, A, S, E],
     "pace": "en avance sur le plan"},
    {"months": 10, "half_days": 6, "convention": "waiting_prefect", "deliverables": [A, C, E, E],
     "pace": "en retard sur le plan"},
    {"months": 14, "half_days": 27, "convention": "in_force", "deliverables": [A, S, E, E],
     "pace": "au rythme prévu"},
]  # fmt: skip

# The activities, in the order a support runs through them: (type, domain, half-days, notes).
SCRIPT = [
    ("framing", "planning", 2, "Réunion de lancement : attendus de la collectivité, périmètre, "
     "calendrier et gouvernance du projet."),
    ("site_visit", "planning", 2, "Visite du site avec les services techniques et l'aménageur."),
    ("framing", "finance", 3, "Relecture du cahier des charges de l'AMO et du bilan "
     "d'aménagement."),
    ("blank_expertise", "planning", 6, "Expertise « à blanc » sur le référentiel ÉcoQuartier : "
     "écarts constatés et propositions pour les réduire."),
    ("advice_note", "mobility", 2, "Note d'avis sur le plan de circulation et les continuités "
     "cyclables."),
    ("workshop", "participation", 2, "Atelier de co-construction avec les habitants et les "
     "entreprises du secteur."),
    ("indicators", "energy", 3, "Indicateurs de durabilité : énergie, climat et situation de "
     "référence."),
    ("advice_note", "biodiversity", 2, "Note sur la désimperméabilisation des sols et la trame "
     "verte."),
    ("meeting", "risks", 1, "Comité technique : risque d'inondation et îlots de chaleur."),
    ("advice_note", "infrastructure", 2, "Avis sur la requalification des voiries et des "
     "ouvrages."),
    ("meeting", "finance", 1, "Comité de pilotage : point d'étape et suite de l'accompagnement."),
    ("workshop", "participation", 2, "Atelier de restitution avec le conseil de quartier."),
]  # fmt: skip
# The référentiel's commitments each domain serves (by number).
COMMITMENTS = {"mobility": [14], "planning": [6, 9], "biodiversity": [20, 6], "risks": [16, 8],
               "infrastructure": [4, 12], "energy": [17], "participation": [2, 7],
               "finance": [3, 11]}  # fmt: skip

# Saint-Ouen's expertise à blanc: (commitment, level, gap, proposal, priority, action's status).
BLANK_EXPERTISE_GAPS = [
    (2, 1, "Les entreprises et les habitants ne sont pas associés aux choix du programme.",
     "Installer un atelier permanent associant entreprises, habitants et conseil de quartier.",
     Gap.Priority.HIGH, RoadmapAction.Status.DONE),
    (6, 2, "Les parkings de surface occupent près d'un tiers du secteur.",
     "Étudier la mutualisation du stationnement et la densification des îlots d'activités.",
     Gap.Priority.HIGH, RoadmapAction.Status.IN_PROGRESS),
    (14, 1, "Les grandes voiries coupent le quartier des gares et des quais.",
     "Programmer des continuités piétonnes et cyclables vers la ligne 14 et les quais de Seine.",
     Gap.Priority.MEDIUM, RoadmapAction.Status.PLANNED),
    (20, 1, "Les sols sont imperméabilisés à plus de 80 % et aucun inventaire n'existe.",
     "Lancer un inventaire écologique et un plan de désimperméabilisation par îlot.",
     Gap.Priority.MEDIUM, RoadmapAction.Status.PLANNED),
]  # fmt: skip

# The PACA laureates' grants for their pre-operational studies: INSEE or EPCI code → (funder,
# amount, convention date, instalments as (kind, share of the grant, state, paid on)).
ADVANCE, INTERIM, BALANCE = (
    Instalment.Kind.ADVANCE,
    Instalment.Kind.INTERIM,
    Instalment.Kind.BALANCE,
)
PAID, APPROVED, REFUSED = Instalment.State.PAID, Instalment.State.APPROVED, Instalment.State.REFUSED
REQUESTED = Instalment.State.REQUESTED
PACA_GRANTS = {
    "04012": ("region", 30_000, date(2017, 10, 16), [
        (ADVANCE, 30, PAID, date(2017, 12, 15)), (INTERIM, 40, APPROVED, None),
        (BALANCE, 30, REQUESTED, None)]),
    "04197": ("dreal", 25_000, date(2017, 11, 6), [
        (ADVANCE, 30, PAID, date(2018, 1, 12)), (INTERIM, 40, PAID, date(2018, 9, 28)),
        (BALANCE, 30, REQUESTED, None)]),
    "04160": ("region", 35_000, date(2017, 10, 16), [
        (ADVANCE, 30, PAID, date(2017, 12, 15)), (INTERIM, 40, APPROVED, None),
        (BALANCE, 30, REQUESTED, None)]),
    "04188": ("dreal", 20_000, date(2018, 2, 5), [
        (ADVANCE, 30, PAID, date(2018, 4, 10)), (INTERIM, 40, REFUSED, None),
        (INTERIM, 40, REQUESTED, None)]),
    "240600585": ("region", 45_000, date(2017, 12, 18), [
        (ADVANCE, 30, PAID, date(2018, 3, 2)), (INTERIM, 40, PAID, date(2018, 11, 20)),
        (BALANCE, 30, PAID, date(2019, 6, 14))]),
}  # fmt: skip
BUDGET_LINES = {
    "region": ("Région Sud — AMI Quartiers durables, études pré-opérationnelles", 150_000,
               "Délibération de la commission permanente n° 17-812 du 13 octobre 2017"),
    "dreal": ("DREAL PACA — BOP 135, aménagement durable", 100_000,
              "Arrêté préfectoral n° 2017-345 attribuant une subvention"),
}  # fmt: skip


def load():
    today = timezone.localdate()
    reports = [_cerema(today), _paca()]
    bump(cached.GENERATION)  # Rows were written in bulk, without signals.
    return " ".join(r for r in reports if r)


# --- Shared -------------------------------------------------------------------------------------


def _user(email):
    return User.objects.filter(email=email).first()


def _actor(email, first, last, organisation, role):
    """A demo actor with no usable password, member of `organisation`."""
    user = _user(email)
    if user is None:
        user = User(email=email, first_name=first, last_name=last)
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": role})
    return user


def _aware(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def _member(organisation, *roles):
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=roles)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership and membership.user


def _pdf(title, body):
    html = (
        f'<!DOCTYPE html><html lang="fr"><head><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{body}</p></body></html>"
    )
    return ContentFile(html_to_pdf(html), name="livrable.pdf")


# --- Cerema support offer 2022 ------------------------------------------------------------------


def _cerema(today):
    call = Call.objects.filter(slug=CEREMA_CALL).select_related("programme").first()
    manager, expert = _user(CEREMA_MANAGER), _user(EXPERT)
    operator = Organisation.objects.filter(
        kind=Organisation.Kind.PUBLIC_OPERATOR, acronym="Cerema"
    ).first()
    if call is None or manager is None or expert is None or operator is None:
        return ""
    _phase_plan(call.programme)
    laureates = _select_laureates(call, manager)
    opened = 0
    for application, scenario in zip(laureates, CEREMA, strict=False):
        if FollowUp.objects.filter(application=application).exists():
            continue
        _support(application, scenario, manager, expert, operator, today)
        opened += 1
    return f"Cerema 2022 : {len(laureates)} lauréats, {opened} accompagnement(s) ouvert(s)."


def _phase_plan(programme):
    if MilestoneTemplate.objects.filter(programme=programme).exists():
        return
    MilestoneTemplate.objects.bulk_create(
        MilestoneTemplate(programme=programme, order=i, title=title, offset_months=months,
                          deliverables=deliverables)
        for i, (title, months, deliverables) in enumerate(PHASES)
    )  # fmt: skip


def _select_laureates(call, manager):
    """Saint-Ouen first, then up to three others (by order of filing); selects those still under
    review. Returns the laureates."""
    applications = list(
        Application.objects.filter(call=call, project__isnull=False)
        .exclude(state__in=[State.NOT_SELECTED, State.WITHDRAWN, State.DISMISSED, State.DRAFT])
        .select_related("organisation__territory", "project")
        .order_by("pk")
    )
    applications.sort(key=lambda a: a.organisation.territory.code != SAINT_OUEN)
    chosen = applications[:4]
    if not chosen or chosen[0].organisation.territory.code != SAINT_OUEN:
        return []
    for application in chosen:
        if application.state in (State.UNDER_REVIEW, State.WAITING_LIST):
            workflows.fire(
                application, "select", manager, now=_aware(date(2022, 7, 8)),
                comment="Projet retenu pour l'accompagnement du Cerema : une collectivité "
                "mobilisée et un projet en phase amont, sur le thème des entrées de ville.",
            )  # fmt: skip
    return [a for a in chosen if a.state == State.SELECTED]


def _support(application, scenario, manager, expert, operator, today):
    starts_on = months_later(today.replace(day=1), -scenario["months"])
    saint_ouen = application.organisation.territory.code == SAINT_OUEN
    lead = _actor(*BLANK_EXPERT, operator, Membership.Role.EXPERT) if saint_ouen else None
    follow_up = open_follow_up(
        manager, programme=application.call.programme, project=application.project,
        beneficiary=application.organisation, application=application, coordinator=operator,
        experts=[expert, lead] if lead else [expert], starts_on=starts_on, days_budget=DAYS_BUDGET,
        title=f"Accompagnement Cerema — {application.project.name}",
    )  # fmt: skip
    holder = _member(application.organisation, Membership.Role.PROJECT_HOLDER)
    convention = _convention(follow_up, scenario["convention"], manager, holder)
    if saint_ouen:
        _amendment(convention, manager)
    deliverables = _deliverables(follow_up, scenario["deliverables"], holder, today)
    activities = _activities(follow_up, expert, scenario["half_days"], deliverables, today)
    blank = [a.date for a in activities if a.kind == SupportActivity.Kind.BLANK_EXPERTISE]
    if lead and blank:
        _roadmap(follow_up, lead, blank[0])
    return follow_up


def _state_service(follow_up):
    """The State service of the follow-up's département (for the préfet), created as
    `seed_state_services` would if the demo runs without it."""
    if follow_up.territory is None:
        return None
    found = state_contacts(follow_up.territory).departement
    departement = follow_up.territory.departement
    if found is None and departement is not None:
        spec = departement_service(departement)
        found = spec and Organisation.objects.get_or_create(
            kind=spec.kind, territory=spec.territory,
            defaults={"name": spec.name, "acronym": spec.acronym},
        )[0]  # fmt: skip
    return found


def _convention(follow_up, fate, manager, holder):
    """The tripartite convention: in force (every party signed) or sent and waiting for the
    préfet (the collectivité and the Cerema signed)."""
    starts_on = follow_up.starts_on
    sent_on = starts_on - timedelta(days=60)
    in_force = fate == "in_force"
    convention = Convention.objects.create(
        follow_up=follow_up, created_by=manager, starts_on=starts_on, duration_months=36,
        days_budget=follow_up.days_budget,
        state=ConventionState.IN_FORCE if in_force else ConventionState.SENT,
        object=f"Accompagnement stratégique et opérationnel du projet « {follow_up.project.name} » "
        "par le Cerema dans la démarche ÉcoQuartier : 36 jours d'expertise sur trois ans.",
        objectives="Cadrer la mise en projet ; produire des indicateurs de durabilité et une "
        "expertise « à blanc » sur le référentiel ÉcoQuartier ; conseiller la collectivité au "
        "fil de l'eau ; accompagner la participation citoyenne.",
        sent_at=_aware(sent_on), in_force_at=_aware(starts_on) if in_force else None,
    )  # fmt: skip
    state = _state_service(follow_up)
    beneficiary = follow_up.beneficiary
    parties = [
        (beneficiary, ConventionParty.Role.BENEFICIARY, f"Le maire — {beneficiary}", holder, 20),
        (follow_up.coordinator, ConventionParty.Role.OPERATOR,
         "Le directeur territorial du Cerema", manager, 30),
    ]  # fmt: skip
    if state is not None:
        referent = _member(state, Membership.Role.STATE_REFERENT)
        prefect = f"Le préfet, représenté par {state.acronym or state.name}"
        parties.insert(1, (state, ConventionParty.Role.STATE, prefect, referent, 45))
    ConventionParty.objects.bulk_create(
        ConventionParty(
            convention=convention, organisation=organisation, role=role, signatory=signatory,
            order=order,
            signed_on=sent_on + timedelta(days=delay)
            if in_force or role != ConventionParty.Role.STATE else None,
            signed_by=signer if in_force or role != ConventionParty.Role.STATE else None,
            reminded_at=None if in_force or role != ConventionParty.Role.STATE
            else _aware(sent_on + timedelta(days=45)),
        )
        for order, (organisation, role, signatory, signer, delay) in enumerate(parties)
    )  # fmt: skip
    return convention


def _amendment(convention, manager):
    """Saint-Ouen's avenant n° 1 (six more days for the roadmap's studies), sent a week ago:
    signed by the commune and the Cerema, waiting for the préfet — the DDT 93 referent's task."""
    sent_on = timezone.localdate() - timedelta(days=7)
    amendment = Convention.objects.create(
        follow_up=convention.follow_up, amends=convention, number=convention.number + 1,
        created_by=manager, starts_on=convention.starts_on, duration_months=42,
        days_budget=convention.days_budget + 6, state=ConventionState.SENT,
        object="Avenant n° 1 : six jours d'expertise supplémentaires et six mois de plus pour "
        "accompagner les études de mutualisation du stationnement et de désimperméabilisation.",
        objectives=convention.objectives, sent_at=_aware(sent_on),
    )  # fmt: skip
    ConventionParty.objects.bulk_create(
        ConventionParty(
            convention=amendment, organisation_id=party.organisation_id, role=party.role,
            signatory=party.signatory, order=party.order,
            signed_on=None if party.role == ConventionParty.Role.STATE else sent_on,
            signed_by_id=None if party.role == ConventionParty.Role.STATE else party.signed_by_id,
        )
        for party in convention.parties.all()
    )  # fmt: skip
    return amendment


def _deliverables(follow_up, states, holder, today):
    """The phase plan's deliverables in the scenario's states, with their files; the milestones
    whose deliverables are all accepted are reached."""
    deliverables = list(follow_up.deliverables.select_related("milestone").order_by("due_on"))
    reached = []
    for deliverable, wanted in zip(deliverables, states, strict=False):
        if wanted == DeliverableState.EXPECTED:
            continue
        handed_in = min(deliverable.due_on - timedelta(days=10), today)
        notes = ["Première version pour relecture."]
        if wanted == DeliverableState.ACCEPTED and deliverable.milestone.order == 1:
            notes.append("Version corrigée après les remarques du Cerema.")
        for number, note in enumerate(notes, start=1):
            DeliverableVersion.objects.create(
                deliverable=deliverable, number=number, name=f"{deliverable.title} v{number}.pdf",
                comment=note, uploaded_by=holder,
                file=_pdf(deliverable.title, f"{follow_up.project.name} — version {number}."),
            )  # fmt: skip
        deliverable.state = wanted
        deliverable.version += len(notes)
        if wanted == DeliverableState.ACCEPTED:
            deliverable.accepted_at = _aware(handed_in + timedelta(days=7))
            reached.append(deliverable.milestone)
        deliverable.save(update_fields=["state", "version", "accepted_at"])
    for milestone in reached:
        milestone.done_on = milestone.due_on - timedelta(days=3)
    Milestone.objects.bulk_update(reached, ["done_on"])
    return deliverables


def _activities(follow_up, expert, half_days, deliverables, today):
    """`half_days` of activities along SCRIPT, spread evenly from the start to last week, each
    serving the commitments of its domain; then `days_used`, once (the days service keeps it
    with each activity it logs). Returns the activities."""
    rows, left = [], half_days
    while left > 0:
        kind, domain, size, notes = SCRIPT[len(rows) % len(SCRIPT)]
        rows.append((kind, domain, min(size, left), notes))
        left -= rows[-1][2]
    first, last = follow_up.starts_on + timedelta(days=10), today - timedelta(days=7)
    step = (last - first) / max(len(rows) - 1, 1)
    report = next((d for d in deliverables if d.milestone.order == 1), None)
    activities = SupportActivity.objects.bulk_create(
        SupportActivity(
            follow_up=follow_up, date=first + step * i, expert=expert, half_days=size,
            domain=domain, kind=kind, notes=notes, created_by=expert,
            deliverable=report if kind == SupportActivity.Kind.BLANK_EXPERTISE else None,
        )
        for i, (kind, domain, size, notes) in enumerate(rows)
    )  # fmt: skip
    version = ReferentielVersion.objects.current()
    if version is not None:
        commitments = dict(Commitment.objects.of_version(version).values_list("number", "pk"))
        SupportActivity.commitments.through.objects.bulk_create(
            SupportActivity.commitments.through(
                supportactivity_id=activity.pk, commitment_id=commitments[number]
            )
            for activity in activities
            for number in COMMITMENTS[activity.domain]
            if number in commitments
        )
    FollowUp.objects.filter(pk=follow_up.pk).update(days_used=Decimal(half_days) / 2)
    return activities


def _roadmap(follow_up, expert, assessed_on):
    """The Cerema's expertise à blanc of the project, and its gaps turned into roadmap
    actions."""
    version = ReferentielVersion.objects.current()
    if version is None:
        return
    project = follow_up.project
    assessment = Assessment.objects.create(
        project=project, version=version, kind=Assessment.Kind.MOCK_EXPERTISE,
        title=f"Expertise à blanc Cerema {assessed_on.year}", assessed_on=assessed_on,
        lead_expert=expert, created_by=expert, status=Assessment.Status.VALIDATED,
        submitted_at=_aware(assessed_on), validated_at=_aware(assessed_on),
    )  # fmt: skip
    create_rows(assessment, version)
    record(expert, "assessment.created", f"{assessment} ouverte", targets=[assessment, project])
    answers = {a.commitment.number: a for a in assessment.answers.select_related("commitment")}
    found = {number: (level, gap) for number, level, gap, *_rest in BLANK_EXPERTISE_GAPS}
    for number, answer in answers.items():
        answer.level = found.get(number, (2, ""))[0]
        answer.narrative = found.get(number, (0, "En cours de définition au stade amont."))[1]
        answer.narrative_html = f"<p>{answer.narrative}</p>"
        answer.updated_by = expert
    Answer.objects.bulk_update(
        answers.values(), ["level", "narrative", "narrative_html", "updated_by"]
    )
    gaps = Gap.objects.bulk_create(
        Gap(
            answer=answers[number], description=gap, proposal=proposal, priority=priority,
            priority_rank=Gap.PRIORITY_RANK[priority], owner=str(follow_up.beneficiary),
            due_date=months_later(assessed_on, 12), created_by=expert,
        )
        for number, _level, gap, proposal, priority, _status in BLANK_EXPERTISE_GAPS
        if number in answers
    )  # fmt: skip
    record(
        expert, "assessment.validated", f"{assessment} : validée",
        targets=[assessment, project], changes={"status": ["submitted", "validated"]},
    )  # fmt: skip
    statuses = {number: status for number, *_rest, status in BLANK_EXPERTISE_GAPS}
    RoadmapAction.objects.bulk_create(
        RoadmapAction(
            project=project, follow_up=follow_up, gap=gap, commitment=gap.answer.commitment,
            title=gap.proposal, owner=str(follow_up.beneficiary),
            partners="Cerema, services de l'État", funding="Budget communal, Fonds vert",
            starts_on=assessed_on, ends_on=gap.due_date,
            status=statuses[gap.answer.commitment.number],
        )
        for gap in gaps
    )  # fmt: skip


# --- PACA AMI 2017 ------------------------------------------------------------------------------


def _paca():
    call = Call.objects.filter(slug=PACA_CALL).select_related("programme").first()
    manager, expert = _user(PACA_MANAGER), _user(EXPERT)
    if call is None or manager is None:
        return ""
    programme = call.programme
    funders = {
        "region": Organisation.objects.filter(
            kind=Organisation.Kind.REGION, territory__kind="region", territory__code="93"
        ).first(),
        "dreal": Organisation.objects.filter(
            kind=Organisation.Kind.DREAL, territory__kind="region", territory__code="93"
        ).first(),
    }
    if None in funders.values():
        return ""
    lines = {
        key: BudgetLine.objects.get_or_create(
            programme=programme, funder=funders[key], label=label, year=2017,
            defaults={"amount": Decimal(amount)},
        )[0]
        for key, (label, amount, _reference) in BUDGET_LINES.items()
    }  # fmt: skip
    operator = Organisation.objects.filter(
        kind=Organisation.Kind.PUBLIC_OPERATOR, acronym="Cerema"
    ).first()
    laureates = (
        Application.objects.filter(call=call, state=State.SELECTED, project__isnull=False)
        .exclude(pk__in=FollowUp.objects.filter(application__isnull=False).values("application"))
        .select_related("organisation__territory", "project")
        .order_by("pk")
    )
    opened = 0
    for application in laureates:
        follow_up = open_follow_up(
            manager, programme=programme, project=application.project,
            beneficiary=application.organisation, application=application,
            coordinator=operator, experts=[expert] if expert else [],
            starts_on=date(2017, 9, 1),
            title=f"AMI Quartiers durables — {application.project.name}",
        )  # fmt: skip
        spec = PACA_GRANTS.get(application.organisation.territory.code)
        if spec is not None:
            _grant(
                follow_up,
                spec,
                lines,
                manager,
                _member(application.organisation, Membership.Role.PROJECT_HOLDER),
            )
        opened += 1
    return f"AMI PACA 2017 : {opened} accompagnement(s) ouvert(s) avec leurs subventions."


def _grant(follow_up, spec, lines, manager, holder):
    key, amount, convention_date, instalments = spec
    line = lines[key]
    amount = Decimal(amount)
    grant = Grant.objects.create(
        follow_up=follow_up, budget_line=line, funder=line.funder, amount=amount, rate=Decimal(50),
        purpose=f"Études pré-opérationnelles du projet « {follow_up.project.name} »",
        eligible_costs="Études de programmation, de faisabilité et d'assistance à maîtrise "
        "d'ouvrage ; concertation.",
        decision_reference=BUDGET_LINES[key][2], convention_date=convention_date,
        created_by=manager,
    )  # fmt: skip
    rows = Instalment.objects.bulk_create(
        Instalment(
            grant=grant, kind=kind, amount=amount * share / 100, state=state, paid_on=paid_on,
            requested_by=holder,
            refusal_reason="Factures non acquittées : joindre les justificatifs de paiement."
            if state == REFUSED else "",
        )
        for kind, share, state, paid_on in instalments
    )  # fmt: skip
    # Requested when they were, not today: a month before payment, or spread over 2018-2019.
    for i, row in enumerate(rows):
        later = date(2018, 6, 1) + timedelta(days=90 * i)
        asked = row.paid_on - timedelta(days=30) if row.paid_on else later
        row.requested_at = _aware(asked)
    Instalment.objects.bulk_update(rows, ["requested_at"])
    paid = sum((row.amount for row in rows if row.state == PAID), Decimal(0))
    Grant.objects.filter(pk=grant.pk).update(paid=paid)
    return grant
