"""What the label puts in a user's inbox (the dashboard's "À faire", core.extensions.tasks): label
files to expertise (the two experts of each), files waiting for their experts (the campaign's
managers) and commission sessions to prepare (those who run them). Each provider runs a fixed
number of queries whatever the data size."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ecoquartier.calls.permissions import managed_programmes
from ecoquartier.core.extensions import Task
from ecoquartier.labels import permissions
from ecoquartier.labels.models import AWAITING_EXPERTISE, CommissionSession, FileState, LabelFile
from ecoquartier.organisations.permissions import is_programme_manager


def _day(value):
    return date_format(value, "j F Y")


def files_to_expertise(user):
    if not user.is_authenticated:
        return
    found = LabelFile.objects.filter(
        Q(coordinator=user) | Q(second_expert=user), state__in=AWAITING_EXPERTISE
    ).aggregate(n=Count("pk"), first=Min("pk"), due=Min("campaign__expertise_step__deadline"))
    if not found["n"]:
        return
    if found["n"] == 1:
        url = reverse("labels:file", kwargs={"pk": found["first"]})
    else:
        url = reverse("labels:index") + "#expertises"
    due = found["due"]
    detail = _("expertise à rendre avant le %(day)s") % {"day": _day(due)} if due else ""
    yield Task(_("Dossiers de labellisation à expertiser"), found["n"], url, detail, due, 20)


def files_awaiting_experts(user):
    """Files of the campaigns `user` manages with no expert yet, per campaign."""
    if not is_programme_manager(user):
        return
    rows = (
        LabelFile.objects.filter(
            state=FileState.SUBMITTED,
            coordinator__isnull=True,
            campaign__call__programme__in=managed_programmes(user).values("pk"),
        )
        .values("campaign_id", "campaign__call__title")
        .annotate(n=Count("pk"))
        .order_by("campaign_id")
    )
    for row in rows:
        yield Task(
            _("Dossiers sans experts — %(campaign)s") % {"campaign": row["campaign__call__title"]},
            row["n"],
            reverse("labels:campaign", kwargs={"pk": row["campaign_id"]}),
            order=25,
        )


def sessions_to_prepare(user):
    """Commission sessions still to be held that `user` runs (local: their DDT(M)/DREAL;
    national: the campaigns they manage), per campaign."""
    if not user.is_authenticated:
        return
    sessions = CommissionSession.objects.filter(held_on__gte=timezone.localdate())
    if not user.is_superuser:
        local = [o.pk for o in permissions.commission_services(user)]
        condition = Q(level=CommissionSession.Level.LOCAL, organisation_id__in=local)
        if is_programme_manager(user):
            condition |= Q(
                level=CommissionSession.Level.NATIONAL,
                campaign__call__programme__in=managed_programmes(user).values("pk"),
            )
        elif not local:
            return
        sessions = sessions.filter(condition)
    rows = (
        sessions.values("campaign_id", "campaign__call__title")
        .annotate(n=Count("pk"), first=Min("pk"), due=Min("held_on"))
        .order_by("campaign_id")
    )
    for row in rows:
        if row["n"] == 1:
            url = reverse("labels:session", kwargs={"pk": row["first"]})
        else:
            url = reverse("labels:campaign", kwargs={"pk": row["campaign_id"]})
        yield Task(
            _("Commissions à préparer — %(campaign)s") % {"campaign": row["campaign__call__title"]},
            row["n"],
            url,
            _("prochaine séance le %(day)s") % {"day": _day(row["due"])},
            row["due"],
            30,
        )


def register():
    from ecoquartier.core.extensions import register_tasks

    register_tasks("labels.expertise", files_to_expertise, order=20)
    register_tasks("labels.experts", files_awaiting_experts, order=25)
    register_tasks("labels.sessions", sessions_to_prepare, order=30)
