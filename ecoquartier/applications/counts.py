"""Counts of a call's applications that do not grow with their number (ADR 19).

`ApplicationCount` holds, per call, how many applications are in each (state, eligibility,
scored) case: at most 54 rows per call. Database triggers (migration 0009) keep it in the same
transaction as every write to the applications table — a service's save, a bulk action's
UPDATE, a cascade or a bulk load alike — so no Python path can forget it. The dashboard and the
ranking read it for those who instruct the whole call (its managers); a State referent, who
instructs the call's applications in their territories only, still gets a COUNT over those.
"""

from ecoquartier.applications.models import ApplicationCount

# The `eligible` key of ApplicationCount and the Application.eligible value it stands for.
ELIGIBLE = {1: True, 0: False, 2: None}


def rows(call):
    """(state, eligible, scored, total) of every non-empty case of `call`: one query."""
    return [
        (state, ELIGIBLE[eligible], scored, total)
        for state, eligible, scored, total in ApplicationCount.objects.filter(
            call=call, total__gt=0
        ).values_list("state", "eligible", "scored", "total")
    ]


def by_state_and_eligibility(call):
    """{(state, eligible): number} of all the applications of `call`."""
    counts = {}
    for state, eligible, _scored, total in rows(call):
        counts[state, eligible] = counts.get((state, eligible), 0) + total
    return counts


def ranking_totals(call, states):
    """{"scored": n, "unscored": n} of the applications of `call` in `states`."""
    totals = {"scored": 0, "unscored": 0}
    for state, _eligible, scored, total in rows(call):
        if state in states:
            totals["scored" if scored else "unscored"] += total
    return totals
