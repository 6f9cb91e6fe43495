"""Support days (issue 14, part 3): the activities the experts log on a follow-up, and the
expertise requests the authority files.

- `log_activity`, `change_activity`, `delete_activity`: plain functions, atomic, permission-checked
  (`permissions.can_log_activity` / `can_change_activity`), logged. Each keeps
  `FollowUp.days_used` right in the same transaction with an F() update (half-days / 2), under
  a lock of the follow-up's row.
- `ExpertiseRequest`'s states run on the workflow engine (`REQUEST`, below): filed by the
  beneficiary (`file_request`), accepted or declined with an answer by the coordinator
  (`accept_request`, `decline_request`), planned when an activity is logged for it.
- Notifications (`register_rules`, from `AppConfig.ready()`): the named experts hear of a new
  request, the requester of its answer and of its planning.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.core import workflows
from ecoquartier.core.activity import record
from ecoquartier.core.workflows import Transition
from ecoquartier.followup import burndown, permissions
from ecoquartier.followup.models import (
    Domain,
    ExpertiseRequest,
    FollowUp,
    SupportActivity,
)
from ecoquartier.notifications.registry import register
from ecoquartier.referentiel.models import Commitment

MAX_HALF_DAYS = 20  # one activity is at most ten days; longer work is logged day by day
ACTIVITY_FIELDS = (
    "date", "expert", "half_days", "domain", "kind", "commitments", "deliverable", "request",
    "notes",
)  # fmt: skip
RequestState = ExpertiseRequest.State


def days_text(half_days):
    """« 1,5 j » for three half-days."""
    days = Decimal(half_days) / 2
    return (f"{days:.1f}".rstrip("0").rstrip(".")).replace(".", ",") + " j"


def _locked(follow_up):
    return (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("programme", "project")
        .get(pk=follow_up.pk)
    )


def _check_open(follow_up):
    if follow_up.state == FollowUp.State.CLOSED:
        raise ValidationError(_("Cet accompagnement est clos : il ne change plus."))


def _add_days(follow_up, half_days):
    """The one place days_used moves: an F() update in the caller's transaction."""
    if half_days:
        FollowUp.objects.filter(pk=follow_up.pk).update(
            days_used=F("days_used") + Decimal(half_days) / 2
        )


def _validate(follow_up, values, current_request=None):
    """French errors by field for an activity's `values` (every field of ACTIVITY_FIELDS)."""
    errors = {}
    day = values["date"]
    if day is None or not follow_up.starts_on <= day <= follow_up.ends_on:
        errors["date"] = _(
            "La date doit être comprise dans la période de l'accompagnement, du %(start)s au "
            "%(end)s."
        ) % {
            "start": date_format(follow_up.starts_on, "j F Y"),
            "end": date_format(follow_up.ends_on, "j F Y"),
        }
    expert = values["expert"]
    if expert is None or not permissions.coordinates(expert, follow_up):
        errors["expert"] = _("Cette personne ne fait pas partie de l'équipe de l'accompagnement.")
    half_days = values["half_days"]
    if not isinstance(half_days, int) or not 1 <= half_days <= MAX_HALF_DAYS:
        errors["half_days"] = _("Une intervention compte de 1 à %(max)d demi-journées.") % {
            "max": MAX_HALF_DAYS
        }
    if values["domain"] not in Domain.values:
        errors["domain"] = _("Choisissez un domaine de la liste.")
    if values["kind"] not in SupportActivity.Kind.values:
        errors["kind"] = _("Choisissez un type d'intervention de la liste.")
    commitments = {c.pk for c in values["commitments"]}
    current = Commitment.objects.filter(pk__in=commitments, dimension__version__is_current=True)
    if commitments and current.count() != len(commitments):
        errors["commitments"] = _("Choisissez des engagements du référentiel en vigueur.")
    deliverable = values["deliverable"]
    if deliverable is not None and deliverable.follow_up_id != follow_up.pk:
        errors["deliverable"] = _("Ce livrable n'appartient pas à cet accompagnement.")
    request = values["request"]
    if request is not None and (
        request.follow_up_id != follow_up.pk
        or (
            request.state not in (RequestState.ACCEPTED, RequestState.PLANNED)
            and request.pk != getattr(current_request, "pk", None)
        )
    ):
        errors["request"] = _("Choisissez une demande acceptée de cet accompagnement.")
    if errors:
        raise ValidationError(errors)


