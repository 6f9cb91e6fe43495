"""Opening, changing and closing a follow-up: plain functions taking plain data, atomic,
permission-checked, written to the activity log. Each part has its own module of services
(conventions.py, days.py, grants.py, deliverables.py, roadmap.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.core.activity import record
from ecoquartier.followup import permissions, plan
from ecoquartier.followup.models import DaysBudgetYear, FollowUp
from ecoquartier.organisations.models import Organisation
from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import ancestors

DEFAULT_YEARS = 3
EDITABLE = ("title", "coordinator", "starts_on", "ends_on", "days_budget")


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _where(project):
    """(commune, région) of the project's first commune, for the dashboard's filters."""
    commune = project.communes.order_by("pk").first()
    if commune is None:
        return None, None
    region = next((t for t in ancestors(commune) if t.kind == Territory.Kind.REGION), None)
    return commune, region


def _check_dates(starts_on, ends_on):
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("La fin prévue doit suivre le début.")})


@transaction.atomic
def open_follow_up(actor, *, programme, project, beneficiary, application=None, **values):
    """Open the support of `project` in `programme`: from a selected `application` (one click)
    or directly (support outside a call). The programme's phase plan becomes its milestones and
    deliverables. Returns the follow-up."""
    if application is not None:
        if not permissions.can_open_from(actor, application):
            raise PermissionDenied(_("Vous ne pouvez pas ouvrir d'accompagnement pour ce dossier."))
        if FollowUp.objects.filter(application=application).exists():
            raise ValidationError(_("Un accompagnement est déjà ouvert pour cette candidature."))
    elif not permissions.can_open(actor, programme):
        raise PermissionDenied(_("Vous ne gérez pas ce programme."))
    starts_on = values.pop("starts_on", None) or timezone.localdate()
    ends_on = values.pop("ends_on", None) or _years_later(starts_on, DEFAULT_YEARS)
    _check_dates(starts_on, ends_on)
    territory, region = _where(project)
    experts = values.pop("experts", ())
    if "coordinator" not in values and programme.owner.kind == Organisation.Kind.PUBLIC_OPERATOR:
        values["coordinator"] = programme.owner  # the Cerema runs its own support offer
    follow_up = FollowUp.objects.create(
        programme=programme, project=project, beneficiary=beneficiary, application=application,
        territory=territory, region=region, starts_on=starts_on, ends_on=ends_on,
        title=values.pop("title", "") or project.name, created_by=actor, **values,
    )  # fmt: skip
    follow_up.experts.set(experts)
    plan.apply_templates(follow_up)
    record(
        actor, "followup.opened",
        _("Accompagnement ouvert : %(programme)s") % {"programme": programme.name},
        targets=[follow_up, project, *([application] if application else [])],
    )  # fmt: skip
    return follow_up


@transaction.atomic
def change_follow_up(actor, follow_up, values, years=None):
    """Change what the managers set (`EDITABLE`), and the days planned per year when the
    programme splits its budget (`years`: {year: days})."""
    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    if not permissions.can_edit(actor, follow_up):
        raise PermissionDenied(
            _("Seuls les gestionnaires du programme modifient l'accompagnement.")
        )
    changes = {}
    for name in EDITABLE:
        if name in values and getattr(follow_up, name) != values[name]:
            changes[name] = [str(getattr(follow_up, name)), str(values[name])]
            setattr(follow_up, name, values[name])
    _check_dates(follow_up.starts_on, follow_up.ends_on)
    if years and sum(years.values()) != follow_up.days_budget:
        raise ValidationError({"days_budget": _(
            "La répartition par année (%(total)s j) doit égaler les jours prévus (%(budget)s j)."
        ) % {"total": floatformat(sum(years.values()), "-1"),
             "budget": floatformat(follow_up.days_budget, "-1")}})  # fmt: skip
    if "experts" in values:
        before = set(follow_up.experts.values_list("pk", flat=True))
        after = {user.pk for user in values["experts"]}
        if before != after:
            follow_up.experts.set(after)
            changes["experts"] = [sorted(before), sorted(after)]
    before = dict(follow_up.years.values_list("year", "days"))
    if years is not None and before != years:
        DaysBudgetYear.objects.filter(follow_up=follow_up).exclude(year__in=years).delete()
        for year, days in years.items():
            DaysBudgetYear.objects.update_or_create(
                follow_up=follow_up, year=year, defaults={"days": days}
            )
        changes["years"] = [
            {str(year): str(days) for year, days in before.items()},
            {str(year): str(days) for year, days in years.items()},
        ]
    follow_up.version += 1
    follow_up.save()
    record(
        actor, "followup.changed", _("Accompagnement modifié"),
        targets=[follow_up, follow_up.project], changes=changes,
    )  # fmt: skip
    return follow_up


@transaction.atomic
def close_follow_up(actor, follow_up, reason=""):
    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    if not permissions.can_edit(actor, follow_up):
        raise PermissionDenied(
            _("Seuls les gestionnaires du programme clôturent l'accompagnement.")
        )
    if follow_up.state == FollowUp.State.CLOSED:
        raise ValidationError(_("Cet accompagnement est déjà clos."))
    follow_up.state = FollowUp.State.CLOSED
    follow_up.closed_at = timezone.now()
    follow_up.version += 1
    follow_up.save(update_fields=["state", "closed_at", "version"])
    record(
        actor, "followup.closed", _("Accompagnement clos"),
        targets=[follow_up, follow_up.project], reason=reason,
    )  # fmt: skip
    return follow_up
