"""The burn-down arithmetic (followup/burndown.py): pure functions, no database."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from ecoquartier.followup import burndown
from ecoquartier.followup.burndown import Budget

THREE_YEARS = Budget(date(2025, 1, 1), date(2028, 1, 1), Decimal(36))


def test_the_plan_is_linear_from_the_start_to_the_end():
    assert burndown.planned_to(THREE_YEARS, date(2024, 6, 1)) == 0
    assert burndown.planned_to(THREE_YEARS, date(2025, 1, 1)) == 0
    halfway = date(2025, 1, 1) + (date(2028, 1, 1) - date(2025, 1, 1)) / 2
    assert burndown.rounded(burndown.planned_to(THREE_YEARS, halfway)) == Decimal("18.0")
    assert burndown.planned_to(THREE_YEARS, date(2028, 1, 1)) == 36
    assert burndown.planned_to(THREE_YEARS, date(2030, 1, 1)) == 36


def test_a_budget_split_by_year_spreads_each_year_over_that_year():
    budget = Budget(date(2025, 1, 1), date(2028, 1, 1), Decimal(36), {2025: 20, 2026: 10, 2027: 6})
    assert burndown.planned_to(budget, date(2026, 1, 1)) == 20
    assert burndown.rounded(burndown.planned_to(budget, date(2026, 7, 2))) == Decimal("25.0")
    assert burndown.planned_to(budget, date(2027, 1, 1)) == 30
    assert burndown.planned_to(budget, date(2028, 1, 1)) == 36
    assert burndown.total_planned(budget) == 36


def test_a_year_partly_in_the_period_spreads_over_its_part_only():
    budget = Budget(date(2025, 7, 1), date(2026, 7, 1), Decimal(10), {2025: 6, 2026: 4})
    assert burndown.planned_to(budget, date(2026, 1, 1)) == 6
    assert burndown.planned_to(budget, date(2026, 7, 1)) == 10


def test_leap_years_count_their_29_february():
    leap = Budget(date(2028, 1, 1), date(2029, 1, 1), Decimal(366))
    assert burndown.planned_to(leap, date(2028, 2, 29)) == 59
    assert burndown.planned_to(leap, date(2028, 3, 1)) == 60
    assert burndown.month_ends(date(2028, 1, 15), date(2028, 4, 10)) == [
        date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 10),
    ]  # fmt: skip


def test_no_activity_yet_means_no_pace_and_no_forecast():
    assert burndown.cumulative([]) == []
    assert burndown.used_to([], date(2026, 1, 1)) == 0
    assert burndown.pace(0, date(2025, 1, 1), date(2026, 1, 1)) is None
    forecast = burndown.forecast(0, 36, date(2025, 1, 1), date(2026, 1, 1))
    assert forecast.kind == burndown.NO_ACTIVITY and forecast.on is None
    assert burndown.days_left(36, 0) == 36


def test_half_days_add_up_by_date():
    steps = burndown.cumulative(
        [(date(2025, 3, 1), Decimal("0.5")), (date(2025, 2, 1), Decimal("1.5")),
         (date(2025, 3, 1), Decimal("0.5"))]
    )  # fmt: skip
    assert steps == [(date(2025, 2, 1), Decimal("1.5")), (date(2025, 3, 1), Decimal("2.5"))]
    assert burndown.used_to(steps, date(2025, 2, 28)) == Decimal("1.5")
    assert burndown.used_to(steps, date(2025, 3, 1)) == Decimal("2.5")
    assert burndown.days_left(36, Decimal("2.5")) == Decimal("33.5")


def test_the_forecast_is_when_the_budget_runs_out_at_the_current_pace():
    # 10 days used in 100 days: 0.1 a day, 26 days left → 260 more days.
    forecast = burndown.forecast(10, 36, date(2025, 1, 1), date(2025, 4, 11))
    assert forecast.kind == burndown.DATE
    assert forecast.pace == Decimal("0.1")
    assert forecast.on == date(2025, 12, 27)


def test_the_forecast_rounds_up_to_the_next_day():
    forecast = burndown.forecast(Decimal("0.5"), 1, date(2025, 1, 1), date(2025, 1, 4))
    assert forecast.on == date(2025, 1, 7)


def test_an_exceeded_budget_is_said_so():
    assert burndown.forecast(Decimal("36.5"), 36, date(2025, 1, 1), date(2026, 1, 1)).kind == (
        burndown.EXCEEDED
    )
    assert burndown.forecast(36, 36, date(2025, 1, 1), date(2026, 1, 1)).kind == (
        burndown.EXHAUSTED
    )
    assert burndown.days_left(36, Decimal("36.5")) == Decimal("-0.5")


def test_use_exactly_on_plan_is_on_plan():
    assert burndown.status(12, 12) == burndown.ON_PLAN


@pytest.mark.parametrize(
    ("used", "planned", "expected"),
    [
        (14, 12, burndown.ON_PLAN),  # 2 days: the minimum threshold, not exceeded
        (Decimal("14.5"), 12, burndown.AHEAD),
        (Decimal("9.5"), 12, burndown.BEHIND),
        (24, 20, burndown.ON_PLAN),  # 20 % of 20 days = 4 days
        (Decimal("24.5"), 20, burndown.AHEAD),
        (Decimal("15.5"), 20, burndown.BEHIND),
        (0, 0, burndown.ON_PLAN),
    ],
)
def test_the_status_tolerates_20_percent_of_the_plan_with_2_days_at_least(used, planned, expected):
    assert burndown.status(used, planned) == expected


@override_settings(FOLLOWUP_PACE_THRESHOLD=0.5)
def test_the_threshold_is_a_setting():
    assert burndown.status(Decimal("29.5"), 20) == burndown.ON_PLAN
    assert burndown.status(Decimal("30.5"), 20) == burndown.AHEAD


def test_monthly_rows_leave_months_not_begun_empty():
    steps = burndown.cumulative([(date(2025, 1, 10), Decimal(1)), (date(2025, 2, 3), Decimal(2))])
    rows = burndown.monthly(THREE_YEARS, steps, date(2025, 2, 15))
    assert len(rows) == 37  # 36 months, then 1 January 2028
    assert rows[0] == (date(2025, 1, 31), Decimal("1.0"), Decimal(1))
    assert rows[1][2] == Decimal(3)
    assert rows[2][2] is None
    assert rows[-1] == (date(2028, 1, 1), Decimal("36.0"), None)


def test_the_chart_draws_plan_use_today_and_forecast_with_a_title_and_description():
    from ecoquartier.followup import days_chart

    steps = burndown.cumulative([(date(2025, 2, 1), Decimal(2)), (date(2025, 5, 1), Decimal(4))])
    today = date(2025, 7, 1)
    forecast = burndown.forecast(6, 36, THREE_YEARS.starts_on, today)
    data = days_chart.chart(THREE_YEARS, steps, Decimal(6), today, forecast)
    svg = str(days_chart.svg(data, "Jours <consommés>", "Description & détails"))
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and 'role="img"' in svg
    assert '<title id="burndown-title">Jours &lt;consommés&gt;</title>' in svg
    assert "Description &amp; détails" in svg
    assert svg.count("<polyline") == 3 and 'stroke-dasharray="6 4"' in svg
    assert "Aujourd’hui" in svg
    # The step line starts at 0 on the first day and climbs at each activity's date.
    assert data["actual"].split()[0] == f"{float(days_chart.LEFT)},{data['bottom']}"
    assert len(data["actual"].split()) == 2 + 2 * len(steps)


def test_a_slow_pace_stretches_the_axis_one_year_at_most():
    from ecoquartier.followup import days_chart

    today = date(2025, 7, 1)
    forecast = burndown.forecast(1, 36, THREE_YEARS.starts_on, today)
    assert forecast.on > date(2029, 1, 1)
    data = days_chart.chart(THREE_YEARS, [(date(2025, 2, 1), Decimal(1))], 1, today, forecast)
    assert [t["label"] for t in data["x_ticks"]] == [2026, 2027, 2028, 2029]
    no_activity = burndown.forecast(0, 36, THREE_YEARS.starts_on, today)
    data = days_chart.chart(THREE_YEARS, [], 0, today, no_activity)
    assert data["forecast"] is None
    assert 'stroke-dasharray="6 4"' not in str(days_chart.svg(data, "t", "d"))
