"""Every change to the label: charters, history, campaigns, files, experts, commissions, awards
and use-phase evaluations. Atomic, permission-checked, logged (F-04), e-mailed on commit.

Composition, not duplication: a campaign is a `calls.Call` with `CallStep`s; a file applies
through `applications.services` and moves its application with `applications.workflow.fire`;
the label expertise and the use-phase evaluation are `assessments.Assessment`s.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.applications import services as application_services
from ecoquartier.applications import workflow as application_workflow
from ecoquartier.applications.models import ApplicationForm, FormField
from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.assessments import services as assessment_services
from ecoquartier.assessments.models import Assessment
from ecoquartier.calls.models import Call, CallStep
from ecoquartier.calls.permissions import can_manage_programme
from ecoquartier.calls.services import unique_slug
from ecoquartier.core.activity import record
from ecoquartier.labels import figures, notifications, permissions, rules, workflow
from ecoquartier.labels.models import (
    Campaign,
    Charter,
    CommissionSession,
    Deliberation,
    FileState,
    IndicatorRow,
    LabelFile,
    LabelScheme,
    LabelStep,
    ProjectLabel,
    UsePhaseEvaluation,
    UsePhaseReminder,
)
from ecoquartier.organisations.models import Membership
from ecoquartier.organisations.state_services import state_contacts
from ecoquartier.referentiel.models import Commitment, ReferentielVersion
from ecoquartier.territories.models import Territory, TerritoryAncestor

NATIONAL_BODY = "Commission nationale ÉcoQuartier"
CHARTER_MAX_SIZE = 10 * 1024 * 1024
CHARTER_EXTENSIONS = ("pdf", "jpg", "jpeg", "png")
COMMITMENT_KEY = "engagement-{}"
USE_PHASE_YEARS = 3
INDICATOR_FIELDS = ("label", "unit", "target", "achieved")


def region_of(project):
    """The région of the project's first commune (one query)."""
    commune = project.communes.order_by("pk").first()
    if commune is None:
        return None
    if commune.kind == Territory.Kind.REGION:
        return commune
    return commune.region


# --- History (F-40) -------------------------------------------------------------------------------


def record_step(actor, project, stage, *, decided_on, deciding_body, reference, year=None, **links):
    """Write one step of the label history and the project's current standing; call it inside
    the transaction of the decision. A delivery step starts the use-phase clock."""
    try:
        with transaction.atomic():
            step = LabelStep.objects.create(
                project=project,
                stage=stage,
                decided_on=decided_on,
                year=year or decided_on.year,
                deciding_body=deciding_body,
                decision_reference=reference,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                **links,
            )
    except IntegrityError as error:
        raise ValidationError(_("Le projet a déjà obtenu l'étape « %s ».") % stage.name) from error
    _refresh_standing(project, step)
    transaction.on_commit(figures.forget_key_figures)
    if stage.marks_delivery:
        UsePhaseReminder.objects.get_or_create(
            project=project,
            defaults={
                "delivery_step": step,
                "due_on": rules.add_years(decided_on, USE_PHASE_YEARS),
            },
        )
    record(
        actor,
        "label.public.step",
        _("Label ÉcoQuartier : « %(stage)s » (%(year)s) — %(body)s")
        % {"stage": stage.name, "year": step.year, "body": deciding_body},
        targets=[project],
        changes={"stage": [None, stage.code], "scheme": stage.scheme.code},
    )
    return step


def _refresh_standing(project, step):
    history = rules.History(steps=list(project.label_steps.select_related("stage__maps_to")))
    current = history.current()
    ProjectLabel.objects.update_or_create(
        project=project,
        defaults={
            "stage": current.stage,
            "year": current.year,
            "region": region_of(project),
            "delivered_on": history.delivered_on(),
        },
    )


@transaction.atomic
def record_past_step(user, project, stage, *, decided_on, deciding_body, reference):
    """Enter a step decided before the platform (e.g. a 2018 stage 3): programme managers only.
    The step keeps its scheme; the mapping makes it count under the current one."""
    from ecoquartier.organisations.permissions import is_programme_manager

    if not is_programme_manager(user):
        raise PermissionDenied
    return record_step(
        user, project, stage, decided_on=decided_on, deciding_body=deciding_body,
        reference=reference,
    )  # fmt: skip