def _plan(request, actor, activity):
    if request is not None and request.state == RequestState.ACCEPTED:
        workflows.fire(request, "plan", actor, activity=activity)


def _targets(activity, follow_up):
    return [activity, follow_up, follow_up.project]


@transaction.atomic
def log_activity(actor, follow_up, *, date, half_days, domain, kind, expert=None,
                 commitments=(), deliverable=None, request=None, notes=""):  # fmt: skip
    """Log what an expert did for the follow-up; returns the `SupportActivity`. An accepted
    request it serves becomes planned."""
    follow_up = _locked(follow_up)
    _check_open(follow_up)
    if not permissions.can_log_activity(actor, follow_up):
        raise PermissionDenied(
            _("Seuls les experts de l'accompagnement et ses gestionnaires consignent des jours.")
        )
    values = {
        "date": date, "expert": expert or actor, "half_days": half_days, "domain": domain,
        "kind": kind, "commitments": list(commitments), "deliverable": deliverable,
        "request": request, "notes": (notes or "").strip(),
    }  # fmt: skip
    _validate(follow_up, values)
    commitments = values.pop("commitments")
    activity = SupportActivity.objects.create(follow_up=follow_up, created_by=actor, **values)
    activity.commitments.set(commitments)
    _add_days(follow_up, half_days)
    _plan(request, actor, activity)
    record(
        actor, "followup.activity_logged",
        _("Intervention consignée : %(days)s, %(kind)s (%(domain)s)") % {
            "days": days_text(half_days), "kind": activity.get_kind_display(),
            "domain": activity.get_domain_display(),
        },
        targets=_targets(activity, follow_up),
    )  # fmt: skip
    return activity


def _activity(activity):
    return SupportActivity.objects.select_for_update(of=("self",)).get(pk=activity.pk)


@transaction.atomic
def change_activity(actor, activity, values):
    """Change an activity (`values`: any of ACTIVITY_FIELDS); days_used moves by the
    difference."""
    follow_up = _locked(activity.follow_up)
    activity = _activity(activity)
    _check_open(follow_up)
    if not permissions.can_change_activity(actor, activity, follow_up):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette intervention."))
    before = {name: getattr(activity, name) for name in ACTIVITY_FIELDS if name != "commitments"}
    before["commitments"] = list(activity.commitments.all())
    merged = {**before, **{k: v for k, v in values.items() if k in ACTIVITY_FIELDS}}
    merged["commitments"] = list(merged["commitments"])
    merged["notes"] = (merged["notes"] or "").strip()
    _validate(follow_up, merged, current_request=before["request"])
    changes = {
        name: [str(before[name]), str(merged[name])]
        for name in ACTIVITY_FIELDS
        if name != "commitments" and before[name] != merged[name]
    }
    if {c.pk for c in before["commitments"]} != {c.pk for c in merged["commitments"]}:
        changes["commitments"] = [
            sorted(c.number for c in before["commitments"]),
            sorted(c.number for c in merged["commitments"]),
        ]
    for name in ACTIVITY_FIELDS:
        if name != "commitments":
            setattr(activity, name, merged[name])
    activity.save()
    activity.commitments.set(merged["commitments"])
    _add_days(follow_up, merged["half_days"] - before["half_days"])
    _plan(merged["request"], actor, activity)
    record(
        actor, "followup.activity_changed",
        _("Intervention du %(date)s modifiée") % {"date": date_format(activity.date, "j F Y")},
        targets=_targets(activity, follow_up), changes=changes,
    )  # fmt: skip
    return activity


@transaction.atomic
def delete_activity(actor, activity):
    follow_up = _locked(activity.follow_up)
    activity = _activity(activity)
    _check_open(follow_up)
    if not permissions.can_change_activity(actor, activity, follow_up):
        raise PermissionDenied(_("Vous ne pouvez pas supprimer cette intervention."))
    half_days, day = activity.half_days, activity.date
    activity.delete()
    _add_days(follow_up, -half_days)
    record(
        actor, "followup.activity_deleted",
        _("Intervention du %(date)s supprimée (%(days)s)") % {
            "date": date_format(day, "j F Y"), "days": days_text(half_days),
        },
        targets=[follow_up, follow_up.project],
    )  # fmt: skip


