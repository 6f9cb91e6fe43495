"""Read-side helpers shared by the dashboard, the ranking and the exports: the same filters
give the same rows on screen and in files (F-34)."""

from ecoquartier.applications.models import Application, State
from ecoquartier.applications.permissions import instructed_applications
from ecoquartier.core.params import parse_id
from ecoquartier.core.reference import ReferenceList
from ecoquartier.territories.models import Territory


def parse_filters(params):
    """{state, territory, eligible} from a QueryDict or dict; unknown values are dropped."""
    state = params.get("state", "")
    eligible = params.get("eligible", "")
    territory = None
    if (territory_id := parse_id(params.get("territory"))) is not None:
        territory = Territory.objects.filter(pk=territory_id).first()
    return {
        "state": state if state in State.values else "",
        "territory": territory,
        "eligible": eligible if eligible in ("yes", "no", "unknown") else "",
    }


def filtered_applications(user, call, params, filters=None):
    """Applications of `call` the user instructs, past the draft, filtered as on screen
    (`filters`: what `parse_filters(params)` returns, when the caller has it already)."""
    filters = parse_filters(params) if filters is None else filters
    queryset = instructed_applications(user, call, Application.objects.submitted())
    return queryset.filtered(**filters)


# The dashboard's territory filter: régions and départements, cached (core/reference.py). The
# yearly territory import writes in bulk, from another process: the list may then be five
# minutes old (not with a shared cache, CACHE_URL).
territory_filter_choices = ReferenceList(
    "applications:territory-filter",
    lambda: list(
        Territory.objects.filter(kind__in=["region", "departement"])
        .order_by("kind", "code")
        .values_list("pk", "name")
    ),
    models=[Territory],
)


def serialisable(params):
    """The filters as stored on a background export."""
    return {k: params.get(k, "") for k in ("state", "territory", "eligible")}


def laureates(call):
    """The selected applications of a call, for its public page (any app may include
    `applications/includes/laureates.html` with `laureates`)."""
    return list(
        Application.objects.filter(call=call, state=State.SELECTED)
        .select_related("organisation", "project")
        .order_by("organisation__name")
    )
