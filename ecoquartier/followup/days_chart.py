"""The burn-down chart of a follow-up's days, drawn on the server as one accessible SVG element
(like assessments/radar.py): the planned line, the days used as a step line, a marker for today
and the forecast as a dashed line. The same figures are in the table beside it."""

import datetime
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ecoquartier.followup import burndown
from ecoquartier.followup.plan import months_later

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 20, 16, 36
PLANNED, USED, FORECAST, TODAY, GRID = "#666666", "#000091", "#b34000", "#3a3a3a", "#dddddd"
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def _step(top):
    return next((s for s in STEPS if top / s <= 6), STEPS[-1])


def _month_starts(start, end):
    days, day = [], start.replace(day=1)
    while day <= end:
        if day > start:
            days.append(day)
        day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return days


def chart(budget, steps, used, today, forecast):
    """Plain numbers for `svg()`: polyline points, ticks, today's marker."""
    x0 = budget.starts_on
    x1 = budget.ends_on
    if forecast.kind == burndown.DATE and forecast.on > x1:
        x1 = min(forecast.on, months_later(budget.ends_on, 12))
    top = max(Decimal(burndown.total_planned(budget)), Decimal(used), Decimal(1))
    step = _step(float(top))
    y_max = (int(float(top) // step) + 1) * step
    span = max((x1 - x0).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day):
        day = min(max(day, x0), x1)
        return round(LEFT + (day - x0).days / span * plot_w, 1)

    def y(days):
        return round(TOP + plot_h - float(days) / y_max * plot_h, 1)

    planned_days = [budget.starts_on, *_month_starts(budget.starts_on, budget.ends_on)]
    planned_days.append(budget.ends_on)
    planned = " ".join(f"{x(d)},{y(burndown.planned_to(budget, d))}" for d in planned_days)
    actual, level = [f"{x(x0)},{y(0)}"], Decimal(0)
    for day, total in steps:
        actual += [f"{x(day)},{y(level)}", f"{x(day)},{y(total)}"]
        level = total
    last = max([today, *(d for d, _t in steps[-1:])])
    actual.append(f"{x(min(last, x1))},{y(level)}")
    dashed = None
    if forecast.kind == burndown.DATE:
        start = max(today, x0)
        end = min(forecast.on, x1)
        value = Decimal(used) + forecast.pace * (end - start).days
        dashed = f"{x(start)},{y(used)} {x(end)},{y(value)}"
    return {
        "planned": planned,
        "actual": " ".join(actual),
        "forecast": dashed,
        "today": x(today) if x0 <= today <= x1 else None,
        "y_ticks": [{"y": y(v), "label": v} for v in range(0, y_max + 1, step)],
        "x_ticks": [
            {"x": x(datetime.date(year, 1, 1)), "label": year}
            for year in range(x0.year + 1, x1.year + 1)
        ],
        "x_start": {"x": x(x0), "label": date_format(x0, "M Y")},
        "bottom": y(0),
    }


def svg(data, title, description):
    """The chart as `<svg role="img">` named by `title` and described by `description`."""
    plot_right = WIDTH - RIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'width="100%" class="eq-burndown__svg" role="img" '
        'aria-labelledby="burndown-title burndown-desc" '
        f'font-family="Marianne, Arial, sans-serif" font-size="12">',
        f'<title id="burndown-title">{escape(title)}</title>',
        f'<desc id="burndown-desc">{escape(description)}</desc>',
        f'<g stroke="{GRID}" stroke-width="1">',
        *(
            f'<line x1="{LEFT}" y1="{t["y"]}" x2="{plot_right}" y2="{t["y"]}"/>'
            for t in data["y_ticks"]
        ),
        *(
            f'<line x1="{t["x"]}" y1="{TOP}" x2="{t["x"]}" y2="{data["bottom"]}"/>'
            for t in data["x_ticks"]
        ),
        '</g><g fill="#3a3a3a">',
        *(
            f'<text x="{LEFT - 6}" y="{t["y"] + 4}" text-anchor="end">{t["label"]}</text>'
            for t in data["y_ticks"]
        ),
        *(
            f'<text x="{t["x"]}" y="{data["bottom"] + 18}" text-anchor="middle">{t["label"]}</text>'
            for t in data["x_ticks"]
        ),
        f'<text x="{data["x_start"]["x"]}" y="{data["bottom"] + 18}">'
        f"{escape(data['x_start']['label'])}</text>",
        "</g>",
        f'<polyline points="{data["planned"]}" fill="none" stroke="{PLANNED}" stroke-width="2"/>',
        f'<polyline points="{data["actual"]}" fill="none" stroke="{USED}" stroke-width="3" '
        'stroke-linejoin="round"/>',
    ]
    if data["forecast"]:
        parts.append(
            f'<polyline points="{data["forecast"]}" fill="none" stroke="{FORECAST}" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    if data["today"] is not None:
        parts += [
            f'<line x1="{data["today"]}" y1="{TOP}" x2="{data["today"]}" y2="{data["bottom"]}" '
            f'stroke="{TODAY}" stroke-width="1" stroke-dasharray="2 3"/>',
            f'<text x="{data["today"] + 4}" y="{TOP + 10}" fill="{TODAY}">'
            f"{escape(_('Aujourd’hui'))}</text>",
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped or a number
