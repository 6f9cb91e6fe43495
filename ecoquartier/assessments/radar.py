"""Server-side radar chart geometry (no JavaScript chart library).

`radar()` turns axes and series into plain numbers and strings; `svg()` writes them as one SVG
element (a hundred shapes: one string format each, not template lookups), which
assessments/includes/radar.html frames with its legend, in the browser and in the PDF alike.
Axes start at the top and run clockwise; each dimension's commitments are contiguous and
marked by a coloured arc, and their numbers are written in the dimension's colour.
"""

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ecoquartier.assessments.models import MAX_LEVEL

SIZE = 560
CENTRE = SIZE / 2
RADIUS = 190
LABEL_RADIUS = RADIUS + 20
ARC_RADIUS = RADIUS + 42
SERIES_STYLES = (
    {"stroke": "#000091", "fill": "#000091", "dash": ""},
    {"stroke": "#c9191e", "fill": "#c9191e", "dash": "8 5"},
)


@dataclass(frozen=True)
class Axis:
    number: int
    title: str
    colour: str
    dimension: int


@dataclass(frozen=True)
class Series:
    label: str
    levels: tuple  # one level (0–4) or None per axis


def _point(index, count, radius):
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def _fmt(x, y):
    return f"{x:.1f},{y:.1f}"


def _polygon(count, radius):
    return " ".join(_fmt(*_point(i, count, radius)) for i in range(count))


def _label(index, axis, count):
    x, y = _point(index, count, LABEL_RADIUS)
    cos = math.cos(-math.pi / 2 + 2 * math.pi * index / count)
    anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
    # Vertical centring by offset: PDF renderers ignore dominant-baseline.
    return {"x": f"{x:.1f}", "y": f"{y + 5:.1f}", "anchor": anchor, "axis": axis}


def _arc(start, end, count, colour):
    step = 2 * math.pi / count
    a0 = -math.pi / 2 + step * (start - 0.45)
    a1 = -math.pi / 2 + step * (end + 0.45)
    x0, y0 = CENTRE + ARC_RADIUS * math.cos(a0), CENTRE + ARC_RADIUS * math.sin(a0)
    x1, y1 = CENTRE + ARC_RADIUS * math.cos(a1), CENTRE + ARC_RADIUS * math.sin(a1)
    large = 1 if a1 - a0 > math.pi else 0
    return {
        "d": f"M {x0:.1f} {y0:.1f} A {ARC_RADIUS} {ARC_RADIUS} 0 {large} 1 {x1:.1f} {y1:.1f}",
        "colour": colour,
    }


def _dimension_arcs(axes):
    groups = {}
    for index, axis in enumerate(axes):
        groups.setdefault(axis.dimension, [index, index, axis.colour])[1] = index
    return [_arc(start, end, len(axes), colour) for start, end, colour in groups.values()]


def _series(index, series, count):
    style = SERIES_STYLES[index % len(SERIES_STYLES)]
    levels = [level or 0 for level in series.levels]
    points = [_point(i, count, RADIUS * level / MAX_LEVEL) for i, level in enumerate(levels)]
    dots = [
        {"x": f"{x:.1f}", "y": f"{y:.1f}"}
        for (x, y), level in zip(points, series.levels, strict=True)
        if level is not None
    ]
    return {
        "label": series.label,
        "points": " ".join(_fmt(x, y) for x, y in points),
        "dots": dots,
        **style,
    }


def radar(axes, series, *, chart_id="radar"):
    count = len(axes)
    if count < 3:
        return None
    return {
        "id": chart_id,
        "size": SIZE,
        # Strings, not floats: templates would localise 280.0 as "280,0".
        "centre": f"{CENTRE:.1f}",
        "ring_label_x": f"{CENTRE + 5:.1f}",
        "rings": [
            {"level": level, "points": _polygon(count, RADIUS * level / MAX_LEVEL)}
            for level in range(1, MAX_LEVEL + 1)
        ],
        "ring_labels": [
            {"level": level, "y": f"{CENTRE - RADIUS * level / MAX_LEVEL + 4:.1f}"}
            for level in range(1, MAX_LEVEL + 1)
        ],
        "spokes": [
            {"x": f"{x:.1f}", "y": f"{y:.1f}"}
            for x, y in (_point(i, count, RADIUS) for i in range(count))
        ],
        "labels": [_label(i, axis, count) for i, axis in enumerate(axes)],
        "arcs": _dimension_arcs(axes),
        "series": [_series(i, s, count) for i, s in enumerate(series)],
    }


def axes_for(results):
    return [
        Axis(
            a.commitment.number,
            a.commitment.title,
            a.commitment.dimension.colour,
            a.commitment.dimension.number,
        )
        for a in results.answers
    ]


def results_radar(results, label, chart_id="radar"):
    return radar(
        axes_for(results),
        [Series(label, tuple(a.level for a in results.answers))],
        chart_id=chart_id,
    )


def comparison_radar(comparison, earlier_label, later_label, chart_id="radar-comparison"):
    axes = axes_for(comparison.later)
    return radar(
        axes,
        [
            Series(earlier_label, tuple(row.before for row in comparison.rows)),
            Series(later_label, tuple(row.after for row in comparison.rows)),
        ],
        chart_id=chart_id,
    )


def svg(chart, title):
    """The `radar()` chart as an accessible SVG element (`role="img"`, named by `title`).
    Numbers are written as they were formatted by `radar()`, never localised."""
    cid = escape(chart["id"])
    centre = chart["centre"]
    description = _(
        "Niveau de maturité de 0 à 4 pour chaque engagement, regroupés par dimension. "
        "Les mêmes données figurent dans le tableau qui suit."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart["size"]} {chart["size"]}" '
        f'width="{chart["size"]}" height="{chart["size"]}" class="eq-radar__svg" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="Marianne, Arial, sans-serif">',
        f'<title id="{cid}-title">{escape(str(title))}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        '<g fill="none" stroke="#dddddd" stroke-width="1">',
        *(f'<polygon points="{ring["points"]}"/>' for ring in chart["rings"]),
        '</g><g stroke="#cecece" stroke-width="1">',
        *(
            f'<line x1="{centre}" y1="{centre}" x2="{spoke["x"]}" y2="{spoke["y"]}"/>'
            for spoke in chart["spokes"]
        ),
        '</g><g font-size="11" fill="#666666">',
        *(
            f'<text x="{chart["ring_label_x"]}" y="{ring["y"]}">{ring["level"]}</text>'
            for ring in chart["ring_labels"]
        ),
        '</g><g fill="none" stroke-width="7" stroke-linecap="round">',
        *(f'<path d="{arc["d"]}" stroke="{arc["colour"]}"/>' for arc in chart["arcs"]),
        "</g>",
    ]
    for series in chart["series"]:
        dash = f' stroke-dasharray="{series["dash"]}"' if series["dash"] else ""
        parts += [
            '<g class="eq-radar__series">',
            f'<polygon points="{series["points"]}" fill="{series["fill"]}" fill-opacity="0.12" '
            f'stroke="{series["stroke"]}" stroke-width="2.5" stroke-linejoin="round"{dash}/>',
            *(
                f'<circle cx="{dot["x"]}" cy="{dot["y"]}" r="3.5" fill="{series["stroke"]}"/>'
                for dot in series["dots"]
            ),
            "</g>",
        ]
    parts.append('<g font-size="15" font-weight="bold">')
    parts += (
        f'<text x="{label["x"]}" y="{label["y"]}" text-anchor="{label["anchor"]}" '
        f'fill="{escape(label["axis"].colour)}">{label["axis"].number}</text>'
        for label in chart["labels"]
    )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped or ours
