from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from ecoquartier.projects import history

register = template.Library()


@register.filter
def change_rows(changes):
    """[(label, before, after)] of an activity event's field-level changes."""
    return history.change_rows(changes)


@register.filter
def actor_name(user):
    # Timelines can be public: show a person's name, never their e-mail address.
    if user is None:
        return _("La plateforme")
    return user.get_full_name() or _("Un utilisateur")


@register.filter
def decimal_degrees(value):
    """48.905000 → "48,905" in French: no trailing zeros, the reader's decimal separator."""
    if value is None:
        return ""
    return formats.localize(Decimal(value).normalize())
