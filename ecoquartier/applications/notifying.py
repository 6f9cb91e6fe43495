"""Who hears about an application, subscribed to the verbs the workflow and the services record
(ecoquartier.notifications, ADR 21). One rule per verb; the templates are in
templates/applications/notifications/."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ecoquartier.applications import letters, receipts
from ecoquartier.applications.models import (
    Application,
    CoApplicant,
    DecisionLetter,
    Message,
    Opinion,
)
from ecoquartier.calls.permissions import programme_managers
from ecoquartier.notifications.registry import Address, register
from ecoquartier.organisations.models import Membership, Organisation

APPLICANTS, INSTRUCTORS = "applicants", "instructors"

# Workflow verb → (the transition's action, for the template; who is told). Applicants hear of
# their submissions with the acknowledgement of receipt (RECEIPT_VERBS), and of decisions with
# the signed letter, when the jury sends it (`application.letter_sent`, letters.py).
TRANSITION_VERBS = {
    "application.submitted": ("submit", (INSTRUCTORS,)),
    "application.completion_requested": ("request_completion", (APPLICANTS,)),
    "application.resubmitted": ("resubmit", (INSTRUCTORS,)),
    "application.review_started": ("start_review", (APPLICANTS,)),
    "application.full_file_opened": ("invite_full_file", (APPLICANTS,)),
    "application.withdrawn": ("withdraw", (APPLICANTS, INSTRUCTORS)),
    "application.dismissed": ("dismiss", (APPLICANTS,)),
}
RECEIPT_VERBS = ("application.submitted", "application.resubmitted")


def applicants(application):
    """Members of the applying organisation and co-applicants who accepted."""
    return (
        get_user_model()
        .objects.filter(
            Q(memberships__organisation_id=application.organisation_id)
            | Q(
                co_applications__application=application,
                co_applications__accepted_at__isnull=False,
            ),
            is_active=True,
        )
        .distinct()
    )


def instructors(application):
    """The programme's managers and the State referents of the application's territory."""
    referents = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Membership.Role.STATE_REFERENT,
            memberships__organisation__kind__in=Organisation.STATE_KINDS,
            memberships__organisation__territory__descendant_links__descendant_id=application.territory_id,
        )
        .distinct()
    )
    return [*programme_managers(application.call.programme), *referents]


def _application(targets):
    return targets.get(
        Application,
        Application.objects.select_related("call__programme", "organisation", "step"),
    )


def _path(application):
    return reverse("applications:detail", kwargs={"pk": application.pk})


def _context(event, targets):
    application = _application(targets)
    return {
        "application": application,
        "action": TRANSITION_VERBS.get(event.verb, ("",))[0],
        "path": _path(application),
    }


def _parties(*audiences):
    def recipients(event, targets):
        application = _application(targets)
        people = []
        if APPLICANTS in audiences:
            people += applicants(application)
        if INSTRUCTORS in audiences:
            people += instructors(application)
        return people

    return recipients


def _receipt(event, targets):
    application = _application(targets)
    return [(receipts.filename(application), receipts.render(application), "application/pdf")]


def _letter(targets):
    return targets.get(DecisionLetter)


def _letter_context(event, targets):
    return {**_context(event, targets), "letter": _letter(targets)}


def _signed_letter(event, targets):
    letter = _letter(targets)
    with letter.file.open("rb") as stored:
        content = stored.read()
    return [(letters.filename(_application(targets)), content, "application/pdf")]


def _message(targets):
    return targets.get(Message, Message.objects.select_related("author"))


def _message_context(event, targets):
    return {**_context(event, targets), "message": _message(targets)}


def _message_attachment(event, targets):
    message = _message(targets)
    if not message.attachment:
        return []
    return [(message.attachment.name.rsplit("/", 1)[-1], message.attachment.read(), None)]


def _invited(event, targets):
    from ecoquartier.applications.services import invitation_token

    co = targets.get(CoApplicant)
    url = settings.SITE_URL + reverse("applications:accept", kwargs={"token": invitation_token(co)})
    return [Address(co.email, context={"co": co, "url": url})]


def _invitation_context(event, targets):
    # No in-app link: the invited person may have no account yet.
    return {"application": _application(targets)}


def _reminder_context(event, targets):
    application = _application(targets)
    return {
        **_context(event, targets),
        "days_left": event.changes.get("days_left", 1),
        "deadline": timezone.localtime(application.step.deadline),
    }


def _opinion(targets):
    return targets.get(Opinion, Opinion.objects.select_related("expert", "asked_by"))


def _asked(event, targets):
    """The person asked: their account, or (an outside expert) the address, with the signed
    link that binds the request to the account of that address."""
    from ecoquartier.applications.opinions import opinion_token

    opinion = _opinion(targets)
    if opinion.expert is not None:
        return [opinion.expert]
    path = reverse("applications:opinion_accept", kwargs={"token": opinion_token(opinion)})
    return [Address(opinion.email, context={"url": settings.SITE_URL + path, "outside": True})]


def _asker(event, targets):
    return [_opinion(targets).asked_by]


def _opinion_context(event, targets):
    application = _application(targets)
    return {
        "application": application,
        "opinion": _opinion(targets),
        "path": _path(application) + "#avis",
    }


def _assigned(event, targets):
    """The reviewers newly assigned to the file (services.assign_reviewers)."""
    return list(
        get_user_model().objects.filter(pk__in=event.changes.get("assigned", []), is_active=True)
    )


def _review_context(event, targets):
    application = _application(targets)
    return {"application": application, "path": reverse("applications:reviews")}


def register_rules():
    for verb, (_action, audiences) in TRANSITION_VERBS.items():
        register(
            verb,
            recipients=_parties(*audiences),
            template="applications/notifications/transition",
            context=_context,
        )
    for verb in RECEIPT_VERBS:
        register(
            verb,
            recipients=_parties(APPLICANTS),
            template="applications/notifications/receipt",
            context=_context,
            attachments=_receipt,
            exclude_actor=False,  # the person who submitted keeps the receipt too
        )
    register(
        "application.letter_sent",
        recipients=_parties(APPLICANTS),
        template="applications/notifications/letter",
        context=_letter_context,
        attachments=_signed_letter,
    )
    register(
        "application.message",
        recipients=_parties(APPLICANTS, INSTRUCTORS),
        template="applications/notifications/message",
        context=_message_context,
        attachments=_message_attachment,
    )
    register(
        "application.co_applicant_invited",
        recipients=_invited,
        template="applications/notifications/invitation",
        context=_invitation_context,
    )
    register(
        "application.interview_scheduled",
        recipients=_parties(APPLICANTS),
        template="applications/notifications/interview",
        context=_context,
        exclude_actor=False,
    )
    register(
        "application.reviewers_assigned",
        recipients=_assigned,
        template="applications/notifications/review_assigned",
        context=_review_context,
    )
    register(
        "application.deadline_reminder",
        recipients=_parties(APPLICANTS),
        template="applications/notifications/deadline_reminder",
        context=_reminder_context,
    )
    register(
        "application.opinion_requested",
        recipients=_asked,
        template="applications/notifications/opinion_requested",
        context=_opinion_context,
    )
    register(
        "application.opinion_given",
        recipients=_asker,
        template="applications/notifications/opinion_given",
        context=_opinion_context,
    )
