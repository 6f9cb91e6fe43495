"""« Projets comme le mien »: where a project's latest value of an indicator stands among similar
projects — median, quartiles and rank — from values the reader may see only, and never from
fewer than `MINIMUM` projects.

Similar means, from the strictest to the widest: the same operation type, population class of
the main commune, urban or rural class and stage; when fewer than `MINIMUM` projects qualify,
the stage, then the urban/rural class, then the population class are dropped in turn (the page
says which criteria were used). A value counts when the reader may see it: the project is
visible to the reader, and the value is public or the reader is among the project's holders,
overseeing State services or named experts. The project's own value is compared, not counted
twice.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from ecoquartier.indicators import permissions
from ecoquartier.indicators.models import Direction, IndicatorValue
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import related_condition

MINIMUM = 5
LIST_LIMIT = 2000  # similar projects passed as a list of keys; more: as their query
MEASUREMENT, PUBLIC = IndicatorValue.Kind.MEASUREMENT, IndicatorValue.Visibility.PUBLIC
POPULATION_CLASSES = (2_000, 10_000, 50_000, 200_000)
RURAL_BELOW = 2_000
CRITERIA_LABELS = {
    "operation_type": _("même type d'opération"),
    "population": _("même taille de commune"),
    "rural": _("même caractère urbain ou rural"),
    "stage": _("même état d'avancement"),
}


def population_class(population):
    if population is None:
        return None
    return sum(population >= bound for bound in POPULATION_CLASSES)


@dataclass(frozen=True)
class Stats:
    count: int
    low: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    high: Decimal
    own: Decimal | None
    rank: int | None  # 1 = the best, direction-aware; None without own value
    criteria: tuple = ()


def _quantile(ordered, fraction):
    """Linear interpolation between closest ranks (the usual "type 7" quantile)."""
    position = (len(ordered) - 1) * Decimal(fraction)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def summarize(values, own=None, direction=Direction.HIGHER, criteria=()):
    """Stats of `values` (the others' latest values) and `own`'s rank among them and itself, or
    None under `MINIMUM` values. Pure: the privacy rule is applied before."""
    if len(values) < MINIMUM:
        return None
    ordered = sorted(Decimal(v) for v in values)
    rank = None
    if own is not None:
        better = (lambda v: v > own) if direction != Direction.LOWER else (lambda v: v < own)
        rank = 1 + sum(1 for v in ordered if better(v))
    return Stats(
        len(ordered), ordered[0], _quantile(ordered, "0.25"), _quantile(ordered, "0.5"),
        _quantile(ordered, "0.75"), ordered[-1], own, rank, tuple(criteria),
    )  # fmt: skip


def _readability(user):
    """An annotation: True on the projects whose every value `user` reads (holders, overseeing
    State services, named experts; administrators: all), False on the others."""
    if user.is_authenticated and user.is_superuser:
        return Value(True)
    related = related_condition(user) if user.is_authenticated else None
    if related is None:
        return Value(False)
    return Case(When(related, then=True), default=False, output_field=BooleanField())


def candidates(user, queryset):
    """{project pk: reads its restricted values} for the projects of `queryset` `user` sees:
    one query, whatever the number of projects."""
    rows = (
        queryset.order_by()
        .annotate(reads_all=_readability(user))
        .values_list("pk", "is_public", "reads_all")
        .distinct()
    )
    return {pk: bool(reads_all) for pk, is_public, reads_all in rows if is_public or reads_all}


def latest_values(indicator, readers, among=None):
    """{project pk: its latest measurement of `indicator` readable, per `readers` (from
    `candidates`)}: a public value of a public project, or any value where the reader reads
    all. One query, read through the (project, indicator, date) index: the similar projects
    are few beside an indicator's values (the indicator's condition is kept off the index, so
    that SQLite does not scan every project's values of the indicator instead)."""
    if not readers:
        return {}
    # Past a few thousand projects (a wide level), their query rather than as many parameters.
    wide = among is not None and len(readers) > LIST_LIMIT
    projects = among.values("pk") if wide else list(readers)
    rows = (
        IndicatorValue.objects.filter(project_id__in=projects, kind=MEASUREMENT)
        .alias(indicator_key=ExpressionWrapper(F("indicator_id") + 0, IntegerField()))
        .filter(indicator_key=indicator.pk)
        .order_by()
        .values_list("project_id", "date", "pk", "value", "visibility")
    )
    latest = {}
    for project_id, date, pk, value, visibility in rows:
        if project_id not in readers or (visibility != PUBLIC and not readers[project_id]):
            continue
        if project_id not in latest or (date, pk) > latest[project_id][:2]:
            latest[project_id] = (date, pk, value)
    return {project_id: found[2] for project_id, found in latest.items()}


def profile(project):
    """(operation type ids, population class, rural, stage) of a project."""
    commune = project.communes.order_by("pk").first()
    population = commune.population if commune is not None else None
    return (
        set(project.operation_types.values_list("pk", flat=True)),
        population_class(population),
        None if population is None else population < RURAL_BELOW,
        project.stage,
    )


def _similar(queryset, profile, criteria):
    types, population, rural, stage = profile
    if "operation_type" in criteria and types:
        queryset = queryset.filter(operation_types__in=types)
    if "stage" in criteria:
        queryset = queryset.filter(stage=stage)
    if population is not None and ("population" in criteria or "rural" in criteria):
        queryset = queryset.filter(_population_filter(population, rural, criteria))
    return queryset


def _population_filter(population, rural, criteria):
    field = "communes__population"
    condition = Q()
    if "population" in criteria:
        bounds = (0, *POPULATION_CLASSES, None)
        low, high = bounds[population], bounds[population + 1]
        condition &= Q(**{f"{field}__gte": low})
        if high is not None:
            condition &= Q(**{f"{field}__lt": high})
    if "rural" in criteria:
        condition &= Q(**{f"{field}__lt": RURAL_BELOW} if rural else {f"{field}__gte": RURAL_BELOW})
    return condition


LEVELS = (
    ("operation_type", "population", "rural", "stage"),
    ("operation_type", "population", "rural"),
    ("operation_type", "population"),
    ("operation_type",),
)


def compare(user, project, indicator):
    """Stats of `project` among similar projects on `indicator`, or None (fewer than MINIMUM
    readable values at every level). The profile's two queries, the project's own value, then
    at most two per level: the similar projects the reader sees, their latest values."""
    shape = profile(project)
    # The reader sees `project` (its page said so): whether it reads its restricted values is
    # the per-project rule, cached on the project for the request.
    own = latest_values(indicator, {project.pk: permissions.reads_restricted(user, project)})
    others = Project.objects.exclude(pk=project.pk)
    for criteria in LEVELS:
        similar = _similar(others, shape, criteria)
        readers = candidates(user, similar)
        if len(readers) < MINIMUM:
            continue
        values = latest_values(indicator, readers, among=similar)
        stats = summarize(list(values.values()), own.get(project.pk), indicator.direction,
                          criteria)  # fmt: skip
        if stats is not None:
            return stats
    return None
