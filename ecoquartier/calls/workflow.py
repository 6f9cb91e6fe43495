"""A call's publication as data for the one engine, `core.workflows` (ADR 20): a draft, seen
only by its programme's managers, is published once; its status afterwards (open, closed,
archived) follows from its dates (`CallQuerySet.with_status`), not from transitions.

Publishing e-mails the matching search alerts once the transaction commits: calls/notifying.py
subscribes to "call.published" (ADR 21).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoquartier.calls.models import Call
from ecoquartier.calls.permissions import can_manage_call
from ecoquartier.core import workflows
from ecoquartier.core.workflows import Transition


def has_summary(call, data):
    if not call.summary.strip():
        return _("Rédigez un résumé : il apparaît dans les résultats du moteur.")
    return None


def opens_before_it_closes(call, data):
    if call.opens_at and call.closes_at and call.opens_at > call.closes_at:
        return _("L'ouverture des candidatures doit précéder la dernière date limite.")
    return None


def stamp_publication(call, actor, data):
    call.published_at = data["now"]


CALL = workflows.register(
    workflows.Workflow(
        "call", Call, Call.State,
        (
            Transition(
                "publish", _("Publier l’appel"), (Call.State.DRAFT,), Call.State.PUBLISHED,
                can_manage_call, "call.published",
                guards=(has_summary, opens_before_it_closes), effects=(stamp_publication,),
                style="primary",
            ),
        ),
        targets=lambda call, data: [call, call.programme],
        summary=lambda call, data: gettext("Appel publié : %s") % call,
        stale_message=lambda call, transition: gettext("Cet appel est déjà publié."),
        related=("programme",),
    )
)  # fmt: skip
