"""Recording a project's indicator values: plain data in, checked (bounds, decimals, dates) with
French messages next to the field, permission-checked, atomic, written to the activity log."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ecoquartier.core.activity import record
from ecoquartier.indicators import permissions
from ecoquartier.indicators.models import Indicator, IndicatorSet, IndicatorValue, Source

OPTIONAL = ("quality", "source", "method", "comment", "visibility")


def _number(value, indicator):
    return formats.number_format(value, decimal_pos=indicator.precision, use_l10n=True)


def check_value(indicator, value):
    """The value as a Decimal, or a ValidationError on "value" in French: a number, within the
    indicator's bounds, with no more decimals than its precision."""
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except InvalidOperation:
        raise ValidationError({"value": _("Saisissez un nombre.")}) from None
    if not number.is_finite():
        raise ValidationError({"value": _("Saisissez un nombre.")})
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            message = _("La valeur doit être comprise entre %(low)s et %(high)s %(unit)s.")
        elif low is not None:
            message = _("La valeur doit être supérieure ou égale à %(low)s %(unit)s.")
        else:
            message = _("La valeur doit être inférieure ou égale à %(high)s %(unit)s.")
        raise ValidationError({"value": message % {
            "low": _number(low, indicator) if low is not None else "",
            "high": _number(high, indicator) if high is not None else "",
            "unit": indicator.unit,
        }})  # fmt: skip
    if -number.as_tuple().exponent > indicator.precision and number != number.quantize(
        Decimal(1).scaleb(-indicator.precision)
    ):
        if indicator.precision == 0:
            message = _("Saisissez un nombre entier de %(unit)s.") % {"unit": indicator.unit}
        else:
            message = _("Au plus %(n)d décimale(s) pour cet indicateur.") % {
                "n": indicator.precision
            }
        raise ValidationError({"value": message})
    return number


def _check_when(kind, date, year):
    if kind == IndicatorValue.Kind.TARGET:
        if year is None:
            raise ValidationError({"year": _("Indiquez l'année de l'objectif.")})
        if not 2000 <= year <= 2100:
            raise ValidationError({"year": _("L'année doit être comprise entre 2000 et 2100.")})
        return None, year
    if date is None:
        raise ValidationError({"date": _("Indiquez la date de la valeur.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("Une mesure ne peut pas être datée dans le futur.")})
    if date < datetime.date(1950, 1, 1):
        raise ValidationError({"date": _("Cette date est trop ancienne.")})
    return date, None


def _check_indicator(project, indicator):
    if indicator.project_id not in (None, project.pk):
        raise ValidationError({"indicator": _("Cet indicateur n'est pas suivi par ce projet.")})


@transaction.atomic
def record_value(actor, project, indicator, *, kind, value, date=None, year=None, **details):
    """Record a baseline, a target (for `year`) or a measurement (on `date`)."""
    if not permissions.can_record(actor, project):
        raise PermissionDenied(_("Seuls les porteurs du projet saisissent ses indicateurs."))
    _check_indicator(project, indicator)
    number = check_value(indicator, value)
    date, year = _check_when(kind, date, year)
    row = IndicatorValue.objects.create(
        project=project, indicator=indicator, kind=kind, value=number, date=date, year=year,
        created_by=actor, **{k: v for k, v in details.items() if k in OPTIONAL or k == "evidence"},
    )  # fmt: skip
    record(
        actor, "indicator.value_recorded",
        _("%(kind)s « %(name)s » : %(value)s %(unit)s") % {
            "kind": row.get_kind_display(), "name": indicator.name,
            "value": _number(number, indicator), "unit": indicator.unit,
        },
        targets=[project], changes={"indicator": indicator.code, "kind": kind,
                                    "value": str(number), "date": str(date or year)},
    )  # fmt: skip
    return row


@transaction.atomic
def change_value(actor, row, values):
    """Change a recorded value; the former value stays in the activity log."""
    row = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("indicator", "project")
        .get(pk=row.pk)
    )
    if not permissions.can_record(actor, row.project):
        raise PermissionDenied(_("Seuls les porteurs du projet saisissent ses indicateurs."))
    changes = {}
    if "value" in values:
        number = check_value(row.indicator, values["value"])
        if number != row.value:
            changes["value"] = [str(row.value), str(number)]
            row.value = number
    date, year = _check_when(row.kind, values.get("date", row.date), values.get("year", row.year))
    for name, new in (("date", date), ("year", year)):
        if new != getattr(row, name):
            changes[name] = [str(getattr(row, name)), str(new)]
            setattr(row, name, new)
    for name in OPTIONAL:
        if name in values and values[name] != getattr(row, name):
            changes[name] = [getattr(row, name), values[name]]
            setattr(row, name, values[name])
    if not changes:
        return row
    row.version += 1
    row.save()
    record(
        actor, "indicator.value_changed",
        _("Valeur modifiée : « %(name)s »") % {"name": row.indicator.name},
        targets=[row.project], changes={"indicator": row.indicator.code, **changes},
    )  # fmt: skip
    return row


def national_indicators(indicator_set=None):
    """The national definitions of the current set (or `indicator_set`), in their order."""
    from ecoquartier.indicators.models import IndicatorSet

    indicator_set = indicator_set or IndicatorSet.objects.current()
    if indicator_set is None:
        return Indicator.objects.none()
    return indicator_set.indicators.filter(project=None, programme=None).order_by("order")


CUSTOM_FIELDS = (
    "name", "unit", "definition", "method", "precision", "min_value", "max_value", "direction",
    "challenge",
)  # fmt: skip


@transaction.atomic
def add_custom_indicator(actor, project, **values):
    """An indicator of the project's own, in the current set (its code « P<project>-<n> »),
    measured as declared by its holders; French messages by field."""
    if not permissions.can_record(actor, project):
        raise PermissionDenied(_("Seuls les porteurs du projet ajoutent ses indicateurs."))
    indicator_set = IndicatorSet.objects.current()
    if indicator_set is None:
        raise ValidationError(_("Aucun jeu d'indicateurs n'est en vigueur."))
    values = {name: values[name] for name in CUSTOM_FIELDS if values.get(name) is not None}
    low, high = values.get("min_value"), values.get("max_value")
    if low is not None and high is not None and low > high:
        raise ValidationError({"max_value": _("Le maximum doit être supérieur au minimum.")})
    own = Indicator.objects.filter(indicator_set=indicator_set, project=project)
    code = f"P{project.pk}-{own.count() + 1}"
    while Indicator.objects.filter(indicator_set=indicator_set, code=code).exists():
        code = f"{code}b"  # a code freed then reused by another project's numbering
    indicator = Indicator.objects.create(
        indicator_set=indicator_set, project=project, code=code, source=Source.DECLARED,
        order=1000 + own.count(), **values,
    )  # fmt: skip
    record(
        actor, "indicator.custom_added",
        _("Indicateur propre au projet ajouté : « %(name)s » (%(unit)s)") % {
            "name": indicator.name, "unit": indicator.unit,
        },
        targets=[project], changes={"indicator": indicator.code},
    )  # fmt: skip
    return indicator
