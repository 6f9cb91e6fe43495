"""A link from a call page (calls app, a lower layer) to the call's instruction, for those who
instruct it: a panel of the call page's aside (core.extensions.register_panel)."""

from ecoquartier.applications.permissions import can_instruct_call
from ecoquartier.calls.models import Call
from ecoquartier.calls.permissions import managing_organisation_ids
from ecoquartier.core.extensions import register_panel
from ecoquartier.organisations.permissions import state_territory_ids


def context(call, request):
    """`call` is the page's stub (pk, slug, state, status): the programme is read only for
    those who might instruct (a programme manager or a State service), in one query."""
    user = request.user
    if not user.is_authenticated:
        return {}
    if not (user.is_superuser or managing_organisation_ids(user) or state_territory_ids(user)):
        return {}
    full = (
        Call.objects.select_related("programme").only("state", "programme__owner").get(pk=call.pk)
    )
    return {"call": call, "instructs": can_instruct_call(user, full)}


def register():
    register_panel(
        "call_aside", "applications/includes/call_instruction.html", context, order=20,
        with_request=True,
    )  # fmt: skip
