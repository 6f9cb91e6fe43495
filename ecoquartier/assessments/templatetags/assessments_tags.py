from django import template

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
