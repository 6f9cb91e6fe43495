"""The programme dashboard (issue 14, deliverable 7): every follow-up a user may see with its days
used against its budget, the forecast end of the budget at the current pace, its late
deliverables, its instalments waiting for a decision and whether its convention is signed.

The counts are correlated subqueries annotated on the follow-ups: the page reads its rows in ONE
query whatever their number (plus the paginator's COUNT); exports read the filtered rows the same
way. Forecasts are computed in Python from the row's own columns (`forecast`)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.core.reference import ReferenceList
from ecoquartier.core.spreadsheets import csv_bytes, xlsx_bytes
from ecoquartier.followup import burndown, cached, permissions
from ecoquartier.followup.models import (
    Convention,
    ConventionState,
    Deliverable,
    DeliverableState,
    FollowUp,
    Instalment,
)
from ecoquartier.territories.models import Territory

WAITING = (Instalment.State.REQUESTED, Instalment.State.CHECKED, Instalment.State.APPROVED)
SIGNED = (ConventionState.SIGNED, ConventionState.IN_FORCE, ConventionState.AMENDED,
          ConventionState.CLOSED)  # fmt: skip

# The région filter's choices, cached (core/reference.py).
region_choices = ReferenceList(
    "followup:regions",
    lambda: list(
        Territory.objects.filter(kind="region").order_by("name").values_list("pk", "name")
    ),
    models=[Territory],
)


def forecast(starts_on, days_budget, days_used, today):
    """(days left, the day the budget runs out at the pace so far, or None): the days page's
    forecast (burndown.forecast) read from the row's own columns."""
    outlook = burndown.forecast(days_used, days_budget, starts_on, today)
    runs_out = outlook.on if outlook.kind == burndown.DATE else None
    return burndown.days_left(days_budget, days_used), runs_out


def annotated(queryset, today):
    """`queryset` of follow-ups with `deliverables_late`, `instalments_waiting`,
    `convention_state` (of the latest convention; None without one). Still one query."""
    late = (
        Deliverable.objects.filter(follow_up=OuterRef("pk"), due_on__lt=today)
        .exclude(state=DeliverableState.ACCEPTED)
        .order_by()
        .values("follow_up")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = (
        Instalment.objects.filter(grant__follow_up=OuterRef("pk"), state__in=WAITING)
        .order_by()
        .values("grant__follow_up")
        .annotate(n=Count("pk"))
        .values("n")
    )
    convention = (
        Convention.objects.filter(follow_up=OuterRef("pk")).order_by("-number").values("state")
    )
    return queryset.annotate(
        deliverables_late=Coalesce(Subquery(late[:1]), Value(0), output_field=IntegerField()),
        instalments_waiting=Coalesce(Subquery(waiting[:1]), Value(0), output_field=IntegerField()),
        convention_state=Subquery(convention[:1]),
    )


ORDER = ("project__name", "-starts_on", "pk")
RELATED = ("project", "programme", "beneficiary", "region")


def _narrowed(user, filters):
    queryset = permissions.visible_follow_ups(user)
    if filters.get("programme"):
        queryset = queryset.filter(programme_id=filters["programme"])
    if filters.get("region"):
        queryset = queryset.filter(region_id=filters["region"])
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    return queryset


def follow_ups(user, filters, today=None):
    """The follow-ups `user` may see, narrowed by `filters` (programme, region, state: a valid
    filter form's cleaned data), annotated and in the dashboard's order (the exports)."""
    today = today or timezone.localdate()
    queryset = _narrowed(user, filters).select_related(*RELATED)
    return annotated(queryset, today).order_by(*ORDER)


def listing(user, filters):
    """The pks of the same follow-ups in the same order: what the page paginates, so that the
    counts are computed for its rows only, not for every follow-up the user may see."""
    return _narrowed(user, filters).order_by(*ORDER).values_list("pk", flat=True)


def page_rows(pks, today=None, at=None):
    """The rows of the follow-ups `pks` in that order, each with its table row's HTML; cached
    by generation (cached.py, under `at`), so that a page read again reads none of its counts."""
    today = today or timezone.localdate()

    def compute(missing):
        queryset = annotated(
            FollowUp.objects.filter(pk__in=missing).select_related(*RELATED), today
        )
        computed = {}
        for follow_up in queryset:
            data = row(follow_up, today)
            data["html"] = render_to_string("followup/dashboard_row.html", {"row": data})
            computed[follow_up.pk] = data
        return computed

    found = cached.many("dashboard-row", list(pks), compute, at or cached.stamp(today))
    return [found[pk] for pk in pks if pk in found]


def row(follow_up, today):
    """What the table and the exports say of one annotated follow-up."""
    left, runs_out = forecast(
        follow_up.starts_on, follow_up.days_budget, follow_up.days_used, today
    )
    state = follow_up.convention_state
    return {
        "pk": follow_up.pk,
        "url": reverse("followup:detail", args=[follow_up.pk]),
        "title": follow_up.title,
        "project": follow_up.project.name,
        "beneficiary": follow_up.beneficiary.name,
        "programme": follow_up.programme.name,
        "region": follow_up.region.name if follow_up.region_id else "",
        "days_used": follow_up.days_used,
        "days_budget": follow_up.days_budget,
        "days_left": left,
        "ends_on": follow_up.ends_on,
        "forecast_end": runs_out,
        "runs_out_early": runs_out is not None and runs_out < follow_up.ends_on,
        "deliverables_late": follow_up.deliverables_late,
        "instalments_waiting": follow_up.instalments_waiting,
        "convention": str(ConventionState(state).label) if state else _("Aucune"),
        "convention_unsigned": state not in SIGNED,
        "state": follow_up.get_state_display(),
    }


def rows(queryset, today=None):
    today = today or timezone.localdate()
    return [row(follow_up, today) for follow_up in queryset]


# --- Exports -----------------------------------------------------------------------------------


def columns():
    return [
        _("Accompagnement"), _("Projet"), _("Collectivité"), _("Programme"), _("Région"),
        _("Jours consommés"), _("Jours prévus"), _("Jours restants"), _("Fin prévue"),
        _("Épuisement prévu des jours"), _("Livrables en retard"), _("Versements en attente"),
        _("Convention"), _("Convention non signée"), _("État"),
    ]  # fmt: skip


def export_values(data):
    return [
        data["title"], data["project"], data["beneficiary"], data["programme"], data["region"],
        data["days_used"], data["days_budget"], data["days_left"], data["ends_on"],
        data["forecast_end"], data["deliverables_late"], data["instalments_waiting"],
        data["convention"], _("oui") if data["convention_unsigned"] else _("non"), data["state"],
    ]  # fmt: skip


def to_csv(data_rows):
    return csv_bytes([columns(), *(export_values(data) for data in data_rows)])


def to_xlsx(data_rows):
    return xlsx_bytes(
        [columns(), *(export_values(data) for data in data_rows)], _("Accompagnements")
    )
