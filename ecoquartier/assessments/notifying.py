"""Who hears about an assessment's status (ecoquartier.notifications, ADR 21): its author and
experts, and on submission the State referents of the project's territory."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from ecoquartier.assessments.models import Assessment
from ecoquartier.notifications.registry import register
from ecoquartier.organisations.models import Membership, Organisation

# Workflow verb → the transition's name, which the templates word.
TRANSITION_VERBS = {
    "assessment.submitted": "submit",
    "assessment.validated": "validate",
    "assessment.reopened": "reopen",
}


def state_referents(project):
    """State referents whose territory contains one of the project's communes."""
    return (
        get_user_model()
        .objects.filter(
            memberships__role=Membership.Role.STATE_REFERENT,
            memberships__organisation__kind__in=Organisation.STATE_KINDS,
            memberships__organisation__territory__descendant_links__descendant__projects=project,
        )
        .distinct()
    )


def _assessment(targets):
    return targets.get(
        Assessment,
        Assessment.objects.select_related("project", "lead_expert", "created_by").prefetch_related(
            "co_experts"
        ),
    )


def _recipients(event, targets):
    assessment = _assessment(targets)
    people = [assessment.created_by, assessment.lead_expert, *assessment.co_experts.all()]
    if event.verb == "assessment.submitted":
        # Submission is when the territory's State referents hear about the assessment.
        people += state_referents(assessment.project)
    return people


def _context(event, targets):
    assessment = _assessment(targets)
    return {
        "assessment": assessment,
        "transition": TRANSITION_VERBS[event.verb],
        "path": reverse("assessments:detail", kwargs={"pk": assessment.pk}),
    }


def register_rules():
    for verb in TRANSITION_VERBS:
        register(
            verb,
            recipients=_recipients,
            template="assessments/notifications/transition",
            context=_context,
        )