def recount(follow_up):
    """The days of the follow-up's activities, summed (days_used must always equal it)."""
    half_days = SupportActivity.objects.filter(follow_up=follow_up).aggregate(
        total=Sum("half_days")
    )["total"]
    return Decimal(half_days or 0) / 2


# --- Expertise requests ---------------------------------------------------------------------


@transaction.atomic
def file_request(actor, follow_up, *, subject, domain, details="", wished_on=None):
    """The beneficiary (or a manager) asks the coordinator for expertise; returns the request."""
    follow_up = _locked(follow_up)
    _check_open(follow_up)
    if not permissions.can_request_expertise(actor, follow_up):
        raise PermissionDenied(
            _("Seule la collectivité accompagnée demande une expertise à l'accompagnement.")
        )
    errors = {}
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = _("Indiquez l'objet de la demande.")
    if domain not in Domain.values:
        errors["domain"] = _("Choisissez un domaine de la liste.")
    if wished_on is not None and not follow_up.starts_on <= wished_on <= follow_up.ends_on:
        errors["wished_on"] = _(
            "La date souhaitée doit être comprise dans la période de l'accompagnement."
        )
    if errors:
        raise ValidationError(errors)
    request = ExpertiseRequest.objects.create(
        follow_up=follow_up, subject=subject[:300], details=(details or "").strip(),
        domain=domain, wished_on=wished_on, requested_by=actor,
    )  # fmt: skip
    record(
        actor, "followup.expertise_requested",
        _("Demande d'expertise : %(subject)s") % {"subject": request.subject},
        targets=[request, follow_up, follow_up.project],
    )  # fmt: skip
    return request


def accept_request(actor, request, answer="", expected_version=None):
    return workflows.fire(
        request, "accept", actor, comment=(answer or "").strip(), expected_version=expected_version
    )


def decline_request(actor, request, answer, expected_version=None):
    return workflows.fire(
        request, "decline", actor, comment=(answer or "").strip(),
        expected_version=expected_version,
    )  # fmt: skip


def _answer(request, actor, data):
    if data["comment"]:
        request.answer = data["comment"][:2000]


def _follow_up_open(request, data):
    if request.follow_up.state == FollowUp.State.CLOSED:
        return _("Cet accompagnement est clos.")
    return None


def _coordinates(user, request):
    """Who answers and plans (whether the follow-up is still open is a guard: its reason is
    said)."""
    return permissions.coordinates(user, request.follow_up)


def _summary(verb_label):
    return lambda request, data: verb_label % {"subject": request.subject}


TRANSITIONS = (
    Transition(
        "accept", gettext_lazy("Accepter"), (RequestState.SUBMITTED,), RequestState.ACCEPTED,
        _coordinates, "followup.expertise_accepted", guards=(_follow_up_open,),
        effects=(_answer,), style="primary",
        summary=_summary(gettext_lazy("Demande d'expertise acceptée : %(subject)s")),
    ),
    Transition(
        "decline", gettext_lazy("Décliner"), (RequestState.SUBMITTED, RequestState.ACCEPTED),
        RequestState.DECLINED, _coordinates, "followup.expertise_declined",
        guards=(_follow_up_open,), effects=(_answer,), needs_comment=True,
        summary=_summary(gettext_lazy("Demande d'expertise déclinée : %(subject)s")),
    ),
    # Fired by log_activity / change_activity when an activity serves an accepted request.
    Transition(
        "plan", gettext_lazy("Planifier"), (RequestState.ACCEPTED,), RequestState.PLANNED,
        _coordinates, "followup.expertise_planned", guards=(_follow_up_open,),
        summary=_summary(gettext_lazy("Demande d'expertise planifiée : %(subject)s")),
    ),
)  # fmt: skip

ANSWERING = ("accept", "decline")  # what the page offers; "plan" happens by logging days


