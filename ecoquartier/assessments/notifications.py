"""E-mails sent when an assessment changes status. One message per recipient: addresses of the
other people involved are never disclosed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from ecoquartier.assessments.models import Assessment
from ecoquartier.organisations.models import Membership, Organisation


def state_referents(project):
    """State referents whose territory contains one of the project's communes."""
    return get_user_model().objects.filter(
        memberships__role=Membership.Role.STATE_REFERENT,
        memberships__organisation__kind__in=Organisation.STATE_KINDS,
        memberships__organisation__territory__descendant_links__descendant__projects=project,
    )


def recipients(assessment, transition_name, actor_id):
    people = {assessment.created_by, assessment.lead_expert, *assessment.co_experts.all()}
    if transition_name == "submit":
        # Submission is when the territory's State referents hear about the assessment.
        people.update(state_referents(assessment.project))
    return sorted(
        {p.email for p in people if p is not None and p.email and p.pk != actor_id and p.is_active}
    )


def send_transition_emails(assessment_id, transition_name, actor_id, reason=""):
    assessment = (
        Assessment.objects.select_related("project", "lead_expert", "created_by")
        .prefetch_related("co_experts")
        .get(pk=assessment_id)
    )
    context = {
        "assessment": assessment,
        "transition": transition_name,
        "reason": reason,
        "url": settings.SITE_URL + reverse("assessments:detail", kwargs={"pk": assessment.pk}),
        "platform_name": settings.PLATFORM_NAME,
    }
    subject = render_to_string("assessments/emails/transition_subject.txt", context).strip()
    body = render_to_string("assessments/emails/transition_body.txt", context)
    messages = [
        EmailMessage(subject, body, to=[email])
        for email in recipients(assessment, transition_name, actor_id)
    ]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
