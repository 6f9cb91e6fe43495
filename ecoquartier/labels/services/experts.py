"""The two experts of a file, the visit and the opinion; the label expertise itself is an
assessment (assessments app). Who may be an expert of a file (role, conflicts of interest) is a
rule of labels/permissions.py (also exposed by labels.services)."""

from django.utils.translation import gettext as _

from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.assessments import services as assessment_services
from ecoquartier.assessments.models import Assessment
from ecoquartier.assessments.permissions import names_themself
from ecoquartier.core import workflows
from ecoquartier.labels.models import LabelFile
from ecoquartier.labels.permissions import conflict_organisations, expert_conflicts


def assign_experts(user, file, *, coordinator, second):
    """Programme managers assign two experts; the label expertise (an assessment) is opened
    for them, and the application moves under review (label workflow, `assign_experts`)."""
    return workflows.fire(file, "assign_experts", user, coordinator=coordinator, second=second)


def schedule_visit(user, file, visit_on):
    return workflows.fire(file, "schedule_visit", user, visit_on=visit_on)


def give_opinion(user, file, *, verdict, opinion):
    """The coordinator closes the expertise with the experts' opinion; the expertise itself
    (the assessment) must have been submitted first."""
    return workflows.fire(file, "give_opinion", user, verdict=verdict, opinion=opinion)


# --- Guards, checks and effects of the label workflow (labels/workflow.py) --------------------


def experts_fit(file, data):
    """Two different experts, not the actor, without a conflict of interest with the file."""
    coordinator, second = data["coordinator"], data["second"]
    if coordinator is None or second is None or coordinator == second:
        return _("Désignez deux experts différents : un coordinateur et un second.")
    if names_themself(data["actor"], [coordinator, second], file.expertise):
        return _("Vous ne pouvez pas vous désigner vous-même expert de ce dossier.")
    organisations = conflict_organisations(file)
    return expert_conflicts(coordinator, file, organisations) + expert_conflicts(
        second, file, organisations
    )


def open_expertise(file, user, data):
    coordinator, second = data["coordinator"], data["second"]
    if file.expertise_id is None:
        # The campaign's managers open it (the transition's permission), whether or not they
        # oversee the project's territory: this is the label workflow's own way of opening an
        # expertise.
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
    if file.application.state == ApplicationState.SUBMITTED:
        workflows.fire(file.application, "start_review", user)


def experts_assigned(file, data):
    coordinator, second = data["coordinator"], data["second"]
    return _("Experts désignés : %(c)s (coordinateur), %(s)s") % {
        "c": coordinator.get_full_name() or coordinator,
        "s": second.get_full_name() or second,
    }


def set_visit(file, user, data):
    visit_on = data["visit_on"]
    file.visit_on = visit_on


def visit_scheduled(file, data):
    return _("Visite de site prévue le %s") % data["visit_on"].strftime("%d/%m/%Y")


def expertise_ready(file, data):
    """Before the opinion: the expertise (an assessment) submitted and the visit done."""
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
    return problems


def opinion_given(file, data):
    problems = []
    if data["verdict"] not in LabelFile.Verdict.values:
        problems.append(_("Choisissez un avis."))
    if not data["opinion"].strip():
        problems.append(_("Motivez l'avis des experts."))
    return problems


def set_opinion(file, user, data):
    file.opinion_verdict, file.opinion = data["verdict"], data["opinion"]


def expertise_done(file, data):
    return _("Expertise rendue, avis %s") % LabelFile.Verdict(data["verdict"]).label.lower()