def _stale(request, transition):
    return _("Cette demande est maintenant « %s » : l'action n'a pas été appliquée.") % (
        request.get_state_display()
    )


REQUEST = workflows.register(
    workflows.Workflow(
        "expertise_request", ExpertiseRequest, RequestState, TRANSITIONS,
        version_field="version", related=("follow_up__programme", "follow_up__project"),
        targets=lambda request, data: [request, request.follow_up, request.follow_up.project],
        stale_message=_stale, comment_required=gettext_lazy("Expliquez votre réponse."),
    )
)  # fmt: skip


# --- Notifications ----------------------------------------------------------------------------


def _request(targets):
    return targets.get(ExpertiseRequest, ExpertiseRequest.objects.select_related("requested_by"))


def _days_path(event, targets):
    request = _request(targets)
    return reverse("followup:days", args=[request.follow_up_id]) + "#demandes"


def _experts(event, targets):
    return list(_request(targets).follow_up.experts.filter(is_active=True))


def _requester(event, targets):
    return [_request(targets).requested_by]


def register_rules():
    register("followup.expertise_requested", recipients=_experts, url=_days_path)
    for verb in (
        "followup.expertise_accepted",
        "followup.expertise_declined",
        "followup.expertise_planned",
    ):
        register(verb, recipients=_requester, url=_days_path)


# --- What the section page reads (one query each) -----------------------------------------------


def budget_of(follow_up):
    """The follow-up's `burndown.Budget`, split by year when it has `DaysBudgetYear` rows."""
    years = dict(follow_up.years.values_list("year", "days"))
    return burndown.Budget(
        follow_up.starts_on, follow_up.ends_on, follow_up.days_budget, years or None
    )


def daily_days(follow_up):
    """[(date, days)] of the follow-up's activities, summed by date."""
    rows = (
        SupportActivity.objects.filter(follow_up=follow_up)
        .values("date")
        .annotate(half_days=Sum("half_days"))
        .order_by("date")
    )
    return [(row["date"], Decimal(row["half_days"]) / 2) for row in rows]


def by_domain(follow_up):
    """[(domain label, days)], most used first."""
    rows = (
        SupportActivity.objects.filter(follow_up=follow_up)
        .values("domain")
        .annotate(half_days=Sum("half_days"))
        .order_by("-half_days", "domain")
    )
    labels = dict(Domain.choices)
    return [(labels.get(r["domain"], r["domain"]), Decimal(r["half_days"]) / 2) for r in rows]


def by_commitment(follow_up):
    """[(number, title, days)] of the commitments served (an activity serving two commitments
    counts for each), by number."""
    through = SupportActivity.commitments.through
    rows = (
        through.objects.filter(supportactivity__follow_up=follow_up)
        .values("commitment__number", "commitment__title")
        .annotate(half_days=Sum("supportactivity__half_days"))
        .order_by("commitment__number")
    )
    return [
        (r["commitment__number"], r["commitment__title"], Decimal(r["half_days"]) / 2) for r in rows
    ]


def forecast_text(forecast, ends_on):
    """The forecast as one French sentence."""
    if forecast.kind == burndown.NO_ACTIVITY:
        return _("Aucune intervention consignée : pas encore de prévision.")
    if forecast.kind == burndown.EXCEEDED:
        return _("Le budget de jours est déjà dépassé.")
    if forecast.kind == burndown.EXHAUSTED:
        return _("Le budget de jours est entièrement consommé.")
    dates = {"date": date_format(forecast.on, "j F Y"), "end": date_format(ends_on, "j F Y")}
    if forecast.on > ends_on:
        return (
            _(
                "Au rythme actuel, le budget de jours serait épuisé le %(date)s, après la fin "
                "prévue (%(end)s)."
            )
            % dates
        )
    return (
        _(
            "Au rythme actuel, le budget de jours sera épuisé le %(date)s, avant la fin prévue "
            "(%(end)s)."
        )
        % dates
    )


def follow_up_forecast(follow_up, today):
    """The forecast from the follow-up's own columns (no query)."""
    return burndown.forecast(follow_up.days_used, follow_up.days_budget, follow_up.starts_on, today)