# --- Charter (F-41) -------------------------------------------------------------------------------


def validate_charter_document(upload):
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in CHARTER_EXTENSIONS:
        raise ValidationError(
            _("Le document doit être un fichier PDF, JPEG ou PNG (reçu : « %s »).") % upload.name
        )
    if upload.size > CHARTER_MAX_SIZE:
        raise ValidationError(_("Le document dépasse 10 Mo : réduisez-le ou scannez-le en PDF."))
    if upload.size == 0:
        raise ValidationError(_("Le document est vide."))


@transaction.atomic
def sign_charter(user, project, *, organisation, text_version, signatory_name, signatory_office,
                 deliberation_date, document):  # fmt: skip
    """The holder authority signs the charter online; the State referent is asked to
    acknowledge it."""
    if not permissions.can_sign_charter(user, project):
        raise PermissionDenied
    if organisation not in permissions.applicant_organisations(user, project):
        raise PermissionDenied
    if Charter.objects.filter(project=project).exists():
        raise ValidationError(_("La charte de ce projet est déjà signée."))
    if deliberation_date > timezone.localdate():
        raise ValidationError(_("La date de la délibération ne peut pas être dans le futur."))
    validate_charter_document(document)
    scheme = LabelScheme.objects.current()
    if scheme is None:
        raise ValidationError(_("Les parcours du label ne sont pas chargés."))
    charter = Charter(
        project=project,
        scheme=scheme,
        organisation=organisation,
        text_version=text_version,
        signatory_name=signatory_name,
        signatory_office=signatory_office,
        deliberation_date=deliberation_date,
        document_name=document.name[:255],
        signed_by=user,
        signed_at=timezone.now(),
        region=region_of(project),
    )
    charter.document.save(document.name, document, save=False)
    charter.save()
    record(
        user,
        "label.charter_signed",
        _("Charte ÉcoQuartier signée par %(name)s, %(office)s")
        % {"name": signatory_name, "office": signatory_office},
        targets=[charter, project],
    )
    notifications.on_commit(
        notifications.referent_emails(project),
        _("Charte ÉcoQuartier signée : %s") % project,
        _(
            "%(org)s a signé la charte ÉcoQuartier pour le projet « %(project)s ». "
            "Merci d'en prendre acte : %(url)s"
        )
        % {
            "org": organisation,
            "project": project,
            "url": notifications.url(charter.get_absolute_url()),
        },
    )
    return charter


@transaction.atomic
def acknowledge_charter(user, charter):
    """The State referent acknowledges the charter: the project enters the first stage."""
    charter = (
        Charter.objects.select_for_update().select_related("project", "scheme").get(pk=charter.pk)
    )
    if not permissions.can_acknowledge_charter(user, charter):
        raise PermissionDenied
    if charter.is_acknowledged:
        raise ValidationError(_("Cette charte a déjà été prise en compte."))
    charter.acknowledged_by, charter.acknowledged_at = user, timezone.now()
    charter.save(update_fields=["acknowledged_by", "acknowledged_at"])
    stage = charter.scheme.first_stage()
    service = next(
        (m.organisation for m in user.memberships.select_related("organisation")
         if m.organisation.is_state_service), None,
    )  # fmt: skip
    step = record_step(
        user,
        charter.project,
        stage,
        decided_on=timezone.localdate(),
        deciding_body=str(service or _("Services de l'État")),
        reference=_("Charte signée, délibération du %s")
        % charter.deliberation_date.strftime("%d/%m/%Y"),
        charter=charter,
    )
    record(
        user, "label.charter_acknowledged", _("Charte ÉcoQuartier prise en compte par l'État"),
        targets=[charter, charter.project],
    )  # fmt: skip
    notifications.on_commit(
        notifications.holder_emails(charter.project),
        _("Votre projet entre dans la démarche ÉcoQuartier"),
        _(
            "L'État a pris acte de la charte signée pour « %(project)s » : "
            "le projet est « %(stage)s »."
        )
        % {"project": charter.project, "stage": stage.name},
    )
    return step


# --- Campaign (F-42) ---------------------------------------------------------------------------

