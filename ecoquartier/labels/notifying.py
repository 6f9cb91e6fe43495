"""Who hears about label events (ecoquartier.notifications, ADR 21): the project's holders, the
State referents of its territory, the experts named, the programme's managers. Templates are in
templates/labels/notifications/."""

from django.contrib.auth import get_user_model

from ecoquartier.labels.models import (
    Charter,
    CommissionSession,
    Deliberation,
    LabelFile,
    LabelStep,
    UsePhaseEvaluation,
)
from ecoquartier.notifications.registry import register
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.projects.models import Project

T = "labels/notifications/"


def holders(project):
    return (
        get_user_model()
        .objects.filter(memberships__organisation__held_projects=project, is_active=True)
        .distinct()
    )


def referents(project):
    """State referents whose territory contains one of the project's communes."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Membership.Role.STATE_REFERENT,
            memberships__organisation__kind__in=Organisation.STATE_KINDS,
            memberships__organisation__territory__descendant_links__descendant__projects=project,
        )
        .distinct()
    )


def managers(file):
    from ecoquartier.calls.permissions import programme_managers

    return list(programme_managers(file.campaign.call.programme))


def _file(targets):
    return targets.get(
        LabelFile,
        LabelFile.objects.select_related(
            "project", "target_stage", "coordinator", "second_expert", "campaign__call__programme"
        ),
    )


def _charter(targets):
    return targets.get(Charter, Charter.objects.select_related("project", "organisation", "scheme"))


def _file_context(event, targets):
    file = _file(targets)
    return {"file": file, "path": file.get_absolute_url()}


def _file_holders(event, targets):
    return holders(_file(targets).project)


def _experts(event, targets):
    file = _file(targets)
    return [file.coordinator, file.second_expert]


def _charter_context(event, targets):
    charter = _charter(targets)
    return {
        "charter": charter,
        "stage": charter.scheme.first_stage(),
        "path": charter.get_absolute_url(),
    }


def _use_phase_context(event, targets):
    project = targets.get(Project)
    evaluation = UsePhaseEvaluation.objects.filter(assessment_id=_assessment_id(targets)).first()
    return {"project": project, "path": evaluation.get_absolute_url() if evaluation else ""}


def _assessment_id(targets):
    from ecoquartier.assessments.models import Assessment

    return targets.pk(Assessment)


def _deliberation_context(event, targets):
    file = _file(targets)
    deliberation = (
        Deliberation.objects.filter(file=file, session_id=targets.pk(CommissionSession))
        .order_by("-pk")
        .first()
    )
    return {"file": file, "deliberation": deliberation, "path": file.get_absolute_url()}


def _award_context(event, targets):
    file = _file(targets)
    step = LabelStep.objects.filter(file=file, stage=file.target_stage).first()
    return {"file": file, "step": step, "path": step.certificate_url() if step else ""}


def register_rules():
    def rule(verb, template, recipients, context):
        # Everyone concerned hears, the actor included, as before the registry.
        register(verb, recipients=recipients, template=T + template, context=context,
                 exclude_actor=False)  # fmt: skip

    rule("label.experts_assigned", "experts_assigned", _experts, _file_context)
    rule("label.visit_scheduled", "visit_scheduled", _file_holders, _file_context)
    rule(
        "label.charter_signed", "charter_signed",
        lambda event, targets: referents(_charter(targets).project), _charter_context,
    )  # fmt: skip
    rule(
        "label.charter_acknowledged", "charter_acknowledged",
        lambda event, targets: holders(_charter(targets).project), _charter_context,
    )  # fmt: skip
    rule(
        "label.use_phase_opened", "use_phase_opened",
        lambda event, targets: holders(targets.get(Project)), _use_phase_context,
    )  # fmt: skip
    for outcome in Deliberation.LOCAL_OUTCOMES:
        rule(
            f"label.{outcome}", "local_decision",
            lambda event, targets: [*_file_holders(event, targets), *managers(_file(targets))],
            _deliberation_context,
        )  # fmt: skip
    rule(f"label.{Deliberation.Outcome.NOT_AWARD}", "not_awarded", _file_holders, _file_context)
    rule(f"label.{Deliberation.Outcome.AWARD}", "awarded", _file_holders, _award_context)
