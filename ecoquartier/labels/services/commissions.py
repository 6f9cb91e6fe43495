"""Local and national commission sessions, their decisions and the award."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.core import workflows
from ecoquartier.core.activity import record
from ecoquartier.labels import permissions
from ecoquartier.labels.models import (
    CommissionSession,
    Deliberation,
    FileState,
    LabelFile,
)
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
        settle_local_outcomes(user, campaign, session)
    return session


# Local outcomes that end the file for this campaign, and the application decision they make.
SETTLED = {FileState.NOT_PROPOSED: "reject", FileState.ADJOURNED: "wait_list"}


def settle_local_outcomes(user, campaign, session):
    """Close the applications of files a local commission did not propose: only the campaign's
    managers may decide on applications, so this runs when they open the national `session`
    (the commission deciding, as the applications workflow requires). An adjourned file goes on
    the waiting list (it may apply again next campaign)."""
    files = LabelFile.objects.filter(
        campaign=campaign, state__in=list(SETTLED),
        application__state=ApplicationState.UNDER_REVIEW,
    ).select_related("application")  # fmt: skip
    for file in files:
        local = file.deliberations.filter(session__level="local").order_by("-pk").first()
        reason = local.motivation if local else str(file.get_state_display())
        workflows.fire(
            file.application, SETTLED[file.state], user, comment=reason, commission=session
        )
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
    """Record a session's decision on one file of its agenda, and its effects: the outcome is
    the label workflow's transition (labels/workflow.py)."""
    if not permissions.runs_session(user, session):
        raise PermissionDenied
    national = session.is_national
    if not national and not permissions.file_in_territory(file, session.organisation.territory_id):
        raise PermissionDenied
    allowed = Deliberation.NATIONAL_OUTCOMES if national else Deliberation.LOCAL_OUTCOMES
    if outcome not in allowed:
        raise ValidationError(_("Cette décision n'appartient pas à cette commission."))
    file = workflows.fire(
        file, outcome, user, comment=motivation, session=session, outcome=outcome,
        support_offer=support_offer,
        support_provider=support_provider, decision_reference=decision_reference,
    )  # fmt: skip
    return file.deliberations.filter(session=session).latest("pk")


# --- Checks and effects of the commissions' transitions (labels/workflow.py) ------------------


def support_offered(file, data):
    if not (data["support_offer"].strip() and data["support_provider"].strip()):
        return _("Un ajournement précise l'accompagnement proposé et qui l'assure.")
    return None


def record_deliberation(file, user, data):
    data["deliberation"] = Deliberation.objects.create(
        session=data["session"], file=file, outcome=data["outcome"], motivation=data["comment"],
        support_offer=data["support_offer"], support_provider=data["support_provider"],
        decision_reference=data["decision_reference"], decided_by=user,
    )  # fmt: skip


def deliberated(file, data):
    return _("%(session)s : %(outcome)s") % {
        "session": data["session"].get_level_display(),
        "outcome": data["deliberation"].get_outcome_display(),
    }


def apply_national(file, user, data):
    """Award: the label history, the application selected, the authority told with its
    certificate link. Otherwise the application is not selected."""
    session, deliberation = data["session"], data["deliberation"]
    awarded = deliberation.outcome == Deliberation.Outcome.AWARD
    action = "select" if awarded else "reject"
    workflows.fire(
        file.application, action, user, comment=deliberation.motivation, commission=session
    )
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
