"""Demo data: the national indicator set (the same as in production), then values for the demo
projects — a baseline in 2020, targets for 2030 and three years of measurements (2023–2025) on
the label's national base — so that boards, charts and « projets comme le mien » show something
real. They are written in bulk, as an import would, with one event on the Docks' timeline (its
holder's import); the Docks' carbon measurements are reserved to the State services and
experts. Values are made deterministically from each project and indicator (same figures at
every load). Idempotent: a project that already has values is left as it is."""

import datetime
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ecoquartier.accounts.models import User
from ecoquartier.core.activity import record
from ecoquartier.core.generations import bump
from ecoquartier.indicators import loader
from ecoquartier.indicators.models import GENERATION, IndicatorSet, IndicatorValue
from ecoquartier.projects.models import Project

DOCKS = "ecoquartier-des-docks"
HOLDER = "porteur.saint-ouen@demo.ecoquartier.fr"
# Plausible (worst, best) for each label-base indicator; the rest of the range is never used.
RANGES = {
    "CC-04": (10, 45), "CC-05": (25, 120), "CC-09": (50, 4000), "SO-01": (20, 100),
    "SO-04": (10, 45), "SO-05": (110, 40), "SO-06": (15, 70), "SO-07": (900, 500),
    "SO-08": (5, 40), "SO-09": (560, 380), "RE-01": (30, 100), "RE-02": (8, 30),
    "RE-03": (20, 0), "IN-01": (40, 900), "IN-02": (55, 90), "IN-04": (45, 95),
    "CV-01": (65, 30), "CV-02": (1.6, 0.6), "CV-04": (20, 70), "CV-05": (2000, 40000),
    "CV-07": (5, 30),
}  # fmt: skip
YEARS = (2023, 2024, 2025)


def _share(project, indicator, salt):
    digest = hashlib.sha256(f"{project.slug}/{indicator.code}/{salt}".encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**32)


def _round(indicator, value):
    step = Decimal(1).scaleb(-indicator.precision)
    value = Decimal(value).quantize(step, rounding=ROUND_HALF_UP)
    if indicator.min_value is not None:
        value = max(value, indicator.min_value)
    if indicator.max_value is not None:
        value = min(value, indicator.max_value)
    return value


def series(project, indicator):
    """(baseline, target, [measurements]) for a project: a start between the worst and the
    middle of the range, a target towards the best, measurements moving to it at the project's
    own pace (some ahead, some behind)."""
    worst, best = (Decimal(str(v)) for v in RANGES[indicator.code])
    start = worst + (best - worst) * _share(project, indicator, "start") * Decimal("0.5")
    target = start + (best - start) * (Decimal("0.4") + _share(project, indicator, "goal") / 2)
    pace = Decimal("0.3") + _share(project, indicator, "pace") * Decimal("0.9")
    measured = [
        start + (target - start) * pace * Decimal(i + 1) / Decimal(len(YEARS) + 2)
        for i in range(len(YEARS))
    ]
    return (_round(indicator, start), _round(indicator, target),
            [_round(indicator, v) for v in measured])  # fmt: skip


def _rows(project, indicator):
    baseline, target, measured = series(project, indicator)
    yield {"kind": "baseline", "value": baseline, "date": datetime.date(2020, 12, 31)}
    yield {"kind": "target", "value": target, "year": 2030}
    for year, value in zip(YEARS, measured, strict=True):
        yield {"kind": "measurement", "value": value, "date": datetime.date(year, 12, 31),
               "quality": "estimated" if year == YEARS[-1] else "measured",
               "source": "Déclaration de la collectivité"}  # fmt: skip


def load():
    results = [loader.load(path) for path in loader.default_files()]
    summary = ", ".join(
        f"{r.indicator_set.title} ({r.indicators} indicateurs, {r.label_base} au socle du label)"
        for r in results
    )
    indicator_set = IndicatorSet.objects.current()
    if indicator_set is None:
        return summary + " chargé(s)."
    base = list(indicator_set.indicators.filter(label_base=True, code__in=RANGES))
    done = set(IndicatorValue.objects.values_list("project_id", flat=True).distinct())
    holder = User.objects.filter(email=HOLDER).first()
    rows, filled = [], 0
    for project in Project.objects.exclude(pk__in=done).order_by("pk"):
        filled += 1
        for indicator in base:
            for row in _rows(project, indicator):
                if (
                    project.slug == DOCKS
                    and indicator.code == "SO-07"
                    and row["kind"] == ("measurement")
                ):
                    row["visibility"] = "restricted"  # carbon: until the ACV is audited
                rows.append(IndicatorValue(project=project, indicator=indicator,
                                           year=row.pop("year", None), created_by=holder
                                           if project.slug == DOCKS else None, **row))  # fmt: skip
        if project.slug == DOCKS and holder is not None:
            record(
                holder, "indicator.values_imported",
                _("Indicateurs importés : %(count)d valeurs (2020–2030)") % {
                    "count": len(base) * (2 + len(YEARS))
                },
                targets=[project],
            )  # fmt: skip
    IndicatorValue.objects.bulk_create(rows, batch_size=500)
    bump(GENERATION)  # a bulk write sends no signal
    return f"{summary} chargé(s) ; valeurs pour {filled} projet(s)."
