from django import template

from ecoquartier.core.pagination import render_pagination

register = template.Library()


@register.simple_tag(takes_context=True)
def pagination(context, page_obj, extra_class="fr-mt-4w"):
    """`{% pagination page_obj %}`: the DSFR navigation, keeping the other query parameters."""
    return render_pagination(context["request"], page_obj, extra_class)
