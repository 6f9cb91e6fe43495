"""Where a project stands on an indicator: on track, off track, or no data — direction-aware.

A measurement is judged against the trajectory from the baseline to the target: the value
expected on the measurement's date is read on the straight line from the baseline (its date,
its value) to the target (31 December of its year, its value); without a baseline, or once the
target's year is over, the target itself. "Higher is better" is on track at or above the expected
value, "lower is better" at or below it; a target band is on track inside the band (the
indicator's band, or none). Without a measurement, or without a target to judge against (higher /
lower), there is no status but "no data".
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from ecoquartier.indicators.models import Direction


class Status(StrEnum):
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    @property
    def label(self):
        return LABELS[self]


LABELS = {
    Status.ON_TRACK: _("En bonne voie"),
    Status.OFF_TRACK: _("En retard sur l'objectif"),
    Status.NO_DATA: _("Pas de donnée"),
}


@dataclass(frozen=True)
class Point:
    value: Decimal
    date: datetime.date


def target_point(value, year):
    return Point(Decimal(value), datetime.date(year, 12, 31))


def expected(baseline, target, on):
    """The value expected on `on` on the way from `baseline` to `target`."""
    if baseline is None or on >= target.date or baseline.date >= target.date:
        return target.value
    if on <= baseline.date:
        return baseline.value
    elapsed = Decimal((on - baseline.date).days)
    span = Decimal((target.date - baseline.date).days)
    return baseline.value + (target.value - baseline.value) * elapsed / span


def status(direction, latest, *, target=None, baseline=None, band=(None, None)):
    """`latest`, `target`, `baseline`: Points or None; `band`: (low, high) for a target band."""
    if latest is None:
        return Status.NO_DATA
    if direction == Direction.BAND:
        low, high = band
        if low is None and high is None:
            return Status.NO_DATA
        inside = (low is None or latest.value >= low) and (high is None or latest.value <= high)
        return Status.ON_TRACK if inside else Status.OFF_TRACK
    if target is None:
        return Status.NO_DATA
    goal = expected(baseline, target, latest.date)
    if direction == Direction.HIGHER:
        return Status.ON_TRACK if latest.value >= goal else Status.OFF_TRACK
    return Status.ON_TRACK if latest.value <= goal else Status.OFF_TRACK
