"""« Projets comme le mien »: the statistics, and the privacy rule as properties — a value the
reader may not see is never counted, and fewer than five values give no comparison."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoquartier.indicators import compare, loader
from ecoquartier.indicators.models import Direction, IndicatorValue
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.referentiel.factories import load_current

numbers = st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False)


@given(st.lists(numbers, max_size=4), numbers)
def test_fewer_than_five_values_give_no_comparison(values, own):
    assert compare.summarize(values, own) is None


@given(st.lists(numbers, min_size=5, max_size=60), numbers)
def test_quartiles_are_ordered_and_the_rank_is_among_them(values, own):
    stats = compare.summarize(values, own)
    assert stats.low <= stats.q1 <= stats.median <= stats.q3 <= stats.high
    assert stats.count == len(values)
    assert 1 <= stats.rank <= len(values) + 1


@given(st.lists(numbers, min_size=5, max_size=30, unique=True), numbers)
def test_lower_is_better_ranks_the_other_way(values, own):
    if own in values:
        return
    higher = compare.summarize(values, own, Direction.HIGHER).rank
    lower = compare.summarize(values, own, Direction.LOWER).rank
    assert higher + lower == len(values) + 2


def test_the_median_of_an_even_count_interpolates():
    stats = compare.summarize([1, 2, 3, 4, 5, 6], Decimal(6))
    assert stats.median == Decimal("3.5")
    assert stats.rank == 1


# --- The privacy rule, on the database ---------------------------------------------------------

VALUE_ROWS = st.lists(
    st.tuples(numbers, st.sampled_from(["public", "restricted"]), st.booleans()),
    min_size=0, max_size=9,
)  # fmt: skip


@pytest.fixture
def scene(db):
    load_current()
    indicator = loader.load(loader.DATA_DIR / "2023.yaml").indicator_set.indicators.get(
        code="SO-05"
    )
    reader_org = OrganisationFactory()
    reader = MembershipFactory(organisation=reader_org, user=UserFactory()).user
    mine = ProjectFactory(holders=[reader_org], is_public=True)
    return {"indicator": indicator, "reader": reader, "reader_org": reader_org, "mine": mine}


SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=12, deadline=None, suppress_health_check=SLOW)
@given(rows=VALUE_ROWS)
def test_only_values_the_reader_may_see_are_counted(scene, rows):
    """Each row: another public project's latest value, its confidentiality, and whether the
    reader holds that project. Restricted values of projects the reader does not hold are never
    counted; under five countable values there is no comparison."""
    with transaction.atomic():
        for value, visibility, held in rows:
            holders = [scene["reader_org"]] if held else [OrganisationFactory()]
            project = ProjectFactory(holders=holders, is_public=True, stage=scene["mine"].stage)
            IndicatorValue.objects.create(
                project=project, indicator=scene["indicator"], kind="measurement",
                value=value, date=datetime.date(2024, 1, 1), visibility=visibility,
            )  # fmt: skip
        readable = [v for v, visibility, held in rows if visibility == "public" or held]
        stats = compare.compare(scene["reader"], scene["mine"], scene["indicator"])
        if len(readable) < compare.MINIMUM:
            assert stats is None
        else:
            assert stats.count == len(readable)
            assert stats.median == compare.summarize(readable).median
        stranger = UserFactory()
        public = [v for v, visibility, _held in rows if visibility == "public"]
        seen = compare.compare(stranger, scene["mine"], scene["indicator"])
        assert (seen is None) if len(public) < compare.MINIMUM else seen.count == len(public)
        transaction.set_rollback(True)


def test_an_older_public_value_counts_when_the_latest_is_hidden(scene):
    projects = [ProjectFactory(is_public=True, stage=scene["mine"].stage) for _ in range(5)]
    for project in projects:
        IndicatorValue.objects.create(
            project=project, indicator=scene["indicator"], kind="measurement", value=100,
            date=datetime.date(2023, 1, 1),
        )  # fmt: skip
        IndicatorValue.objects.create(
            project=project, indicator=scene["indicator"], kind="measurement", value=50,
            date=datetime.date(2024, 1, 1), visibility="restricted",
        )  # fmt: skip
    stats = compare.compare(scene["reader"], scene["mine"], scene["indicator"])
    assert stats.count == 5 and stats.median == 100


def test_many_similar_projects_are_read_through_their_query_alike(scene, monkeypatch):
    projects = [ProjectFactory(is_public=True, stage=scene["mine"].stage) for _ in range(6)]
    for value, project in enumerate(projects):
        IndicatorValue.objects.create(
            project=project, indicator=scene["indicator"], kind="measurement", value=value,
            date=datetime.date(2024, 1, 1),
        )  # fmt: skip
    as_list = compare.compare(scene["reader"], scene["mine"], scene["indicator"])
    monkeypatch.setattr(compare, "LIST_LIMIT", 0)
    as_query = compare.compare(scene["reader"], scene["mine"], scene["indicator"])
    assert as_query == as_list and as_list.count == 6
