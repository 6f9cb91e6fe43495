"""Public territory search: a page, an htmx listbox partial for the form widget, and JSON."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ecoquartier.territories.forms import TerritorySearchForm
from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import AUTOCOMPLETE_LIMIT, autocomplete

SEARCH_PAGE_LIMIT = 20
MAX_QUERY_LENGTH = 100
# The geography changes only when the import runs: let browsers reuse answers a little.
AUTOCOMPLETE_MAX_AGE = 300


def _query(request):
    """(query, kinds) from the GET parameters; unknown kinds are ignored."""
    kinds = tuple(k for k in request.GET.getlist("kind") if k in Territory.Kind.values)
    return request.GET.get("q", "")[:MAX_QUERY_LENGTH], kinds


@login_not_required
@require_safe
def autocomplete_json(request):
    query, kinds = _query(request)
    results = autocomplete(query, kinds=kinds)
    response = JsonResponse({"query": query, "results": [_as_json(t) for t in results]})
    patch_cache_control(response, public=True, max_age=AUTOCOMPLETE_MAX_AGE)
    return response


def _as_json(territory):
    departement = territory.departement
    return {
        "id": territory.pk,
        "value": territory.token,
        "kind": territory.kind,
        "kind_label": str(territory.get_kind_display()),
        "code": territory.code,
        "name": territory.name,
        "label": str(territory),
        "postal_codes": territory.postal_code_list,
        "population": territory.population,
        "departement": departement and {"code": departement.code, "name": departement.name},
    }


@login_not_required
@require_safe
def autocomplete_options(request):
    """The options of the form widget's listbox (htmx partial)."""
    query, kinds = _query(request)
    # Rendered without the request: the context processors' queries are useless on a keystroke.
    html = render_to_string(
        "territories/includes/options.html",
        {"results": autocomplete(query, kinds=kinds, limit=AUTOCOMPLETE_LIMIT)},
    )
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=AUTOCOMPLETE_MAX_AGE)
    return response


@login_not_required
@require_safe
def search(request):
    form = TerritorySearchForm(request.GET or None)
    results, query = [], ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        results = autocomplete(query, kinds=form.kinds(), limit=SEARCH_PAGE_LIMIT)
        _attach_urls(results)
    context = {
        "form": form,
        "query": query,
        "results": results,
        "limit_reached": len(results) == SEARCH_PAGE_LIMIT,
        "breadcrumb": [(_("Territoires"), None)],
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "territories/includes/search_results.html" if partial else "territories/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _attach_urls(territories):
    """Link each result to its organisations page, once that page exists."""
    for territory in territories:
        try:
            territory.url = reverse(
                "organisations:territory", kwargs={"code": territory.code, "kind": territory.kind}
            )
        except NoReverseMatch:
            territory.url = None
