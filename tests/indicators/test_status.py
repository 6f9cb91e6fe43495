"""Direction-aware status against the trajectory from baseline to target."""

import datetime
from decimal import Decimal

from ecoquartier.indicators.models import Direction
from ecoquartier.indicators.status import Point, Status, expected, status, target_point

D = datetime.date


def point(value, *day):
    return Point(Decimal(value), D(*day))


def test_no_measurement_is_no_data():
    assert status(Direction.HIGHER, None, target=target_point(50, 2030)) == Status.NO_DATA


def test_no_target_is_no_data_except_for_a_band():
    assert status(Direction.LOWER, point(3, 2024, 1, 1)) == Status.NO_DATA
    band = (Decimal(10), Decimal(40))
    assert status(Direction.BAND, point(25, 2024, 1, 1), band=band) == Status.ON_TRACK
    assert status(Direction.BAND, point(45, 2024, 1, 1), band=band) == Status.OFF_TRACK


def test_higher_is_better_is_judged_on_the_way_to_the_target():
    baseline, target = point(20, 2020, 12, 31), target_point(40, 2030)
    halfway = D(2025, 12, 31)
    assert expected(baseline, target, halfway) == Decimal(30)
    assert status(Direction.HIGHER, Point(Decimal(31), halfway), target=target,
                  baseline=baseline) == Status.ON_TRACK  # fmt: skip
    assert status(Direction.HIGHER, Point(Decimal(29), halfway), target=target,
                  baseline=baseline) == Status.OFF_TRACK  # fmt: skip


def test_lower_is_better_mirrors_it():
    baseline, target = point(100, 2020, 12, 31), target_point(50, 2030)
    on = D(2025, 12, 31)
    assert status(Direction.LOWER, Point(Decimal(70), on), target=target,
                  baseline=baseline) == Status.ON_TRACK  # fmt: skip
    assert status(Direction.LOWER, Point(Decimal(80), on), target=target,
                  baseline=baseline) == Status.OFF_TRACK  # fmt: skip


def test_without_baseline_or_after_the_target_year_the_target_itself_counts():
    target = target_point(40, 2025)
    assert status(Direction.HIGHER, point(39, 2023, 1, 1), target=target) == Status.OFF_TRACK
    assert status(Direction.HIGHER, point(41, 2027, 1, 1), target=target,
                  baseline=point(10, 2020, 1, 1)) == Status.ON_TRACK  # fmt: skip
