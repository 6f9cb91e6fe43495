"""The demo's indicator values: the Docks followed over three years, one value reserved, enough
similar projects for a comparison, and a second load adds nothing."""

import pytest
from django.core.management import call_command

from ecoquartier.accounts.models import User
from ecoquartier.indicators import compare
from ecoquartier.indicators.models import IndicatorSet, IndicatorValue
from ecoquartier.projects.models import Project
from tests.demo.conftest import load_demo_territories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo_territories()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_docks_have_targets_and_three_years_of_measurements(demo):
    docks = Project.objects.get(slug="ecoquartier-des-docks")
    values = IndicatorValue.objects.filter(project=docks)
    base = IndicatorSet.objects.current().indicators.filter(label_base=True).count()
    assert values.filter(kind="target", year=2030).count() == base
    assert values.filter(kind="measurement").dates("date", "year").count() == 3
    assert values.filter(visibility="restricted").count() == 3
    for value in values.select_related("indicator"):
        low, high = value.indicator.min_value, value.indicator.max_value
        assert (low is None or value.value >= low) and (high is None or value.value <= high)


def test_the_docks_holder_sees_where_the_docks_stand(demo):
    docks = Project.objects.get(slug="ecoquartier-des-docks")
    holder = User.objects.get(email="porteur.saint-ouen@demo.ecoquartier.fr")
    energy = IndicatorSet.objects.current().indicators.get(code="SO-05")
    stats = compare.compare(holder, docks, energy)
    assert stats is not None and stats.count >= compare.MINIMUM
    assert stats.rank is not None


def test_a_second_load_adds_no_value(demo):
    before = IndicatorValue.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert IndicatorValue.objects.count() == before > 0
