"""The label's performance check: for a file, the national base of the current indicator set
(and the project's own indicators) with the project's target (the latest year's), achieved value
(the latest measurement), automatic status (indicators.status, direction-aware, against the
trajectory from the baseline) and the experts' comments.

The values live in the indicators app, recorded by the holders from ÉcoProjet on; this module
only reads them — in a fixed number of queries whatever the number of files and indicators.
`restricted`: the reader may see the values reserved to the State services and experts (the
file's experts and the commissions do; labels.permissions.reads_file_values says who).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q

from ecoquartier.indicators.models import Indicator, IndicatorSet, IndicatorValue
from ecoquartier.indicators.reads import Line, judge
from ecoquartier.labels.models import IndicatorComment

# The national base first, then the projects' own indicators.
ORDER = (F("project_id").asc(nulls_first=True), "order", "code")


@dataclass
class Row:
    line: Line  # indicator, baseline, target, latest (the achieved value), status
    comments: list = field(default_factory=list)

    @property
    def indicator(self):
        return self.line.indicator


def base_indicators(indicator_set=None):
    """The label's national base in the current set (or `indicator_set`), in order."""
    indicator_set = indicator_set or IndicatorSet.objects.current()
    if indicator_set is None:
        return Indicator.objects.none()
    return indicator_set.indicators.filter(label_base=True, project=None, programme=None)


def _indicators(projects):
    """The national base and the projects' own indicators, in order (two queries)."""
    indicator_set = IndicatorSet.objects.current()
    condition = Q(project__in=[p.pk for p in projects])
    if indicator_set is not None:
        condition |= Q(indicator_set=indicator_set, label_base=True, project=None, programme=None)
    return list(Indicator.objects.filter(condition).order_by(*ORDER))


def checks(files, *, restricted):
    """{file pk: [Row…]} for `files` (LabelFiles with their project): four queries."""
    files = list(files)
    if not files:
        return {}
    indicators = _indicators([f.project for f in files])
    values = IndicatorValue.objects.filter(
        project__in={f.project_id for f in files}, indicator__in=indicators
    ).order_by("date", "year", "pk")
    if not restricted:
        values = values.filter(visibility=IndicatorValue.Visibility.PUBLIC)
    by_key = defaultdict(list)
    for value in values:
        by_key[value.project_id, value.indicator_id].append(value)
    comments = defaultdict(list)
    for comment in IndicatorComment.objects.filter(file__in=files).select_related("author"):
        comments[comment.file_id, comment.indicator_id].append(comment)
    result = {}
    for file in files:
        rows = []
        for indicator in indicators:
            if indicator.project_id not in (None, file.project_id):
                continue
            rows.append(Row(_line(indicator, by_key[file.project_id, indicator.pk]),
                            comments[file.pk, indicator.pk]))  # fmt: skip
        result[file.pk] = rows
    return result


def check(file, *, restricted):
    return checks([file], restricted=restricted)[file.pk]


def _line(indicator, values):
    line = Line(indicator, values=values, count=len(values))
    for value in values:  # ordered: the latest year's target and the latest measurement win
        if value.kind == IndicatorValue.Kind.BASELINE:
            line.baseline = value
        elif value.kind == IndicatorValue.Kind.TARGET:
            line.target = value
        else:
            line.latest = value
    return judge(line)


def target_summary(project):
    """(national-base indicators with a target, national-base indicators) of `project`."""
    base = base_indicators()
    with_target = (
        IndicatorValue.objects.filter(
            project=project, kind=IndicatorValue.Kind.TARGET, indicator__in=base
        )
        .values("indicator")
        .distinct()
        .count()
    )
    return with_target, base.count()


def has_base_values(project):
    """Has `project` a national-base indicator with both a target and a measurement? (What a
    stage that `requires_indicators` asks for, as the free-text rows did.)"""
    base = base_indicators()
    targets = IndicatorValue.objects.filter(
        project=project, kind=IndicatorValue.Kind.TARGET, indicator__in=base
    ).values("indicator")
    return IndicatorValue.objects.filter(
        project=project, kind=IndicatorValue.Kind.MEASUREMENT, indicator__in=targets
    ).exists()


def commentable_indicators(file):
    """The indicators an expert may comment on a file: those its performance check lists."""
    indicator_set = IndicatorSet.objects.current()
    condition = Q(project=file.project_id)
    if indicator_set is not None:
        condition |= Q(indicator_set=indicator_set, label_base=True, project=None, programme=None)
    return Indicator.objects.filter(condition).order_by(*ORDER)
