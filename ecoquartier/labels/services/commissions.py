"""Local and national commission sessions, their decisions and the award."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ecoquartier.applications import workflow as application_workflow
from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.core.activity import record
from ecoquartier.labels import permissions, workflow
from ecoquartier.labels.models import (
    CommissionSession,
    Deliberation,
    FileState,
    LabelFile,
)
from ecoquartier.labels.services.campaigns import lock
from ecoquartier.labels.services.history import NATIONAL_BODY, record_step
from ecoquartier.territories.models import TerritoryAncestor


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
    file = lock(file, "award" if national else "propose")
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
    return deliberation


def _apply_national(user, session, file, deliberation):
    """Award: the label history, the application selected, the authority told with its
    certificate link. Otherwise the application is not selected."""
    awarded = deliberation.outcome == Deliberation.Outcome.AWARD
    action = "select" if awarded else "reject"
    application_workflow.fire(user, file.application, action, reason=deliberation.motivation)
    if not awarded:
        return None
    reference = deliberation.decision_reference or f"CNEQ-{file.campaign.year}-{file.pk:04d}"
    step = record_step(
        user, file.project, file.target_stage, decided_on=session.held_on,
        deciding_body=NATIONAL_BODY, reference=reference, year=file.campaign.year, file=file,
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
