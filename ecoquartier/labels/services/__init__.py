"""Every change to the label: charters, history, campaigns, files, experts, commissions, awards
and use-phase evaluations. Atomic, permission-checked, logged (F-04), e-mailed on commit.

Composition, not duplication: a campaign is a `calls.Call` with `CallStep`s; a file applies
through `applications.services` and moves its application with `core.workflows.fire`;
the label expertise and the use-phase evaluation are `assessments.Assessment`s.

The operations are grouped by concern in the modules of this package and exposed here, so that
callers write `services.sign_charter(...)`.
"""

from ecoquartier.labels.permissions import (  # who may be an expert: a permission rule
    conflict_organisations,
    eligible_experts,
    expert_conflicts,
)
from ecoquartier.labels.services.campaigns import (
    CALENDAR,
    COMMITMENT_KEY,
    apply,
    create_campaign,
    prefill_commitments,
)
from ecoquartier.labels.services.charters import (
    acknowledge_charter,
    sign_charter,
)
from ecoquartier.labels.services.commissions import (
    agenda,
    deliberate,
    open_session,
    save_minutes,
    settle_local_outcomes,
)
from ecoquartier.labels.services.experts import (
    assign_experts,
    give_opinion,
    schedule_visit,
)
from ecoquartier.labels.services.history import (
    NATIONAL_BODY,
    USE_PHASE_YEARS,
    record_past_step,
    record_step,
    region_of,
)
from ecoquartier.labels.services.indicator_comments import comment_indicator
from ecoquartier.labels.services.use_phase import save_use_phase, send_due_reminders

__all__ = [
    "CALENDAR", "COMMITMENT_KEY", "NATIONAL_BODY",
    "USE_PHASE_YEARS", "acknowledge_charter", "agenda", "apply", "assign_experts",
    "comment_indicator", "conflict_organisations", "create_campaign", "deliberate",
    "eligible_experts",
    "expert_conflicts", "give_opinion", "open_session", "prefill_commitments", "record_past_step",
    "record_step", "region_of", "save_minutes", "save_use_phase", "schedule_visit",
    "send_due_reminders", "settle_local_outcomes", "sign_charter",
]  # fmt: skip
