"""The grants part's template helpers: amounts in euros, and the links to the budgets of the
programmes a user manages (shown on the follow-ups list)."""

from django import template

from ecoquartier.calls.permissions import managed_programmes
from ecoquartier.followup.grants import money as format_money

register = template.Library()


@register.filter
def money(amount):
    return "" if amount is None else format_money(amount)


@register.inclusion_tag("followup/grants/budget_links.html", takes_context=True)
def budget_links(context):
    """The budgets of the programmes the user manages (one query, at most 20 of them)."""
    user = context["request"].user
    programmes = list(managed_programmes(user).order_by("name").only("pk", "name")[:20])
    return {"programmes": programmes}