CALENDAR = (
    # (key, call step kind, French label)
    ("pre_application", CallStep.Kind.INTENTION, "Pré-candidature"),
    ("file_deadline", CallStep.Kind.APPLICATION, "Dépôt des dossiers de labellisation"),
    ("expertise_end", CallStep.Kind.OTHER, "Fin de la période d'expertise et des visites"),
    ("local_commissions", CallStep.Kind.OTHER, "Commissions locales (octobre)"),
    ("national_commission", CallStep.Kind.OTHER, "Commission nationale"),
    ("ceremony", CallStep.Kind.OTHER, "Cérémonie de remise des labels"),
)


@transaction.atomic
def create_campaign(user, programme, year, calendar, *, perimeter, scheme=None, opens_at=None):
    """A labelling call with its calendar as call steps, and the label file form published."""
    if not can_manage_programme(user, programme):
        raise PermissionDenied
    missing = [key for key, _kind, _label in CALENDAR if key not in calendar]
    if missing:
        raise ValidationError(_("Calendrier incomplet : %s.") % ", ".join(missing))
    scheme = scheme or LabelScheme.objects.current(date(year, 1, 1))
    title = _("Campagne de labellisation ÉcoQuartier %s") % year
    call = Call.objects.create(
        programme=programme,
        kind=Call.Kind.LABELLING,
        title=title,
        slug=unique_slug(Call, title, "campagne"),
        summary=_("La campagne annuelle du label ÉcoQuartier (%s).") % scheme.name,
        perimeter=perimeter,
        opens_at=opens_at,
        state=Call.State.PUBLISHED,
        published_at=timezone.now(),
        created_by=user,
    )
    steps = {
        key: CallStep.objects.create(call=call, kind=kind, label=label, deadline=calendar[key])
        for key, kind, label in CALENDAR
    }
    campaign = Campaign.objects.create(
        call=call, scheme=scheme, year=year,
        file_step=steps["file_deadline"], expertise_step=steps["expertise_end"],
    )  # fmt: skip
    _publish_file_form(user, steps["file_deadline"])
    record(user, "label.campaign_created", str(title), targets=[campaign, call])
    return campaign


def _publish_file_form(user, step):
    """The application form of the file step: one long answer per commitment of the current
    référentiel, built and published through the applications services."""
    form = ApplicationForm.objects.create(
        step=step, version=1, title=_("Dossier de labellisation"),
        intro=_("Réponses aux 20 engagements du référentiel ÉcoQuartier."),
    )  # fmt: skip
    section = application_services.add_section(user, form, _("Les engagements"))
    application_services.save_field(
        user, FormField(section=section, key="project", label=_("Projet"), kind="project")
    )
    version = ReferentielVersion.objects.current()
    for commitment in Commitment.objects.of_version(version) if version else []:
        application_services.save_field(
            user,
            FormField(
                section=section,
                key=COMMITMENT_KEY.format(commitment.number),
                label=str(commitment),
                kind=FormField.Kind.LONG_TEXT,
                required=True,
                max_length=3000,
            ),
        )
    application_services.publish_form(user, form)


