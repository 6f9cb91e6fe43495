"""E-mails to the parties of an application: one message per recipient, so nobody sees the
others' addresses. Called from tasks, after the transaction that caused them committed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from ecoquartier.applications import letters
from ecoquartier.applications.models import Application, CoApplicant, Message
from ecoquartier.calls.permissions import programme_managers
from ecoquartier.organisations.models import Membership, Organisation


def applicant_emails(application):
    User = get_user_model()
    users = User.objects.filter(
        Q(memberships__organisation_id=application.organisation_id)
        | Q(
            co_applications__application=application,
            co_applications__accepted_at__isnull=False,
        ),
        is_active=True,
    )
    return set(users.values_list("email", flat=True))


def instructor_emails(application):
    managers = set(programme_managers(application.call.programme).values_list("email", flat=True))
    referents = get_user_model().objects.filter(
        is_active=True,
        memberships__role=Membership.Role.STATE_REFERENT,
        memberships__organisation__kind__in=Organisation.STATE_KINDS,
        memberships__organisation__territory__descendant_links__descendant_id=application.territory_id,
    )
    return managers | set(referents.values_list("email", flat=True))


def _send(emails, subject, body, actor_email=None, attachments=()):
    messages = []
    for email in sorted(e for e in emails if e and e != actor_email):
        message = EmailMessage(subject, body, to=[email])
        for attachment in attachments:
            message.attach(*attachment)
        messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def _url(application):
    return settings.SITE_URL + reverse("applications:detail", kwargs={"pk": application.pk})


def _load(application_id):
    return Application.objects.select_related("call__programme", "organisation", "step").get(
        pk=application_id
    )


def send_transition_emails(application_id, action, actor_id, reason=""):
    from ecoquartier.applications.workflow import APPLICANTS, BY_ACTION, DECISIONS, INSTRUCTORS

    application = _load(application_id)
    transition = BY_ACTION[action]
    emails = set()
    if APPLICANTS in transition.notify:
        emails |= applicant_emails(application)
    if INSTRUCTORS in transition.notify:
        emails |= instructor_emails(application)
    actor = get_user_model().objects.filter(pk=actor_id).values_list("email", flat=True).first()
    context = {
        "application": application,
        "action": action,
        "reason": reason,
        "url": _url(application),
        "platform_name": settings.PLATFORM_NAME,
    }
    subject = render_to_string("applications/emails/transition_subject.txt", context).strip()
    body = render_to_string("applications/emails/transition_body.txt", context)
    attachments = []
    if action in DECISIONS:
        attachments.append(
            (letters.filename(application), letters.render(application), "application/pdf")
        )
    return _send(emails, subject, body, actor, attachments)


def send_message_email(message_id):
    message = Message.objects.select_related("application__call__programme", "author").get(
        pk=message_id
    )
    application = message.application
    emails = applicant_emails(application) | instructor_emails(application)
    context = {"message": message, "application": application, "url": _url(application)}
    body = render_to_string("applications/emails/message_body.txt", context)
    subject = _("Nouveau message sur la candidature « %s »") % application
    attachments = []
    if message.attachment:
        attachments.append(
            (message.attachment.name.rsplit("/", 1)[-1], message.attachment.read(), None)
        )
    return _send(
        emails, subject, body, message.author.email if message.author else None, attachments
    )


def send_invitation(co_applicant_id):
    from ecoquartier.applications.services import invitation_token

    co = CoApplicant.objects.select_related("application__call", "invited_by").get(
        pk=co_applicant_id
    )
    url = settings.SITE_URL + reverse("applications:accept", kwargs={"token": invitation_token(co)})
    context = {"co": co, "application": co.application, "url": url}
    body = render_to_string("applications/emails/invitation_body.txt", context)
    subject = _("Invitation à co-construire la candidature « %s »") % co.application
    return _send({co.email}, subject, body)


def send_interview_email(application_id):
    application = _load(application_id)
    context = {"application": application, "url": _url(application)}
    body = render_to_string("applications/emails/interview_body.txt", context)
    subject = _("Entretien proposé pour la candidature « %s »") % application
    return _send(applicant_emails(application), subject, body)


def send_to(emails, subject, body):
    """One e-mail per address (for the platform's own messages, such as deadline reminders)."""
    return _send(emails, subject, body)


def application_url(application):
    return _url(application)
