"""A server-side SVG chart of one indicator over time: the baseline, the targets, the
measurements (estimated ones hollow), with the same numbers in the table beside it (template).
Coordinates are written as plain strings, never localised."""

import datetime
from html import escape

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
MEASURED, TARGET, BASELINE = "#000091", "#18753c", "#666666"


def _ordinal(day):
    return day.toordinal()


def _ticks(low, high, count=4):
    if high == low:
        return [low]
    step = (high - low) / count
    return [low + step * i for i in range(count + 1)]


def chart(indicator, points, *, chart_id):
    """`points`: dicts with kind (baseline/target/measurement), value (Decimal), day (date),
    estimated (bool). None when there is nothing to draw."""
    if not points:
        return None
    days = [p["day"] for p in points]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - datetime.timedelta(days=180), last + datetime.timedelta(days=180)
    values = [float(p["value"]) for p in points]
    low, high = min(values + [0.0]), max(values)
    if high == low:
        high = low + 1
    span_x, span_y = _ordinal(last) - _ordinal(first), high - low

    def x(day):
        return LEFT + (WIDTH - LEFT - RIGHT) * (_ordinal(day) - _ordinal(first)) / span_x

    def y(value):
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (float(value) - low) / span_y)

    measured = sorted((p for p in points if p["kind"] == "measurement"), key=lambda p: p["day"])
    return {
        "id": chart_id,
        "title": indicator.name,
        "unit": indicator.unit,
        "y_ticks": [
            {"y": f"{y(v):.1f}", "label": _format(v, indicator.precision)}
            for v in _ticks(low, high)
        ],  # fmt: skip
        "x_ticks": [
            {"x": f"{x(datetime.date(year, 1, 1)):.1f}", "label": str(year)}
            for year in range(first.year + 1, last.year + 1)
        ],  # fmt: skip
        "line": " ".join(f"{x(p['day']):.1f},{y(p['value']):.1f}" for p in measured),
        "dots": [
            {
                "x": f"{x(p['day']):.1f}",
                "y": f"{y(p['value']):.1f}",
                "kind": p["kind"],
                "estimated": p.get("estimated", False),
            }
            for p in points
        ],  # fmt: skip
    }


def _format(value, precision):
    return f"{value:.{precision}f}".replace(".", ",")


def svg(data):
    cid = escape(data["id"])
    description = _(
        "Situation de départ (carré gris), objectifs (losanges verts) et mesures (points bleus, "
        "creux quand la valeur est estimée) au fil du temps, en %(unit)s. Les mêmes données "
        "figurent dans le tableau qui suit."
    ) % {"unit": data["unit"]}
    bottom = HEIGHT - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="eq-indicator-chart" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        'font-family="Marianne, Arial, sans-serif" font-size="11">',
        f'<title id="{cid}-title">{escape(str(data["title"]))}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        '<g stroke="#dddddd" stroke-width="1">',
        *(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{t["y"]}" y2="{t["y"]}"/>'
            for t in data["y_ticks"]
        ),  # fmt: skip
        "</g>",
        '<g fill="#3a3a3a" text-anchor="end">',
        *(
            f'<text x="{LEFT - 6}" y="{t["y"]}" dy="4">{escape(t["label"])}</text>'
            for t in data["y_ticks"]
        ),  # fmt: skip
        '</g><g fill="#3a3a3a" text-anchor="middle">',
        *(f'<text x="{t["x"]}" y="{bottom + 18}">{t["label"]}</text>' for t in data["x_ticks"]),
        "</g>",
    ]
    if data["line"]:
        parts.append(
            f'<polyline points="{data["line"]}" fill="none" stroke="{MEASURED}" stroke-width="2"/>'
        )
    for dot in data["dots"]:
        if dot["kind"] == "baseline":
            parts.append(f'<rect x="{float(dot["x"]) - 5:.1f}" y="{float(dot["y"]) - 5:.1f}" '
                         f'width="10" height="10" fill="{BASELINE}"/>')  # fmt: skip
        elif dot["kind"] == "target":
            cx, cy = float(dot["x"]), float(dot["y"])
            parts.append(
                f'<polygon points="{cx:.1f},{cy - 7:.1f} {cx + 7:.1f},{cy:.1f} {cx:.1f},'
                f'{cy + 7:.1f} {cx - 7:.1f},{cy:.1f}" fill="{TARGET}"/>'
            )
        else:
            fill = "#ffffff" if dot["estimated"] else MEASURED
            parts.append(f'<circle cx="{dot["x"]}" cy="{dot["y"]}" r="4.5" fill="{fill}" '
                         f'stroke="{MEASURED}" stroke-width="2"/>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


STRIP_WIDTH, STRIP_HEIGHT, STRIP_PAD = 480, 56, 16


def strip(stats, indicator, *, chart_id):
    """The comparison as a strip: the others' range, their quartiles as a box, the median as a
    tick, the project's own value as a diamond. Plain strings, never localised."""
    low, high = float(stats.low), float(stats.high)
    if stats.own is not None:
        low, high = min(low, float(stats.own)), max(high, float(stats.own))
    span = (high - low) or 1.0

    def x(value):
        return STRIP_PAD + (STRIP_WIDTH - 2 * STRIP_PAD) * (float(value) - low) / span

    cid = escape(chart_id)
    middle = STRIP_HEIGHT / 2
    description = _(
        "Valeurs de %(count)d projets comparables : de %(low)s à %(high)s %(unit)s, la moitié "
        "entre %(q1)s et %(q3)s, médiane %(median)s."
    ) % {
        "count": stats.count, "unit": indicator.unit,
        **{name: _format(getattr(stats, name), indicator.precision)
           for name in ("low", "high", "q1", "q3", "median")},
    }  # fmt: skip
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {STRIP_WIDTH} {STRIP_HEIGHT}" '
        f'class="eq-indicator-strip" role="img" aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{escape(_("Position parmi les projets comparables"))}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        f'<line x1="{x(stats.low):.1f}" x2="{x(stats.high):.1f}" y1="{middle:.1f}" '
        f'y2="{middle:.1f}" stroke="#929292" stroke-width="2"/>',
        f'<rect x="{x(stats.q1):.1f}" y="{middle - 10:.1f}" '
        f'width="{x(stats.q3) - x(stats.q1):.1f}" height="20" fill="#e3e3fd" stroke="#6a6af4"/>',
        f'<line x1="{x(stats.median):.1f}" x2="{x(stats.median):.1f}" y1="{middle - 12:.1f}" '
        f'y2="{middle + 12:.1f}" stroke="#000091" stroke-width="3"/>',
    ]
    if stats.own is not None:
        cx = x(stats.own)
        parts.append(
            f'<polygon points="{cx:.1f},{middle - 9:.1f} {cx + 9:.1f},{middle:.1f} {cx:.1f},'
            f'{middle + 9:.1f} {cx - 9:.1f},{middle:.1f}" fill="#ce0500"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
