"""The radar chart's SVG, written in Python (assessments/radar.py)."""

import re

from django.utils import translation

from ecoquartier.assessments import radar


def _axes(count=8):
    return [radar.Axis(n, f"Engagement {n}", "#000091" if n <= 4 else "#c9191e", 1 + (n > 4))
            for n in range(1, count + 1)]  # fmt: skip


def test_one_dot_per_answered_axis_and_one_arc_per_dimension():
    levels = (4, 3, None, 2, 1, 0, None, 4)
    chart = radar.radar(_axes(), [radar.Series("Auto-évaluation", levels)])
    svg = radar.svg(chart, "Profil")
    assert svg.count("<circle") == 6  # unanswered axes have no dot
    assert svg.count("<path") == 2
    assert svg.count("<line") == 8
    assert svg.count("<polygon") == 4 + 1  # rings, then the profile
    assert svg.count('font-size="15"') == 1
    assert re.findall(r'fill="(#[0-9a-f]{6})">(\d+)</text>', svg)[-1] == ("#c9191e", "8")


def test_two_series_are_told_apart_by_colour_and_dash():
    chart = radar.radar(_axes(), [radar.Series("Avant", (1,) * 8), radar.Series("Après", (3,) * 8)])
    svg = radar.svg(chart, "Comparaison")
    assert svg.count('class="eq-radar__series"') == 2
    assert svg.count('stroke-dasharray="8 5"') == 1


def test_the_title_is_escaped_and_names_the_image():
    chart = radar.radar(_axes(), [radar.Series("A", (2,) * 8)], chart_id="r1")
    svg = radar.svg(chart, "Profil <script>alert(1)</script> & co")
    assert "<script>" not in svg
    assert (
        '<title id="r1-title">Profil &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>' in svg
    )
    assert 'role="img" aria-labelledby="r1-title r1-desc"' in svg


def test_coordinates_are_never_localised():
    chart = radar.radar(_axes(), [radar.Series("A", (2,) * 8)])
    with translation.override("fr"):
        svg = radar.svg(chart, "Profil")
    assert "280.0" in svg and "280,0" not in svg
    assert "Niveau de maturité de 0 à 4" in svg  # the description, for screen readers


def test_fewer_than_three_axes_make_no_chart():
    assert radar.radar(_axes(2), [radar.Series("A", (1, 2))]) is None
