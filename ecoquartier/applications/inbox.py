"""What applications put in a user's inbox (the dashboard's "À faire", core.extensions.tasks):
files to instruct per call, reviews to do, completion requests to answer, co-applicant
invitations to accept and draft applications whose step closes within 14 days. Each provider
runs a fixed number of queries whatever the data size (aggregates, never a row per object)."""

import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ecoquartier.applications.models import Application, CoApplicant, Review, State
from ecoquartier.applications.reads import instructed_calls
from ecoquartier.core.extensions import Task
from ecoquartier.organisations.permissions import organisation_ids

SOON = datetime.timedelta(days=14)


def _day(moment):
    return date_format(timezone.localtime(moment), "j F Y")


def to_instruct(user):
    for row in instructed_calls(user):
        if not row["waiting"]:
            continue
        yield Task(
            _("Candidatures à instruire — %(call)s") % {"call": row["title"]},
            row["waiting"],
            reverse("applications:dashboard", kwargs={"slug": row["slug"]}),
            ngettext("dont %(n)s nouvelle", "dont %(n)s nouvelles", row["new"]) % {"n": row["new"]}
            if row["new"]
            else "",
            order=10,
        )


def reviews_to_do(user):
    """Reviews assigned and not submitted (a declared conflict ends the task); due before the
    call's next step."""
    if not user.is_authenticated:
        return
    found = (
        Review.objects.filter(reviewer=user, submitted_at__isnull=True)
        .exclude(conflict=Review.Conflict.DECLARED)
        .aggregate(
            n=Count("pk", distinct=True),
            first=Min("pk"),
            due=Min(
                "application__call__steps__deadline",
                filter=Q(application__call__steps__deadline__gte=timezone.now()),
            ),
        )
    )
    if not found["n"]:
        return
    url = (
        reverse("applications:review", kwargs={"pk": found["first"]})
        if found["n"] == 1
        else reverse("applications:reviews")
    )
    detail = _("prochaine échéance : %(day)s") % {"day": _day(found["due"])} if found["due"] else ""
    yield Task(_("Évaluations à faire"), found["n"], url, detail, due=found["due"], order=20)


def _applied(user):
    """The applications `user` may edit as applicant (organisation or accepted co-applicant)."""
    return Application.objects.filter(
        Q(organisation_id__in=organisation_ids(user))
        | Q(
            pk__in=CoApplicant.objects.filter(
                user=user, accepted_at__isnull=False, role=CoApplicant.Role.EDIT
            ).values("application_id")
        )
    )


def _one_or_list(found, name):
    if found["n"] == 1:
        return reverse(name, kwargs={"pk": found["first"]})
    return reverse("applications:mine")


def completions_requested(user):
    if not user.is_authenticated:
        return
    found = (
        _applied(user)
        .filter(state=State.COMPLETION_REQUESTED)
        .aggregate(n=Count("pk"), first=Min("pk"))
    )
    if found["n"]:
        url = _one_or_list(found, "applications:detail")
        yield Task(_("Compléments demandés sur vos candidatures"), found["n"], url, order=15)


def invitations(user):
    """Co-applicant invitations sent to the user's address, not accepted yet."""
    if not user.is_authenticated:
        return
    n = CoApplicant.objects.filter(email__iexact=user.email, accepted_at__isnull=True).count()
    if n:
        url = reverse("applications:mine") + "#invitations"
        yield Task(_("Invitations à rejoindre une candidature"), n, url, order=30)


def deadlines(user):
    """Draft applications whose current step closes within 14 days."""
    if not user.is_authenticated:
        return
    now = timezone.now()
    found = (
        _applied(user)
        .filter(state=State.DRAFT, step__deadline__gte=now, step__deadline__lte=now + SOON)
        .aggregate(n=Count("pk"), first=Min("pk"), due=Min("step__deadline"))
    )
    if found["n"]:
        url = _one_or_list(found, "applications:detail")
        detail = _("date limite : %(day)s") % {"day": _day(found["due"])}
        yield Task(
            _("Candidatures à déposer dans les 14 jours"),
            found["n"],
            url,
            detail,
            due=found["due"],
            order=5,
        )


def register():
    from ecoquartier.core.extensions import register_tasks

    register_tasks("applications.instruct", to_instruct, order=10)
    register_tasks("applications.reviews", reviews_to_do, order=20)
    register_tasks("applications.completions", completions_requested, order=15)
    register_tasks("applications.invitations", invitations, order=30)
    register_tasks("applications.deadlines", deadlines, order=5)
