"""Who hears about instalments (ecoquartier.notifications, ADR 21): the programme's managers of
each new request; the beneficiary's members of each decision on theirs. The default e-mail
template says the event's summary, the reason of a refusal and the link to the grants section."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from ecoquartier.calls.permissions import programme_managers
from ecoquartier.followup.models import FollowUp
from ecoquartier.notifications.registry import register

DECISIONS = (
    "followup.instalment_checked",
    "followup.instalment_approved",
    "followup.instalment_paid",
    "followup.instalment_refused",
)


def _follow_up(targets):
    return targets.get(FollowUp, FollowUp.objects.select_related("programme", "project"))


def managers(event, targets):
    return list(programme_managers(_follow_up(targets).programme))


def beneficiary(event, targets):
    """Members of the supported authority and of the project's holders."""
    follow_up = _follow_up(targets)
    return list(
        get_user_model()
        .objects.filter(
            Q(memberships__organisation_id=follow_up.beneficiary_id)
            | Q(memberships__organisation__held_projects=follow_up.project_id),
            is_active=True,
        )
        .distinct()
    )


def _url(event, targets):
    return reverse("followup:grants", args=[targets.pk(FollowUp)])


def register_rules():
    register("followup.instalment_requested", recipients=managers, url=_url)
    for verb in DECISIONS:
        register(verb, recipients=beneficiary, url=_url)
