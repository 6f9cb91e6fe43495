"""The two experts of a file, the visit and the opinion; the label expertise itself is an
assessment (assessments app). Who may be an expert of a file (role, conflicts of interest) is a
rule of labels/permissions.py (also exposed by labels.services)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecoquartier.applications import workflow as application_workflow
from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.assessments import services as assessment_services
from ecoquartier.assessments.models import Assessment
from ecoquartier.assessments.permissions import names_themself
from ecoquartier.core.activity import record
from ecoquartier.labels import permissions, workflow
from ecoquartier.labels.models import LabelFile
from ecoquartier.labels.permissions import (
    conflict_organisations,
    expert_conflicts,
)
from ecoquartier.labels.services.campaigns import lock


@transaction.atomic
def assign_experts(user, file, *, coordinator, second):
    """Programme managers assign two experts; the label expertise (an assessment) is opened
    for them, and the application moves under review."""
    file = lock(file, "assign_experts")
    if not permissions.can_manage_campaign(user, file.campaign):
        raise PermissionDenied
    if coordinator is None or second is None or coordinator == second:
        raise ValidationError(_("Désignez deux experts différents : un coordinateur et un second."))
    if names_themself(user, [coordinator, second], file.expertise):
        raise ValidationError(_("Vous ne pouvez pas vous désigner vous-même expert de ce dossier."))
    organisations = conflict_organisations(file)
    problems = expert_conflicts(coordinator, file, organisations) + expert_conflicts(
        second, file, organisations
    )
    if problems:
        raise ValidationError(problems)
    if file.expertise_id is None:
        # The campaign's managers open it (checked above), whether or not they oversee the
        # project's territory: this is the label workflow's own way of opening an expertise.
        file.expertise = assessment_services.open_assessment(
            user, file.project, Assessment.Kind.LABEL_EXPERTISE,
            title=_("Expertise label — %(project)s (%(year)s)")
            % {"project": file.project, "year": file.campaign.year},
            lead_expert=coordinator, co_experts=[second],
        )  # fmt: skip
    else:
        assessment_services.name_experts(
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
    return file


@transaction.atomic
def schedule_visit(user, file, visit_on):
    file = lock(file, "schedule_visit")
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
    return file


@transaction.atomic
def give_opinion(user, file, *, verdict, opinion):
    """The coordinator closes the expertise with the experts' opinion; the expertise itself
    (the assessment) must have been submitted first."""
    file = lock(file, "give_opinion")
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
