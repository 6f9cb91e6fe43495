"""The acknowledgement of receipt of a submitted application (accusé de réception, issue 13):
call, applicant, project, date and time of the submission in Paris time, reference number,
documents received and next steps. Rendered on demand from what was submitted — the submission
time and the files uploaded before it — so it says the same thing whenever it is downloaded;
attached to the submission e-mail (notifying.py)."""

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from ecoquartier.applications.models import AnswerFile, FormField
from ecoquartier.calls.models import CallStep
from ecoquartier.core import pdf
from ecoquartier.core.models import TransitionLog


def filename(application):
    return f"accuse-de-reception-{application.reference}.pdf"


def documents(application):
    """(field label, file name) of each file received with a submission: uploaded before its
    step's answers were last submitted."""
    files = list(
        AnswerFile.objects.filter(
            answers__application=application,
            answers__submitted_at__isnull=False,
            uploaded_at__lte=F("answers__submitted_at"),
        )
        .order_by("answers__step__deadline", "pk")
        .values_list("answers__form_id", "key", "name")
    )
    labels = dict(
        FormField.objects.filter(
            section__form_id__in={form for form, _, _ in files},
            key__in={key for _, key, _ in files},
        ).values_list("key", "label")
    )
    return [(labels.get(key, key), name) for _, key, name in files]


def submitter(application):
    """Who submitted last (the transition log), or None."""
    log = (
        TransitionLog.objects.filter(
            workflow="application",
            object_id=str(application.pk),
            transition__in=("submit", "resubmit"),
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    return log.actor if log else None


def context(application):
    later_steps = CallStep.objects.filter(
        call_id=application.call_id, deadline__gt=application.step.deadline
    ).order_by("deadline")
    return {
        "application": application,
        "call": application.call,
        "project": application.project,
        "submitted_at": timezone.localtime(application.submitted_at),
        "submitter": submitter(application),
        "reference": application.reference,
        "documents": documents(application),
        "later_steps": list(later_steps[:10]),
        "url": settings.SITE_URL + application.get_absolute_url(),
        "platform_name": settings.PLATFORM_NAME,
    }


def render(application):
    return pdf.render("applications/pdf/receipt.html", context(application))
