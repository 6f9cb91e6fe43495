"""Read-side helpers shared by the dashboard, the ranking and the exports: the same filters
give the same rows on screen and in files (F-34)."""

from django.core.cache import cache

from ecoquartier.applications.models import Application, State
from ecoquartier.applications.permissions import instructed_applications
from ecoquartier.territories.models import Territory


def parse_filters(params):
    """{state, territory, eligible} from a QueryDict or dict; unknown values are dropped."""
    state = params.get("state", "")
    eligible = params.get("eligible", "")
    territory = None
    if str(params.get("territory", "")).isdigit():
        territory = Territory.objects.filter(pk=params["territory"]).first()
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


# Régions and départements change when the reference import runs (once a year) or in the admin:
# the dashboard's filter list is cached, as the projects' taxonomy. Saving or deleting a territory
# clears it (apps.py); the import writes in bulk, so after it the list is five minutes old at most.
TERRITORY_CHOICES_KEY = "applications:territory-filter"
TERRITORY_CHOICES_SECONDS = 300


def territory_filter_choices():
    """[(pk, name)] of the régions and départements, for the territory filter; cached."""
    return cache.get_or_set(
        TERRITORY_CHOICES_KEY,
        lambda: list(
            Territory.objects.filter(kind__in=["region", "departement"])
            .order_by("kind", "code")
            .values_list("pk", "name")
        ),
        TERRITORY_CHOICES_SECONDS,
    )


def forget_territory_choices(**kwargs):
    cache.delete(TERRITORY_CHOICES_KEY)


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
