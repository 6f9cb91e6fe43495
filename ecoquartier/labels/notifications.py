"""Who hears about label events, and the e-mails themselves (one message per recipient)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from ecoquartier.organisations.models import Membership, Organisation


def holder_emails(project):
    users = get_user_model().objects.filter(
        memberships__organisation__held_projects=project, is_active=True
    )
    return sorted(set(users.values_list("email", flat=True)))


def referent_emails(project):
    """State referents whose territory contains one of the project's communes."""
    users = get_user_model().objects.filter(
        is_active=True,
        memberships__role=Membership.Role.STATE_REFERENT,
        memberships__organisation__kind__in=Organisation.STATE_KINDS,
        memberships__organisation__territory__descendant_links__descendant__projects=project,
    )
    return sorted(set(users.values_list("email", flat=True)))


def user_emails(*users):
    return sorted({u.email for u in users if u is not None and u.email})


def send(recipients, subject, body):
    messages = [EmailMessage(subject, body, to=[email]) for email in sorted(set(recipients))]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


def on_commit(recipients, subject, body):
    """Queue the e-mails once the transaction that caused them has committed."""
    from ecoquartier.labels.tasks import send_email

    recipients, subject, body = list(recipients), str(subject), str(body)
    if recipients:
        transaction.on_commit(lambda: send_email.enqueue(recipients, subject, body))


def url(path):
    return settings.SITE_URL + path
