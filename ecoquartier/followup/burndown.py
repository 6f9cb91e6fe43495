"""The arithmetic of a follow-up's support days, as pure functions of plain values (no query):
the days planned to a date (linear over the period, or year by year when the budget is split),
the days used to a date, the pace, the date the budget runs out at that pace, and whether use is
ahead of, behind or on plan. Days are Decimals (half-days are 0.5), dates `datetime.date`.
"""

import datetime
import math
from bisect import bisect_right
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

ZERO = Decimal(0)
TENTH = Decimal("0.1")
MIN_THRESHOLD = Decimal(2)  # days: below this, a gap is noise whatever the budget
FAR = 100 * 366  # days: a forecast further than this is not a date anyone can use

AHEAD, BEHIND, ON_PLAN = "ahead", "behind", "on_plan"
NO_ACTIVITY, EXCEEDED, EXHAUSTED, DATE = "no_activity", "exceeded", "exhausted", "date"


@dataclass(frozen=True)
class Budget:
    """What is planned: `days` from `starts_on` to `ends_on`, or `years` ({year: days}) each
    spread over its part of the period."""

    starts_on: datetime.date
    ends_on: datetime.date
    days: Decimal
    years: dict | None = None


@dataclass(frozen=True)
class Forecast:
    """`kind`: NO_ACTIVITY (no pace yet), EXCEEDED (used > budget), EXHAUSTED (used = budget)
    or DATE (`on`: the day the budget runs out at the current pace)."""

    kind: str
    on: datetime.date | None = None
    pace: Decimal | None = None  # days used per day elapsed


def _share(days, day, start, end):
    """The part of `days` spread over [start, end] planned by `day` (multiplied before dividing,
    so that whole days stay whole)."""
    if day < start:
        return ZERO
    if day >= end:
        return days
    return days * (day - start).days / Decimal((end - start).days)


def _segments(budget):
    """[(start, end, days)]: each part of the period and the days planned over it."""
    if not budget.years:
        return [(budget.starts_on, budget.ends_on, Decimal(budget.days))]
    segments = []
    for year, days in sorted(budget.years.items()):
        start = max(budget.starts_on, datetime.date(year, 1, 1))
        end = min(budget.ends_on, datetime.date(year + 1, 1, 1))
        segments.append((start, max(start, end), Decimal(days)))
    return segments


def planned_to(budget, day):
    """Cumulative days planned by the end of `day`."""
    return sum((_share(days, day, s, e) for s, e, days in _segments(budget)), ZERO)


def total_planned(budget):
    return sum((Decimal(d) for d in budget.years.values()), ZERO) if budget.years else budget.days


def cumulative(daily):
    """[(date, cumulative days)] from [(date, days)] (any order, dates may repeat)."""
    totals = {}
    for day, days in daily:
        totals[day] = totals.get(day, ZERO) + Decimal(days)
    running, rows = ZERO, []
    for day in sorted(totals):
        running += totals[day]
        rows.append((day, running))
    return rows


def used_to(steps, day):
    """Days used by the end of `day`, from `cumulative()` rows."""
    index = bisect_right([d for d, _total in steps], day)
    return steps[index - 1][1] if index else ZERO


def days_left(budget_days, used):
    return Decimal(budget_days) - Decimal(used)


def pace(used, starts_on, today):
    """Days used per day elapsed since the start (at least one day), None before any use."""
    if not used:
        return None
    elapsed = max((today - starts_on).days, 1)
    return Decimal(used) / Decimal(elapsed)


def forecast(used, budget_days, starts_on, today):
    """When the budget runs out at the current pace."""
    used, budget_days = Decimal(used), Decimal(budget_days)
    rate = pace(used, starts_on, today)
    if rate is None:
        return Forecast(NO_ACTIVITY)
    if used > budget_days:
        return Forecast(EXCEEDED, pace=rate)
    if used == budget_days:
        return Forecast(EXHAUSTED, pace=rate)
    ahead = math.ceil((budget_days - used) / rate)
    start = max(today, starts_on)
    return Forecast(DATE, start + datetime.timedelta(days=min(ahead, FAR)), rate)


def threshold(planned):
    """The gap tolerated around the plan: a share of the days planned to date (setting
    FOLLOWUP_PACE_THRESHOLD, 0.2 by default), never under two days."""
    share = Decimal(str(getattr(settings, "FOLLOWUP_PACE_THRESHOLD", "0.2")))
    return max(Decimal(planned) * share, MIN_THRESHOLD)


def status(used, planned):
    """AHEAD when more days were used than planned by more than the threshold, BEHIND when
    fewer, ON_PLAN otherwise."""
    gap = Decimal(used) - Decimal(planned)
    limit = threshold(planned)
    if gap > limit:
        return AHEAD
    if gap < -limit:
        return BEHIND
    return ON_PLAN


def month_ends(starts_on, ends_on):
    """The last day of each month of the period (the period's end for the last one)."""
    days, year, month = [], starts_on.year, starts_on.month
    while True:
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        last = following - datetime.timedelta(days=1)
        if last >= ends_on:
            days.append(ends_on)
            return days
        days.append(last)
        year, month = following.year, following.month


def monthly(budget, steps, today):
    """[(month's last day, planned to it, used to it or None for months not begun)]."""
    return [
        (
            day,
            rounded(planned_to(budget, day)),
            used_to(steps, day) if day.replace(day=1) <= today else None,
        )
        for day in month_ends(budget.starts_on, budget.ends_on)
    ]


def rounded(days):
    return Decimal(days).quantize(TENTH, rounding=ROUND_HALF_UP)
