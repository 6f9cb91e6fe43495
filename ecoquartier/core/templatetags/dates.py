"""Django's `date` filter with « 1er » for the first of a month (core.dates). Loaded as a
template builtin (settings.TEMPLATES), so every template's `|date` writes French dates."""

from django import template
from django.template import defaultfilters

from ecoquartier.core.dates import french_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if value in (None, ""):
        return ""
    return defaultfilters.date(value, french_format(value, arg))
