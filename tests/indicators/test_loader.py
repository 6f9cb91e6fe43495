"""The indicator sets load from data/indicators/ idempotently; versions coexist."""

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from ecoquartier.indicators import loader
from ecoquartier.indicators.models import Direction, Indicator, IndicatorSet, IndicatorValue
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current

pytestmark = pytest.mark.django_db
NATIONAL = loader.DATA_DIR / "2023.yaml"


def current_set():
    load_current()
    return loader.load(NATIONAL).indicator_set


def test_the_national_set_has_key_figures_and_a_label_base_of_about_twenty():
    indicator_set = current_set()
    indicators = indicator_set.indicators.all()
    assert indicators.count() >= 35
    assert 18 <= indicators.filter(label_base=True).count() <= 22
    for code in ("CC-01", "CC-03", "CC-05", "SO-05", "CV-01", "IN-02"):
        assert indicators.filter(code=code).exists()
    density = indicators.get(code="CC-05")
    assert (density.unit, density.direction) == ("logements/ha", Direction.HIGHER)
    assert [c.number for c in density.commitments.all()] == [6]


def test_loading_twice_changes_nothing():
    load_current()
    call_command("load_indicators", stdout=open("/dev/null", "w"))  # noqa: SIM115
    snapshot = list(Indicator.objects.order_by("pk").values_list("pk", "code", "name", "unit"))
    links = Indicator.commitments.through.objects.count()
    call_command("load_indicators", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Indicator.objects.order_by("pk").values_list("pk", "code", "name", "unit")) == (
        snapshot
    )
    assert Indicator.commitments.through.objects.count() == links
    assert IndicatorSet.objects.count() == 1


def _new_version(tmp_path, **changes):
    data = yaml.safe_load(NATIONAL.read_text())
    data.update(changes)
    path = tmp_path / f"{data['code']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path, data


def test_a_new_version_coexists_with_the_old_one_whose_values_keep_their_definition(tmp_path):
    old = current_set()
    project = ProjectFactory()
    density = old.indicators.get(code="CC-05")
    IndicatorValue.objects.create(
        project=project, indicator=density, kind="target", value=40, year=2030
    )
    path, data = _new_version(tmp_path, code="2030", title="Indicateurs 2030", current=True)
    new = loader.load(path).indicator_set
    assert IndicatorSet.objects.current() == new
    assert IndicatorSet.objects.filter(is_current=True).count() == 1
    assert new.indicators.count() == old.indicators.count()
    assert IndicatorValue.objects.get().indicator.indicator_set == old


def test_a_reworded_definition_is_updated_in_place(tmp_path):
    current_set()
    data = yaml.safe_load(NATIONAL.read_text())
    data["indicators"][0]["name"] = "Surface totale de l'opération"
    path = tmp_path / "2023.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    loader.load(path)
    assert Indicator.objects.get(code="CC-01").name == "Surface totale de l'opération"
    assert Indicator.objects.filter(code="CC-01").count() == 1


def test_an_indicator_with_values_cannot_disappear_from_its_file(tmp_path):
    indicator_set = current_set()
    IndicatorValue.objects.create(
        project=ProjectFactory(), indicator=indicator_set.indicators.get(code="CC-01"),
        kind="target", value=10, year=2030,
    )  # fmt: skip
    data = yaml.safe_load(NATIONAL.read_text())
    data["indicators"] = data["indicators"][1:]
    path = tmp_path / "2023.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(loader.IndicatorFileError):
        loader.load(path)
    assert Indicator.objects.filter(code="CC-01").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"direction": "up"},
        {"challenge": "beauty"},
        {"unit": ""},
        {"direction": "band", "band_low": 1},
    ],
)
def test_a_broken_file_is_refused_whole(tmp_path, change):
    data = yaml.safe_load(NATIONAL.read_text())
    data["indicators"][0].update(change)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(CommandError):
        call_command("load_indicators", str(path))
    assert not Indicator.objects.exists()
