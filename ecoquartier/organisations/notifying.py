"""Who is told about changes to an organisation (ecoquartier.notifications, ADR 21): the
invited address gets its link; a service's referents (or its contact address) get the messages
written to it."""

from django.conf import settings
from django.urls import reverse

from ecoquartier.notifications.registry import Address, register
from ecoquartier.organisations.models import ContactMessage, Invitation, Membership, Organisation
from ecoquartier.organisations.services import contact_recipients, invitation_token


def _invited(event, targets):
    invitation = targets.get(Invitation, Invitation.objects.select_related("organisation"))
    if invitation is None or invitation.accepted_at or invitation.cancelled_at:
        return []
    path = reverse("organisations:invitation", kwargs={"token": invitation_token(invitation)})
    url = settings.SITE_URL.rstrip("/") + path
    return [Address(invitation.email, context={"invitation": invitation, "url": url})]


def _admins(event, targets):
    organisation = targets.get(Organisation)
    if organisation is None:
        return []
    return [
        m.user
        for m in Membership.objects.filter(organisation=organisation, is_admin=True).select_related(
            "user"
        )
    ]


def _service(event, targets):
    message = targets.get(ContactMessage, ContactMessage.objects.select_related("organisation"))
    if message is None:
        return []
    people = contact_recipients(message.organisation)
    return people or [Address(message.organisation.email)]


def _message_context(event, targets):
    message = targets.get(ContactMessage, ContactMessage.objects.select_related("sender"))
    sender = message.sender
    headers = {"Reply-To": sender.email} if sender is not None and sender.email else {}
    return {"message": message, "sender": sender, "headers": headers}


def _organisation_path(event, targets):
    organisation = targets.get(Organisation)
    return organisation.get_absolute_url() if organisation else ""


def register_rules():
    for verb in ("organisation.member_invited", "organisation.invitation_resent"):
        register(verb, recipients=_invited, template="organisations/notifications/invitation")
    register("organisation.member_joined", recipients=_admins, url=_organisation_path)
    register(
        "organisation.contacted",
        recipients=_service,
        template="organisations/notifications/contact",
        context=_message_context,
    )
