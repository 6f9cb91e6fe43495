"""Decision letters (issue 13): the jury prepares the letter of a decision (who signs, in what
capacity, the next steps), previews it, then signs and sends it. Only then do the applicants
receive it — by e-mail with the PDF attached (notifying.py, verb `application.letter_sent`) and
on the application's page. The PDF sent is stored as sent; a draft is rendered on demand and
marked as a preview.

Each decision has its own letter: a file placed on the waiting list, then selected, gets two.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.applications import permissions
from ecoquartier.applications.models import DECIDED_STATES, Application, DecisionLetter, State
from ecoquartier.calls.permissions import managed_calls
from ecoquartier.core import pdf
from ecoquartier.core.activity import record
from ecoquartier.core.extensions import Task

# The "next steps" a new letter starts with, per decision; the jury edits them.
DEFAULT_NEXT_STEPS = {
    State.SELECTED: gettext_lazy(
        "Les services de l'État prendront contact avec vous pour préciser l'accompagnement "
        "et ses modalités. Vous pouvez suivre votre dossier sur la plateforme."
    ),
    State.WAITING_LIST: gettext_lazy(
        "Votre candidature est placée en liste d'attente : vous serez informés si une place "
        "se libère. Aucune démarche n'est attendue de votre part d'ici là."
    ),
    State.NOT_SELECTED: gettext_lazy(
        "Les services de l'État de votre département restent à votre disposition pour "
        "échanger sur votre projet et préparer une prochaine candidature."
    ),
}


def filename(application):
    return f"decision-{slugify(application.title)[:60] or application.pk}.pdf"


def current(application):
    """The letter of the application's current decision, or None."""
    if not application.is_decided:
        return None
    return DecisionLetter.objects.filter(
        application=application, decision=application.state
    ).first()


def last_sent(application):
    """The latest letter sent to the applicants, or None."""
    return (
        DecisionLetter.objects.filter(application=application, sent_at__isnull=False)
        .order_by("-sent_at", "-pk")
        .first()
    )


def initial(user, application):
    """What a new letter's form starts with."""
    return {
        "signatory_name": user.get_full_name(),
        "signatory_role": "",
        "next_steps": str(DEFAULT_NEXT_STEPS.get(application.state, "")),
    }


def render(application, letter, *, preview=False):
    """The letter's PDF: dated the day it is sent (today for a preview)."""
    sent_at = letter.sent_at or timezone.now()
    context = {
        "application": application,
        "call": application.call,
        "letter": letter,
        "decision": letter.get_decision_display(),
        "date": timezone.localtime(sent_at).date(),
        "reference": application.reference,
        "preview": preview,
        "platform_name": settings.PLATFORM_NAME,
    }
    return pdf.render("applications/pdf/letter.html", context)


def _locked(user, application):
    """The application, locked, if `user` may sign its letters and it is decided."""
    if not permissions.can_sign_letters(user, application):
        raise PermissionDenied
    application = (
        Application.objects.select_for_update()
        .select_related("call__programme", "organisation")
        .get(pk=application.pk)
    )
    if not application.is_decided:
        raise ValidationError(_("Cette candidature n'a pas encore de décision à notifier."))
    return application


@transaction.atomic
def prepare(user, application, *, signatory_name, signatory_role, next_steps):
    """Write the draft letter of the current decision (created on first use)."""
    application = _locked(user, application)
    signatory_name, signatory_role = signatory_name.strip(), signatory_role.strip()
    if not signatory_name or not signatory_role:
        raise ValidationError(_("Indiquez le nom et la qualité du signataire."))
    letter, created = DecisionLetter.objects.get_or_create(
        application=application,
        decision=application.state,
        defaults={"signatory_name": signatory_name, "signatory_role": signatory_role},
    )
    if letter.is_sent:
        raise ValidationError(_("Le courrier de cette décision a déjà été envoyé."))
    letter.signatory_name, letter.signatory_role = signatory_name, signatory_role
    letter.next_steps = next_steps.strip()
    letter.prepared_by = user
    letter.version = 1 if created else letter.version + 1
    letter.save()
    record(
        user,
        "application.letter_prepared",
        _("Courrier de décision préparé pour « %s »") % application.title,
        targets=[application],
    )
    return letter


@transaction.atomic
def send(user, application, *, version):
    """Sign and send the draft exactly as previewed (`version`): stored, then e-mailed to the
    applicants on commit."""
    application = _locked(user, application)
    letter = (
        DecisionLetter.objects.select_for_update()
        .filter(application=application, decision=application.state)
        .first()
    )
    if letter is None:
        raise ValidationError(_("Préparez et prévisualisez le courrier avant de l'envoyer."))
    if letter.is_sent:
        raise ValidationError(_("Le courrier de cette décision a déjà été envoyé."))
    if letter.version != version:
        raise ValidationError(
            _("Le courrier a changé depuis votre aperçu : relisez-le avant de l'envoyer.")
        )
    letter.sent_at, letter.sent_by = timezone.now(), user
    letter.file.save(filename(application), ContentFile(render(application, letter)), save=False)
    letter.save()
    record(
        user,
        "application.letter_sent",
        _("Courrier de décision envoyé pour « %(title)s » (signé par %(name)s, %(role)s)")
        % {
            "title": application.title,
            "name": letter.signatory_name,
            "role": letter.signatory_role,
        },
        targets=[application, letter],
    )
    return letter


# --- The jury's inbox ---------------------------------------------------------------------------

INBOX_CALLS = 10


def unsent(queryset):
    """The decided applications of `queryset` whose current decision's letter is not sent."""
    sent = DecisionLetter.objects.filter(
        application=OuterRef("pk"), decision=OuterRef("state"), sent_at__isnull=False
    )
    return queryset.filter(state__in=DECIDED_STATES).exclude(Exists(sent))


def inbox(user):
    """One task per call the user manages with letters waiting to be signed: one query."""
    if not user.is_authenticated:
        return []
    rows = (
        unsent(Application.objects.filter(call__in=managed_calls(user)))
        .values("call__slug", "call__title")
        .annotate(n=Count("pk"))
        .order_by("call__title")[:INBOX_CALLS]
    )
    return [
        Task(
            _("Courriers de décision à signer — %s") % row["call__title"],
            row["n"],
            reverse("applications:deliberation", kwargs={"slug": row["call__slug"]}),
            detail=_("à relire, signer et envoyer"),
            order=40,
        )
        for row in rows
    ]
