"""Migration 0006: the free-text indicator rows of the label files become indicator values
(national indicators matched by name, custom ones otherwise), and what is not a number is kept
as a comment on the file — never lost."""

from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ecoquartier.indicators.models import Indicator, IndicatorValue
from ecoquartier.labels.models import IndicatorComment
from tests.labels.factories import apply, sign_and_acknowledge

MOVE = import_module("ecoquartier.labels.migrations.0006_indicator_rows_to_values")
BEFORE = [("labels", "0005_indicator_comments")]
AFTER = [("labels", "0007_remove_indicatorrow")]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("4 000", Decimal(4000)), ("4\u202f000 logements", Decimal(4000)), ("35 %", Decimal(35)),
        ("1,5 ha", Decimal("1.5")), ("12.25", Decimal("12.25")), ("-3", Decimal(-3)),
        ("450 kgCO2eq/m²", Decimal(450)), ("environ 50", None), ("50 à 60", None),
        ("", None), ("n.c.", None), ("1,23456", None),
    ],
)  # fmt: skip
def test_free_text_is_read_as_a_decimal_only_when_it_plainly_is_one(text, number):
    assert MOVE.parse(text) == number


def test_names_match_ignoring_case_accents_and_spacing():
    assert MOVE.normalize("  Part de LOGEMENTS  sociaux ") == MOVE.normalize(
        "Part de logements sociaux"
    )
    assert MOVE.normalize("Énergie") == MOVE.normalize("energie")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_become_values_and_unreadable_text_a_comment(world):
    sign_and_acknowledge(world)
    file = apply(world)
    before = IndicatorValue.objects.count()
    old = migrate(BEFORE)
    IndicatorRow = old.get_model("labels", "IndicatorRow")
    for position, (label, unit, target, achieved) in enumerate([
        ("part de logements SOCIAUX", "%", "35 %", "32,5"),  # the national CC-04
        ("Logements livrés", "logements", "4 000", "environ 3 600"),  # custom, one unread
        ("Surface du parc", "ha", "n.c.", "à venir"),  # custom, nothing readable
    ]):  # fmt: skip
        IndicatorRow.objects.create(
            file_id=file.pk, position=position, label=label, unit=unit, target=target,
            achieved=achieved,
        )  # fmt: skip
    migrate(AFTER)

    moved = IndicatorValue.objects.filter(project=world.project).order_by("pk")[before:]
    social = [v for v in moved if v.indicator.code == "CC-04"]
    assert {(v.kind, v.value, v.year) for v in social} == {
        ("target", Decimal(35), file.campaign.year), ("measurement", Decimal("32.5"), None)
    }  # fmt: skip
    measurement = next(v for v in social if v.kind == "measurement")
    assert measurement.date == timezone.localtime(file.application.submitted_at).date()
    assert all(v.visibility == "restricted" for v in moved)
    dwellings = Indicator.objects.get(project=world.project, name="Logements livrés")
    assert dwellings.unit == "logements" and not dwellings.label_base
    assert [(v.kind, v.value) for v in moved if v.indicator == dwellings] == [
        ("target", Decimal(4000))
    ]
    comments = {c.indicator.name: c.text for c in IndicatorComment.objects.filter(file=file)}
    assert "valeur atteinte « environ 3 600 »" in comments["Logements livrés"]
    assert "objectif « n.c. »" in comments["Surface du parc"]
    assert "valeur atteinte « à venir »" in comments["Surface du parc"]
    assert "Part de logements sociaux" not in comments
