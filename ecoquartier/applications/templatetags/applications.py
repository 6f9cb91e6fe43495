"""`{% load applications %}{% call_laureates call %}`: the public list of laureates, for the call
page (rendered by the calls app, which only needs to load this tag library)."""

from django import template

from ecoquartier.applications import queries

register = template.Library()


@register.inclusion_tag("applications/includes/laureates.html")
def call_laureates(call):
    return {"laureates": queries.laureates(call)}
