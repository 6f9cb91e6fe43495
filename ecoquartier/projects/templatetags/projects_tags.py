from django import template
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
