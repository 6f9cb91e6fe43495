"""The life of a label file as data for the one engine, `core.workflows` (ADR 20): experts,
visit and opinion, then the local commission's and the national commission's decisions (a
deliberation's outcome is the transition of the same name).

The services (`labels.services`) fire these transitions; guards, checks and effects live next
to the service they belong to (experts.py, commissions.py).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecoquartier.core import workflows
from ecoquartier.core.workflows import Transition
from ecoquartier.labels import permissions
from ecoquartier.labels.models import FileState, LabelFile
from ecoquartier.labels.services import commissions, experts


def campaign_managers(user, file):
    return permissions.can_manage_campaign(user, file.campaign)


LOCAL = {
    "permission": permissions.sits_in_local_commission, "needs_comment": True,
    "effects": (commissions.record_deliberation,),
    "summary": commissions.deliberated,
}  # fmt: skip
NATIONAL = {
    "permission": campaign_managers, "needs_comment": True,
    "effects": (commissions.record_deliberation, commissions.apply_national),
    "summary": commissions.deliberated,
}  # fmt: skip

TRANSITIONS = (
    Transition(
        "assign_experts", _("Désigner les experts"),
        (FileState.SUBMITTED, FileState.IN_EXPERTISE), FileState.IN_EXPERTISE,
        campaign_managers, "label.experts_assigned",
        checks=(experts.experts_fit,), effects=(experts.open_expertise,),
        summary=experts.experts_assigned,
    ),
    Transition(
        "schedule_visit", _("Prévoir la visite de site"), (FileState.IN_EXPERTISE,),
        FileState.IN_EXPERTISE, permissions.is_file_expert, "label.visit_scheduled",
        effects=(experts.set_visit,), summary=experts.visit_scheduled,
    ),
    Transition(
        "give_opinion", _("Rendre l'avis des experts"), (FileState.IN_EXPERTISE,),
        FileState.EXPERTISE_DONE, permissions.is_coordinator, "label.expertise_done",
        guards=(experts.expertise_ready,), checks=(experts.opinion_given,),
        effects=(experts.set_opinion,), summary=experts.expertise_done,
    ),
    # Local commission (the DDT(M)/DREAL of the file's territory).
    Transition(
        "propose", _("Proposer le label"), (FileState.EXPERTISE_DONE,), FileState.PROPOSED,
        verb="label.propose", **LOCAL,
    ),
    Transition(
        "adjourn", _("Ajourner avec une offre d'accompagnement"), (FileState.EXPERTISE_DONE,),
        FileState.ADJOURNED, verb="label.adjourn", checks=(commissions.support_offered,),
        **LOCAL,
    ),
    Transition(
        "not_propose", _("Ne pas proposer"), (FileState.EXPERTISE_DONE,),
        FileState.NOT_PROPOSED, verb="label.not_propose", **LOCAL,
    ),
    # National commission.
    Transition(
        "award", _("Attribuer le label"), (FileState.PROPOSED,), FileState.AWARDED,
        verb="label.award", **NATIONAL,
    ),
    Transition(
        "not_award", _("Ne pas attribuer le label"), (FileState.PROPOSED,),
        FileState.NOT_AWARDED, verb="label.not_award", **NATIONAL,
    ),
)  # fmt: skip


def targets(file, data):
    return [file, file.project, data.get("session")]


def stale_message(file, transition):
    return gettext("Ce dossier est maintenant « %s » : l'action n'a pas été appliquée.") % (
        file.get_state_display()
    )


LABEL_FILE = workflows.register(
    workflows.Workflow(
        "label_file", LabelFile, FileState, TRANSITIONS, version_field="version",
        targets=targets, stale_message=stale_message,
        related=("campaign__call__programme", "project", "application", "target_stage"),
        comment_required=_("Motivez la décision."),
    )
)  # fmt: skip
