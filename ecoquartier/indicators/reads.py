"""What the indicator pages read: a project's board (each indicator with its baseline, latest
target and measurement, status) and one indicator's history — values filtered by what the
reader may see, in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from ecoquartier.indicators import permissions
from ecoquartier.indicators.models import Challenge, Indicator, IndicatorSet, IndicatorValue
from ecoquartier.indicators.status import Point, Status, status, target_point


def visible_values(user, project):
    values = IndicatorValue.objects.filter(project=project)
    if not permissions.reads_restricted(user, project):
        values = values.filter(visibility=IndicatorValue.Visibility.PUBLIC)
    return values


def project_indicators(project, indicator_set=None):
    """The current set's national indicators and the project's own, in order."""
    indicator_set = indicator_set or IndicatorSet.objects.current()
    condition = Q(project=project)
    if indicator_set is not None:
        condition |= Q(indicator_set=indicator_set, project=None, programme=None)
    return Indicator.objects.filter(condition).order_by("order", "code")


@dataclass
class Line:
    indicator: Indicator
    baseline: IndicatorValue | None = None
    target: IndicatorValue | None = None
    latest: IndicatorValue | None = None
    count: int = 0
    status: Status = Status.NO_DATA
    values: list = field(default_factory=list)


def _point(value):
    return Point(value.value, value.date) if value is not None else None


def judge(line):
    indicator = line.indicator
    target = target_point(line.target.value, line.target.year) if line.target else None
    line.status = status(
        indicator.direction, _point(line.latest), target=target, baseline=_point(line.baseline),
        band=(indicator.band_low, indicator.band_high),
    )  # fmt: skip
    return line


def lines(user, project, indicators):
    """A `Line` per indicator: two queries whatever the number of values."""
    by_indicator = defaultdict(list)
    for value in (
        visible_values(user, project)
        .filter(indicator__in=indicators)
        .order_by("date", "year", "pk")
    ):
        by_indicator[value.indicator_id].append(value)
    result = []
    for indicator in indicators:
        values = by_indicator.get(indicator.pk, [])
        line = Line(indicator, values=values, count=len(values))
        for value in values:
            if value.kind == IndicatorValue.Kind.BASELINE:
                line.baseline = value
            elif value.kind == IndicatorValue.Kind.TARGET:
                line.target = value  # the latest year wins (ordered)
            else:
                line.latest = value
        result.append(judge(line))
    return result


def board(user, project):
    """[(challenge label, [Line…])] in the challenges' order, only challenges with indicators."""
    grouped = defaultdict(list)
    for line in lines(user, project, list(project_indicators(project))):
        grouped[line.indicator.challenge].append(line)
    return [(label, grouped[value]) for value, label in Challenge.choices if grouped.get(value)]


def chart_points(values):
    points = []
    for value in values:
        if value.kind == IndicatorValue.Kind.TARGET:
            day = datetime.date(value.year, 12, 31)
        else:
            day = value.date
        points.append({"kind": value.kind, "value": value.value, "day": day,
                       "estimated": value.quality == IndicatorValue.Quality.ESTIMATED})  # fmt: skip
    return points
