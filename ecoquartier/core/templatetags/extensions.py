"""`{% load extensions %}{% render_panels "slot" obj %}`: fragments registered by higher apps;
`{% page_url "login" %}`: the page a higher app registered for a role (core.extensions)."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from ecoquartier.core.extensions import page_url_name, panels

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panels(context, slot, obj):
    request = context.get("request")
    return mark_safe(  # noqa: S308 — each fragment is a template rendered with autoescape.
        "".join(
            render_to_string(
                panel.template_name,
                panel.get_context(obj, request) if panel.with_request else panel.get_context(obj),
                request=request,
            )
            for panel in panels(slot)
        )
    )


@register.simple_tag
def page_url(role):
    return reverse(page_url_name(role))
