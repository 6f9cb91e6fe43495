"""`{% load shell %}{% breadcrumb_trail %}`: the DSFR breadcrumb of every page, written in Python.

Every page below the home page has one (the view passes `breadcrumb=[(label, url_or_None), …]`,
the last item being the current page), so its cost is paid on each request: as an included
template it took about a quarter of the bare page's rendering; as a tag, a few microseconds. The
markup is the DSFR's (tests/core/test_shell.py compares it with the template it replaced)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context):
    trail = context.get("breadcrumb")
    if not trail:
        return ""
    last = len(trail) - 1
    items = format_html_join(
        "", "<li>{}</li>", ((_item(label, url, i == last),) for i, (label, url) in enumerate(trail))
    )
    return format_html(
        '<nav role="navigation" class="fr-breadcrumb" aria-label="{}">'
        '<button class="fr-breadcrumb__button" aria-expanded="false" '
        'aria-controls="breadcrumb-trail">{}</button>'
        '<div class="fr-collapse" id="breadcrumb-trail"><ol class="fr-breadcrumb__list">'
        '<li><a class="fr-breadcrumb__link" href="{}">{}</a></li>{}</ol></div></nav>',
        gettext("vous êtes ici :"),
        gettext("Voir le fil d’Ariane"),
        reverse("core:home"),
        gettext("Accueil"),
        items,
    )


def _item(label, url, current):
    if current:
        return format_html('<a class="fr-breadcrumb__link" aria-current="page">{}</a>', label)
    if url:
        return format_html('<a class="fr-breadcrumb__link" href="{}">{}</a>', url, label)
    return format_html('<span class="fr-breadcrumb__link">{}</span>', label)
