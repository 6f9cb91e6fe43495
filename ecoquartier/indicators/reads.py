"""What the indicator pages read: a project's board (each indicator with its baseline, latest
target and measurement, status) and one indicator's history — values filtered by what the
reader may see, in a fixed number of queries."""

import datetime
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import formats

from ecoquartier.indicators import permissions
from ecoquartier.indicators.models import Challenge, Indicator, IndicatorSet, IndicatorValue
from ecoquartier.indicators.status import Point, Status, status, target_point
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import related_condition


def visible_values(user, project, *, restricted=None):
    """`project`'s values `user` may read; `restricted` says whether the reserved ones are read
    (derived from `user` when None: a report written for a known audience passes it)."""
    values = IndicatorValue.objects.filter(project=project)
    if restricted is None:
        restricted = permissions.reads_restricted(user, project)
    if not restricted:
        values = values.filter(visibility=IndicatorValue.Visibility.PUBLIC)
    return values


def readable_condition(user):
    """The values `user` may read among those of projects it sees, as one condition on
    IndicatorValue (None: every value): public ones, and the restricted ones of the projects it
    stands in a relation to — the bulk form of `permissions.reads_restricted`."""
    if user.is_authenticated and user.is_superuser:
        return None
    readable = Q(visibility=IndicatorValue.Visibility.PUBLIC)
    related = related_condition(user) if user.is_authenticated else None
    if related is not None:
        readable |= Q(project__in=Project.objects.filter(related).values("pk"))
    return readable


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
    commitments: list = field(default_factory=list)  # board_by_commitment only

    def _text(self, value):
        indicator = self.indicator
        return f"{amount(value.value, indicator.precision)} {indicator.unit}" if value else ""

    @property
    def baseline_text(self):
        return self._text(self.baseline)

    @property
    def target_text(self):
        return self._text(self.target)

    @property
    def latest_text(self):
        return self._text(self.latest)


def amount(value, precision):
    """A value as the pages write it: rounded half up to the indicator's decimals, with the
    language's decimal separator (what `floatformat` writes, without its cost on a board)."""
    step = Decimal(1).scaleb(-precision)
    text = f"{Decimal(value).quantize(step, ROUND_HALF_UP):f}"
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


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


# What a board line shows of a value (the indicator page and exports read whole rows).
BOARD_FIELDS = ("indicator_id", "kind", "value", "date", "year", "visibility")
BoardValue = namedtuple("BoardValue", BOARD_FIELDS)


def lines(user, project, indicators, *, restricted=None, light=False):
    """A `Line` per indicator: two queries whatever the number of values. `light`: each value
    a `BoardValue` (what a board shows, read as a tuple: half the cost of a model instance)."""
    by_indicator = defaultdict(list)
    values = visible_values(user, project, restricted=restricted).order_by("date", "year", "pk")
    if len(indicators) == 1:
        values = values.filter(indicator=indicators[0])
    if light:
        values = (BoardValue(*row) for row in values.values_list(*BOARD_FIELDS))
    # Several indicators: the project's values are read through the (project, indicator, date)
    # index and sorted out here; `indicator IN (…)` made SQLite scan those indicators' values of
    # every project instead.
    for value in values:
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


def board(user, project, *, restricted=None):
    """[(challenge label, [Line…])] in the challenges' order, only challenges with indicators
    (`restricted`: whether `user` reads the restricted values, when already known)."""
    grouped = defaultdict(list)
    indicators = list(project_indicators(project))
    for line in lines(user, project, indicators, restricted=restricted, light=True):
        grouped[line.indicator.challenge].append(line)
    return [(label, grouped[value]) for value, label in Challenge.choices if grouped.get(value)]


def board_by_commitment(project, *, restricted):
    """[(challenge label, [(commitment or None, [Line…])])]: the board for a document written
    for a known audience (a report), each indicator under the first commitment it serves (its
    others named on its line), those serving none last. Four queries."""
    indicators = list(project_indicators(project).prefetch_related("commitments"))
    grouped = defaultdict(lambda: defaultdict(list))
    for line in lines(None, project, indicators, restricted=restricted, light=True):
        served = line.commitments = sorted(line.indicator.commitments.all(), key=lambda c: c.number)
        grouped[line.indicator.challenge][served[0] if served else None].append(line)
    return [
        (label, sorted(grouped[value].items(),
                       key=lambda item: (item[0] is None, item[0].number if item[0] else 0)))
        for value, label in Challenge.choices if value in grouped
    ]  # fmt: skip


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
