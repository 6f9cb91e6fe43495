from django import template

from ecoquartier.assessments import radar

register = template.Library()


@register.filter
def signed(value):
    """A delta written with its sign: +1, 0, −2 (a true minus sign reads better)."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{abs(value)}"
    return "0"


@register.simple_tag
def radar_svg(chart, title):
    """The SVG element of a `radar.radar()` chart, named by `title`."""
    return radar.svg(chart, title)
