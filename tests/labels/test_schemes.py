"""F-40: the label schemes are data, loaded idempotently, with their mapping."""

import pytest
from django.core.management import call_command

from ecoquartier.labels.models import LabelScheme, LabelStage
from ecoquartier.labels.schemes import load_schemes

pytestmark = pytest.mark.django_db


def test_both_paths_are_loaded_in_order():
    load_schemes()
    old = LabelScheme.objects.get(code="2016")
    new = LabelScheme.objects.get(code="2023")
    assert [s.code for s in old.stages.order_by("position")] == [
        "etape-1", "etape-2", "etape-3", "etape-4",
    ]  # fmt: skip
    assert [s.short_name for s in new.stages.order_by("position")] == ["ÉcoProjet", "Livré", "Vécu"]
    assert new.first_stage().code == "ecoprojet" and old.first_stage().code == "etape-1"


def test_loading_twice_changes_nothing(capsys):
    call_command("load_label_schemes")
    call_command("load_label_schemes")
    assert LabelScheme.objects.count() == 2
    assert LabelStage.objects.count() == 7
    assert "7 étapes" in capsys.readouterr().out


def test_old_stages_map_to_the_new_path():
    load_schemes()
    mapping = dict(
        LabelStage.objects.filter(scheme__code="2016").values_list("code", "maps_to__code")
    )
    assert mapping == {
        "etape-1": "ecoprojet", "etape-2": "ecoprojet", "etape-3": "livre", "etape-4": "vecu",
    }  # fmt: skip


def test_the_current_scheme_follows_the_date():
    from datetime import date

    load_schemes()
    assert LabelScheme.objects.current(date(2019, 6, 1)).code == "2016"
    assert LabelScheme.objects.current(date(2024, 6, 1)).code == "2023"


def test_rules_come_from_the_file():
    load_schemes()
    vecu = LabelStage.objects.get(code="vecu")
    assert vecu.requires_previous and vecu.min_years_after_delivery == 3 and vecu.requires_use_phase
    livre = LabelStage.objects.get(code="livre")
    assert livre.requires_charter and livre.marks_delivery and livre.requires_indicators