def prefill_commitments(project):
    """{number: narrative} from the project's latest self-assessment (empty if none)."""
    latest = (
        Assessment.objects.filter(project=project, kind=Assessment.Kind.SELF_ASSESSMENT)
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if latest is None:
        return {}
    return dict(latest.answers.values_list("commitment__number", "narrative"))


@transaction.atomic
def apply(user, campaign, project, *, organisation, target_stage, commitments, indicators=()):
    """Apply to the campaign for `target_stage`: the rules of the stage first, then the
    application is started, answered and submitted through the applications app."""
    if not permissions.can_apply(user, project):
        raise PermissionDenied
    if organisation not in permissions.applicant_organisations(user, project):
        raise PermissionDenied
    if target_stage.scheme_id != campaign.scheme_id or not target_stage.by_commission:
        raise ValidationError(_("Cette étape ne fait pas partie de la campagne."))
    problems = rules.refusals(project, target_stage)
    if LabelFile.objects.filter(campaign=campaign, project=project).exists():
        problems.append(_("Ce projet a déjà un dossier dans cette campagne."))
    indicators = [row for row in indicators if row.get("label")]
    if target_stage.requires_indicators and not indicators:
        problems.append(
            _(
                "Renseignez au moins un indicateur (objectif et valeur atteinte) "
                "pour l'étape « %s »."
            )
            % target_stage.name
        )
    if problems:
        raise ValidationError(problems)
    application = application_services.start_application(
        user, campaign.call, organisation, project, title=f"{project} — {target_stage.short_name}"
    )
    answers = {COMMITMENT_KEY.format(n): text for n, text in commitments.items()}
    application_services.save_answers(user, application, {"project": project.pk, **answers})
    try:
        application = application_workflow.fire(user, application, "submit")
    except application_workflow.TransitionError as error:
        raise ValidationError(error.messages) from error
    file = LabelFile.objects.create(
        campaign=campaign, application=application, project=project, target_stage=target_stage,
        region=region_of(project),
    )  # fmt: skip
    IndicatorRow.objects.bulk_create(
        IndicatorRow(file=file, position=i, **{k: row.get(k, "") for k in INDICATOR_FIELDS})
        for i, row in enumerate(indicators)
    )  # fmt: skip
    record(
        user, "label.file_submitted",
        _("Dossier de labellisation déposé : « %s »") % target_stage.name,
        targets=[file, project, campaign],
    )  # fmt: skip
    return file


def _lock(file, action):
    """The file, locked, if `action` may start from its current state (workflow table)."""
    locked = (
        LabelFile.objects.select_for_update(of=("self",))
        .select_related("campaign__call__programme", "project", "application", "target_stage")
        .get(pk=file.pk)
    )
    if locked.state not in workflow.sources(action):
        raise ValidationError(
            _("Ce dossier est maintenant « %s » : l'action n'a pas été appliquée.")
            % locked.get_state_display()
        )
    return locked


# --- Experts ------------------------------------------------------------------------------------


def conflict_organisations(file):
    """Organisations an expert of this file must not belong to: the applicant, the project's
    holders and the State services (DDT(M), DREAL) of its territory."""
    organisations = {file.application.organisation, *file.project.holders.all()}
    for commune in file.project.communes.all():
        organisations.update(state_contacts(commune))
    return organisations


def expert_conflicts(expert, file, organisations=None):
    """French reasons why `expert` may not assess `file` (empty when they may)."""
    organisations = conflict_organisations(file) if organisations is None else organisations
    conflicting = organisations & {
        m.organisation for m in expert.memberships.select_related("organisation")
    }
    name = expert.get_full_name() or expert.email
    reasons = [
        _(
            "%(name)s ne peut pas être expert de ce dossier : il ou elle appartient à "
            "« %(org)s », %(why)s."
        )
        % {"name": name, "org": org, "why": _why(org, file)}
        for org in sorted(conflicting, key=lambda o: o.name)
    ]
    if not expert.memberships.filter(role=Membership.Role.EXPERT).exists():
        reasons.append(_("%s n'a pas le rôle d'expert sur la plateforme.") % name)
    return reasons


def _why(organisation, file):
    if organisation.is_state_service:
        return _("service de l'État du territoire du projet")
    if organisation.pk == file.application.organisation_id:
        return _("organisation candidate")
    return _("porteuse du projet")


def eligible_experts(file):
    """Users with the expert role and no conflict with this file."""
    excluded = [o.pk for o in conflict_organisations(file)]
    return (
        get_user_model()
        .objects.filter(memberships__role=Membership.Role.EXPERT, is_active=True)
        .exclude(memberships__organisation_id__in=excluded)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


@transaction.atomic
def assign_experts(user, file, *, coordinator, second):
    """Programme managers assign two experts; the label expertise (an assessment) is opened
    for them, and the application moves under review."""
    file = _lock(file, "assign_experts")
    if not permissions.can_manage_campaign(user, file.campaign):
        raise PermissionDenied
    if coordinator is None or second is None or coordinator == second:
        raise ValidationError(_("Désignez deux experts différents : un coordinateur et un second."))
    organisations = conflict_organisations(file)
    problems = expert_conflicts(coordinator, file, organisations) + expert_conflicts(
        second, file, organisations
    )
    if problems:
        raise ValidationError(problems)
    if file.expertise_id is None:
        file.expertise = assessment_services.create_assessment(
            user, file.project, Assessment.Kind.LABEL_EXPERTISE,
            title=_("Expertise label — %(project)s (%(year)s)")
            % {"project": file.project, "year": file.campaign.year},
            lead_expert=coordinator, co_experts=[second],
        )  # fmt: skip
    else:
        assessment_services.set_experts(
            user, file.expertise, lead_expert=coordinator, co_experts=[second]
        )
    file.coordinator, file.second_expert = coordinator, second
    file.state = workflow.target("assign_experts")
    file.version += 1
    file.save()
    if file.application.state == ApplicationState.SUBMITTED:
        application_workflow.fire(user, file.application, "start_review")
    record(
        user, "label.experts_assigned",
        _("Experts désignés : %(c)s (coordinateur), %(s)s")
        % {"c": coordinator.get_full_name() or coordinator, "s": second.get_full_name() or second},
        targets=[file, file.project],
    )  # fmt: skip
    notifications.on_commit(
        notifications.user_emails(coordinator, second),
        _("Expertise label ÉcoQuartier : %s") % file.project,
        _("Vous êtes désigné(e) expert du dossier « %(file)s » : %(url)s")
        % {"file": file, "url": notifications.url(file.get_absolute_url())},
    )
    return file


@transaction.atomic
def schedule_visit(user, file, visit_on):
    file = _lock(file, "schedule_visit")
    if not permissions.is_file_expert(user, file):
        raise PermissionDenied
    file.visit_on = visit_on
    file.version += 1
    file.save(update_fields=["visit_on", "version"])
    record(
        user, "label.visit_scheduled",
        _("Visite de site prévue le %s") % visit_on.strftime("%d/%m/%Y"),
        targets=[file, file.project],
    )  # fmt: skip
    notifications.on_commit(
        notifications.holder_emails(file.project),
        _("Visite de site ÉcoQuartier le %s") % visit_on.strftime("%d/%m/%Y"),
        _("Les experts du label visiteront « %(project)s » le %(date)s.")
        % {"project": file.project, "date": visit_on.strftime("%d/%m/%Y")},
    )
    return file


@transaction.atomic
def give_opinion(user, file, *, verdict, opinion):
    """The coordinator closes the expertise with the experts' opinion; the expertise itself
    (the assessment) must have been submitted first."""
    file = _lock(file, "give_opinion")
    if not permissions.is_coordinator(user, file):
        raise PermissionDenied
    problems = []
    expertise_status = (
        Assessment.objects.filter(pk=file.expertise_id).values_list("status", flat=True).first()
    )
    if expertise_status not in (Assessment.Status.SUBMITTED, Assessment.Status.VALIDATED):
        problems.append(
            _("Soumettez d'abord l'expertise label (l'évaluation) avant de rendre l'avis.")
        )
    if file.visit_on is None:
        problems.append(_("Indiquez la date de la visite de site."))
    if verdict not in LabelFile.Verdict.values:
        problems.append(_("Choisissez un avis."))
    if not opinion.strip():
        problems.append(_("Motivez l'avis des experts."))
    if problems:
        raise ValidationError(problems)
    file.opinion_verdict, file.opinion = verdict, opinion
    file.state = workflow.target("give_opinion")
    file.version += 1
    file.save()
    record(
        user, "label.expertise_done",
        _("Expertise rendue, avis %s") % LabelFile.Verdict(verdict).label.lower(),
        targets=[file, file.project],
    )  # fmt: skip
    return file


# --- Commissions ------------------------------------------------------------------------------


@transaction.atomic
def open_session(user, campaign, *, level, organisation, held_on, members):
    session = CommissionSession(
        campaign=campaign, level=level, organisation=organisation, held_on=held_on,
        members=members, created_by=user,
    )  # fmt: skip
    if not permissions.runs_session(user, session):
        raise PermissionDenied
    if not members.strip():
        raise ValidationError(_("Indiquez les membres de la commission."))
    session.save()
    record(user, "label.session_opened", str(session), targets=[session, campaign])
    if session.is_national:
        settle_local_outcomes(user, campaign)
    return session


# Local outcomes that end the file for this campaign, and the application decision they make.
SETTLED = {FileState.NOT_PROPOSED: "reject", FileState.ADJOURNED: "wait_list"}


def settle_local_outcomes(user, campaign):
    """Close the applications of files a local commission did not propose: only the campaign's
    managers may decide on applications, so this runs when they open the national session. An
    adjourned file goes on the waiting list (it may apply again next campaign)."""
    files = LabelFile.objects.filter(
        campaign=campaign, state__in=list(SETTLED),
        application__state=ApplicationState.UNDER_REVIEW,
    ).select_related("application")  # fmt: skip
    for file in files:
        local = file.deliberations.filter(session__level="local").order_by("-pk").first()
        reason = local.motivation if local else str(file.get_state_display())
        application_workflow.fire(user, file.application, SETTLED[file.state], reason=reason)
    return len(files)


def agenda(session):
    """The files a session decides on: expertise done in the service's territory (local), or
    proposed by a local commission (national); files it already decided stay listed."""
    if session.is_national:
        waiting = Q(state=FileState.PROPOSED)
    else:
        waiting = Q(
            state=FileState.EXPERTISE_DONE,
            application__territory__in=TerritoryAncestor.objects.filter(
                ancestor_id=session.organisation.territory_id
            ).values("descendant_id"),
        )
    decided = Q(pk__in=Deliberation.objects.filter(session=session).values("file_id"))
    return (
        LabelFile.objects.filter(waiting | decided, campaign=session.campaign)
        .select_related("project", "target_stage", "region", "application__organisation")
        .order_by("project__name", "pk")
    )


@transaction.atomic
def deliberate(user, session, file, *, outcome, motivation, support_offer="",
               support_provider="", decision_reference=""):  # fmt: skip
    """Record a session's decision on one file of its agenda, and its effects."""
    if not permissions.runs_session(user, session):
        raise PermissionDenied
    national = session.is_national
    file = _lock(file, "award" if national else "propose")
    if not national and not permissions.file_in_territory(file, session.organisation.territory_id):
        raise PermissionDenied
    allowed = Deliberation.NATIONAL_OUTCOMES if national else Deliberation.LOCAL_OUTCOMES
    problems = []
    if outcome not in allowed:
        problems.append(_("Cette décision n'appartient pas à cette commission."))
    if not motivation.strip():
        problems.append(_("Motivez la décision."))
    if outcome == Deliberation.Outcome.ADJOURN and not (
        support_offer.strip() and support_provider.strip()
    ):
        problems.append(_("Un ajournement précise l'accompagnement proposé et qui l'assure."))
    if problems:
        raise ValidationError(problems)
    deliberation = Deliberation.objects.create(
        session=session, file=file, outcome=outcome, motivation=motivation,
        support_offer=support_offer, support_provider=support_provider,
        decision_reference=decision_reference, decided_by=user,
    )  # fmt: skip
    file.state = workflow.target(outcome)
    file.version += 1
    file.save(update_fields=["state", "version"])
    record(
        user, f"label.{outcome}",
        _("%(session)s : %(outcome)s")
        % {"session": session.get_level_display(), "outcome": deliberation.get_outcome_display()},
        targets=[file, file.project, session], reason=motivation,
    )  # fmt: skip
    if national:
        _apply_national(user, session, file, deliberation)
    else:
        notifications.on_commit(
            notifications.holder_emails(file.project) + notifications.user_emails(*_managers(file)),
            _("Commission locale ÉcoQuartier : %s") % file.project,
            _("La commission locale a décidé : %(outcome)s.\n\n%(motivation)s")
            % {"outcome": deliberation.get_outcome_display(), "motivation": motivation},
        )
    return deliberation


def _managers(file):
    from ecoquartier.calls.permissions import programme_managers

    return list(programme_managers(file.campaign.call.programme))


def _apply_national(user, session, file, deliberation):
    """Award: the label history, the application selected, the authority told with its
    certificate link. Otherwise the application is not selected."""
    awarded = deliberation.outcome == Deliberation.Outcome.AWARD
    action = "select" if awarded else "reject"
    application_workflow.fire(user, file.application, action, reason=deliberation.motivation)
    if not awarded:
        notifications.on_commit(
            notifications.holder_emails(file.project),
            _("Label ÉcoQuartier : décision de la commission nationale"),
            _("La commission nationale n'a pas attribué le label à « %(project)s ».\n\n%(m)s")
            % {"project": file.project, "m": deliberation.motivation},
        )
        return None
    reference = deliberation.decision_reference or f"CNEQ-{file.campaign.year}-{file.pk:04d}"
    step = record_step(
        user, file.project, file.target_stage, decided_on=session.held_on,
        deciding_body=NATIONAL_BODY, reference=reference, year=file.campaign.year, file=file,
    )  # fmt: skip
    notifications.on_commit(
        notifications.holder_emails(file.project),
        _("Votre projet obtient le label « %s »") % file.target_stage.name,
        _(
            "La commission nationale a attribué le label « %(stage)s » (%(year)s) au projet "
            "« %(project)s ». Attestation : %(url)s"
        )
        % {
            "stage": file.target_stage.name, "year": step.year, "project": file.project,
            "url": notifications.url(step.certificate_url()),
        },
    )  # fmt: skip
    return step


@transaction.atomic
def save_minutes(user, session, minutes):
    if not permissions.runs_session(user, session):
        raise PermissionDenied
    session.minutes = minutes
    session.save(update_fields=["minutes"])
    record(user, "label.minutes_saved", _("Compte rendu enregistré"), targets=[session])
    return session


# --- Use phase (F-43) ------------------------------------------------------------------------


def send_due_reminders(today=None):
    """Claim each due reminder once (a conditional UPDATE: of two runs, one wins), open the
    use-phase evaluation and e-mail the holders. Returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for reminder_id in UsePhaseReminder.objects.filter(
        due_on__lte=today, sent_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = UsePhaseReminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if claimed:
                _open_use_phase(
                    UsePhaseReminder.objects.select_related("project").get(pk=reminder_id)
                )
                sent += 1
    return sent


def _open_use_phase(reminder):
    """The platform itself opens the evaluation: no user to check, so the assessment is
    created with the assessments app's own row builder."""
    project = reminder.project
    version = ReferentielVersion.objects.current()
    assessment = Assessment.objects.create(
        project=project, version=version, kind=Assessment.Kind.USE_PHASE,
        title=_("Évaluation en phase d'usage — %s") % project, assessed_on=timezone.localdate(),
    )  # fmt: skip
    assessment_services.create_rows(assessment, version)
    evaluation = UsePhaseEvaluation.objects.create(assessment=assessment, project=project)
    reminder.evaluation = evaluation
    reminder.save(update_fields=["evaluation"])
    record(
        None, "label.use_phase_opened",
        _("Trois ans après la livraison : évaluation en phase d'usage ouverte"),
        targets=[project, assessment],
    )  # fmt: skip
    notifications.on_commit(
        notifications.holder_emails(project),
        _("ÉcoQuartier : trois ans après la livraison, l'évaluation en phase d'usage"),
        _(
            "Le projet « %(project)s » a été labellisé « livré » il y a trois ans. Son évaluation "
            "en phase d'usage est ouverte : %(url)s"
        )
        % {"project": project, "url": notifications.url(evaluation.get_absolute_url())},
    )


@transaction.atomic
def save_use_phase(user, evaluation, data):
    evaluation = (
        UsePhaseEvaluation.objects.select_for_update()
        .select_related("assessment", "project")
        .get(pk=evaluation.pk)
    )
    if not permissions.can_edit_use_phase(user, evaluation):
        raise PermissionDenied
    if evaluation.assessment.status == Assessment.Status.VALIDATED:
        raise ValidationError(_("Cette évaluation est validée : elle ne se modifie plus."))
    changed = [f for f in UsePhaseEvaluation.FIELDS if getattr(evaluation, f) != data.get(f, "")]
    for name in changed:
        setattr(evaluation, name, data.get(name, ""))
    evaluation.save()
    if changed:
        record(
            user, "label.use_phase_saved", _("Évaluation en phase d'usage enregistrée"),
            targets=[evaluation.assessment, evaluation.project], changes={"fields": changed},
        )  # fmt: skip
    return evaluation
