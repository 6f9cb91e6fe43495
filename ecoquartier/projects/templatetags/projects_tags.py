from decimal import Decimal

from django import template
from django.utils import formats

from ecoquartier.projects import history

register = template.Library()


@register.filter
def change_rows(changes):
    """[(label, before, after)] of an activity event's field-level changes."""
    return history.change_rows(changes)


@register.filter
def decimal_degrees(value):
    """48.905000 → "48,905" in French: no trailing zeros, the reader's decimal separator."""
    if value is None:
        return ""
    return formats.localize(Decimal(value).normalize())
