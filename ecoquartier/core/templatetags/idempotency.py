"""Template tags for forms."""

from django import template
from django.utils.html import format_html

from ecoquartier.core.idempotency import FIELD, new_key

register = template.Library()


@register.simple_tag
def idempotency_key():
    """The hidden single-use key of a creating form (core/idempotency.py): a fresh one at each
    rendering, so that a form shown again after an error can be sent again once corrected."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())
