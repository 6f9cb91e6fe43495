"""The database refuses what validation refuses, on SQLite as on PostgreSQL.

Every model field of the project with `choices` has a CHECK limiting it to them; every number is
validated within what its PostgreSQL column holds and a CHECK states the same bounds (SQLite
holds any 64-bit integer in a smallint column). A new field without its constraint fails here:
decorate its model with `@field_checks` (ecoquartier/core/constraints.py) and make migrations.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# What PostgreSQL's columns hold, stated here independently of core/constraints.py.
POSTGRES_COLUMNS = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}
SIXTY_FOUR_BITS = 2**63 - 1


def project_fields():
    for config in apps.get_app_configs():
        if not config.name.startswith("ecoquartier."):
            continue
        for model in config.get_models():
            for field in model._meta.local_concrete_fields:
                yield pytest.param(model, field, id=f"{model._meta.label}.{field.name}")


FIELDS = list(project_fields())
CHOICE_FIELDS = [p for p in FIELDS if p.values[1].choices]
NUMBER_FIELDS = [
    p
    for p in FIELDS
    if isinstance(p.values[1], models.IntegerField | models.DecimalField)
    and not isinstance(p.values[1], models.AutoField)
]


def leaves(condition):
    for child in condition.children:
        if isinstance(child, Q):
            yield from leaves(child)
        else:
            yield child


def check_leaves(model):
    return [
        dict(leaves(constraint.condition))
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    ]


def column(field):
    if isinstance(field, models.DecimalField):
        highest = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(
            -field.decimal_places
        )
        return -highest, highest
    return POSTGRES_COLUMNS[field.get_internal_type()]


def validated_bounds(field):
    """The narrowest bounds of the field's validators (those of this database included)."""
    lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    if any(isinstance(v, DecimalValidator) for v in field.validators):
        lows.append(column(field)[0])
        highs.append(column(field)[1])
    return (max(lows) if lows else None), (min(highs) if highs else None)


def test_the_project_has_fields_of_both_kinds():
    assert len(CHOICE_FIELDS) >= 30 and len(NUMBER_FIELDS) >= 40


@pytest.mark.parametrize(("model", "field"), CHOICE_FIELDS)
def test_a_field_with_choices_has_a_check_constraint_limiting_it_to_them(model, field):
    values = {value for value, _label in field.flatchoices}
    # A blank text field also accepts "" (Django validates choices of non-empty values only).
    accepted = [values, values | {""}] if field.blank else [values]
    assert any(
        set(found.get(f"{field.name}__in", ())) in accepted for found in check_leaves(model)
    ), f"{model._meta.label}.{field.name}: no CHECK ({field.name} IN {sorted(values)})"


@pytest.mark.parametrize(("model", "field"), NUMBER_FIELDS)
def test_a_number_is_validated_within_its_column_and_the_database_checks_the_same_bounds(
    model, field
):
    low, high = validated_bounds(field)
    column_low, column_high = column(field)
    assert low is not None and high is not None, "validators must bound it"
    assert column_low <= low and high <= column_high, (
        f"validation allows [{low}, {high}], PostgreSQL's column holds [{column_low}, "
        f"{column_high}]"
    )
    if high == SIXTY_FOUR_BITS and low in (0, -SIXTY_FOUR_BITS - 1):
        return  # Both databases hold exactly this (and Django checks a positive sign on both).
    assert any(
        found.get(f"{field.name}__gte") == low and found.get(f"{field.name}__lte") == high
        for found in check_leaves(model)
    ), f"no CHECK ({field.name} BETWEEN {low} AND {high})"
