"""`{{ follow_up|days_forecast }}`: when the follow-up's days budget runs out at the current
pace, as one French sentence, from the follow-up's own columns (no query)."""

from django import template
from django.utils import timezone

from ecoquartier.followup import days

register = template.Library()


@register.filter
def days_forecast(follow_up):
    forecast = days.follow_up_forecast(follow_up, timezone.localdate())
    return days.forecast_text(forecast, follow_up.ends_on)


@register.filter
def days_left(follow_up):
    return follow_up.days_budget - follow_up.days_used
