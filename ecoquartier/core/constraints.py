"""Database CHECK constraints equal to field validation, so SQLite and PostgreSQL accept the
same rows.

SQLite stores any 64-bit integer in a smallint column and any number in a numeric one, and
neither database knows a field's `choices`: a criterion weight of 999,999 saved on SQLite could
not be restored on PostgreSQL. `@field_checks` on a model gives every field

- with `choices`: a CHECK that its value is one of them (or blank/NULL when the field allows it);
- holding a number (integers, decimals): validators bounded by its PostgreSQL column (smallint
  ≤ 32,767, numeric(9, 6) < 1,000…) or by the field's own tighter validators, and a CHECK
  with exactly those bounds.

A field that already has a CHECK stating the same rule keeps it. tests/core/test_constraints.py
fails for a model field without its constraint.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# PostgreSQL's column ranges by field type (SQLite holds any 64-bit integer in each of them).
INTEGER_RANGES = {
    "SmallIntegerField": (-32768, 32767),
    "PositiveSmallIntegerField": (0, 32767),
    "IntegerField": (-2147483648, 2147483647),
    "PositiveIntegerField": (0, 2147483647),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


def is_bounded_number(field):
    return isinstance(field, models.IntegerField | models.DecimalField) and not isinstance(
        field, models.AutoField
    )


def column_range(field):
    """(lowest, highest) value the field's PostgreSQL column holds."""
    if isinstance(field, models.DecimalField):
        unit = Decimal(1).scaleb(-field.decimal_places)
        highest = Decimal(10) ** (field.max_digits - field.decimal_places) - unit
        return -highest, highest
    return INTEGER_RANGES[field.get_internal_type()]


def declared_bounds(field):
    """(low, high) from the field's own Min/MaxValueValidators, None where it has none."""
    lows = [v.limit_value for v in field._validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field._validators if isinstance(v, MaxValueValidator)]
    return (max(lows) if lows else None), (min(highs) if highs else None)


def bounds(field):
    """The values the field accepts: its validators within its column's range."""
    low, high = declared_bounds(field)
    column_low, column_high = column_range(field)
    low = column_low if low is None else max(low, column_low)
    high = column_high if high is None else min(high, column_high)
    return low, high


def choice_values(field):
    """The values a field with choices accepts, None standing for NULL."""
    values = [value for value, _label in field.flatchoices]
    if field.blank and isinstance(field, models.CharField | models.TextField):
        values.append("")
    if field.null:
        values.append(None)
    return list(dict.fromkeys(values))


def leaves(condition):
    """The (lookup, value) pairs of a Q, however nested: what a constraint compares."""
    for child in condition.children:
        if isinstance(child, Q):
            yield from leaves(child)
        else:
            yield child


def needs_range_check(field):
    """Both databases hold exactly 64-bit integers (and Django checks a positive column's sign
    on both): such a field needs a CHECK only when its validators are narrower."""
    if isinstance(field, models.IntegerField) and column_range(field)[1] == 2**63 - 1:
        return bounds(field) != column_range(field)
    return True


def _checks(model):
    return [c for c in model._meta.constraints if isinstance(c, models.CheckConstraint)]


def checks_choices(constraint, field):
    found = dict(leaves(constraint.condition))
    values = [value for value in choice_values(field) if value is not None]
    allowed = set(found.get(f"{field.name}__in", ()))
    if "" in values and "" not in allowed and found.get(field.name) == "":
        allowed.add("")
    return allowed == set(values)


def checks_range(constraint, field, low, high):
    found = dict(leaves(constraint.condition))
    return found.get(f"{field.name}__gte") == low and found.get(f"{field.name}__lte") == high


def choices_check(field, name):
    values = [value for value in choice_values(field) if value is not None]
    condition = Q(**{f"{field.name}__in": values})
    if field.null:
        condition = Q(**{f"{field.name}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=f"{name}_{field.name}_choices")


def range_check(field, name, low, high):
    condition = Q(**{f"{field.name}__gte": low}) & Q(**{f"{field.name}__lte": high})
    if field.null:
        condition = Q(**{f"{field.name}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=f"{name}_{field.name}_range")


def _bound_validators(field, low, high):
    """Validation stops at the column's bounds on every database, not only on PostgreSQL (a
    decimal's DecimalValidator already does, and Django bounds 64-bit integers everywhere)."""
    if isinstance(field, models.DecimalField) or not needs_range_check(field):
        return
    declared_low, declared_high = declared_bounds(field)
    if declared_low is None or declared_low < low:
        field._validators.append(MinValueValidator(low))
    if declared_high is None or declared_high > high:
        field._validators.append(MaxValueValidator(high))


def field_checks(model):
    """Class decorator: the model's CHECK constraints for choices and number ranges (above)."""
    name = f"{model._meta.app_label}_{model._meta.model_name}"
    added = []
    for field in model._meta.local_concrete_fields:
        if field.choices and not any(checks_choices(c, field) for c in _checks(model)):
            added.append(choices_check(field, name))
        if is_bounded_number(field):
            low, high = bounds(field)
            _bound_validators(field, low, high)
            if needs_range_check(field) and not any(
                checks_range(c, field, low, high) for c in _checks(model)
            ):
                added.append(range_check(field, name, low, high))
    for constraint in added:
        if len(constraint.name) > 63:  # PostgreSQL truncates longer identifiers.
            raise ValueError(f"Constraint name too long: {constraint.name}")
    model._meta.constraints = [*model._meta.constraints, *added]
    # What migrations read (ModelState.from_model), Meta's constraints or not.
    model._meta.original_attrs["constraints"] = model._meta.constraints
    return model
