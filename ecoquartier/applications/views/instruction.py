"""Instruction (programme managers, State referents): dashboard, bulk actions, interview slots
and exports. Every list is paginated; the page costs the same queries at any data size."""

from django.contrib import messages
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoquartier.applications import counts, exports, permissions, services
from ecoquartier.applications.forms import (
    ELIGIBILITY_CHOICES,
    BulkForm,
    InterviewForm,
    reviewer_choices,
)
from ecoquartier.applications.models import INSTRUCTED_STATES, Application, Export, State
from ecoquartier.applications.reads import (
    dashboard_html,
    dashboard_queryset,
    dashboard_rows,
    filtered_applications,
    instructed_calls,
    options_html,
    parse_filters,
    serialisable,
    territory_filter_choices,
)
from ecoquartier.applications.views.common import (
    application_or_404,
    call_or_404,
    listed_call_or_404,
    require,
)
from ecoquartier.calls.permissions import can_manage_call
from ecoquartier.core import jobs, workflows
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate
from ecoquartier.core.params import parse_ids

PAGE_SIZE = 20


def instructing(request):
    """Every application the user instructs, whatever the call (State referents, managers):
    the calls with their counts, then the files, paginated."""
    queryset = permissions.instructed_by(request.user).select_related("call", "organisation")
    return render(
        request,
        "applications/instructing.html",
        {
            "calls": instructed_calls(request.user),
            "page": paginate(request, queryset.order_by("-submitted_at", "-pk"), PAGE_SIZE),
            "breadcrumb": [(_("Candidatures à instruire"), None)],
        },
    )


def _instructed_call(request, slug):
    call = call_or_404(request.user, slug)
    require(permissions.can_instruct_call(request.user, call))
    return call


def _filter_choices(params):
    return {
        "states": options_html([("", _("Tous"))] + State.choices, params.get("state", "")),
        "eligibilities": options_html(
            [("", _("Toutes"))] + ELIGIBILITY_CHOICES, params.get("eligible", "")
        ),
        "territories": options_html(
            [("", _("Tous")), *territory_filter_choices()], params.get("territory", "")
        ),
    }


def _reviewers(call):
    """(pk, label, email) of who may be designated, as the bulk form labels them."""
    users = reviewer_choices(call).values_list("pk", "first_name", "last_name", "email")
    return [
        {"pk": pk, "label": f"{first} {last}".strip() or email, "email": email}
        for pk, first, last, email in users
    ]


ELIGIBILITIES = (True, False, None)


def _counts(user, call):
    """{(state, eligible): number} of the call's applications `user` instructs, in one query.
    Its managers instruct them all: the counters kept by the database (counts.py), a few rows
    whatever the number of applications. A State referent instructs those of their territories:
    for each state (a VALUES list), three correlated COUNT(*), one per eligibility, each over
    its range of the (call, state, eligible) index, limited to those territories. Either way
    only the states the dashboard lists: drafts are their applicants' (not even counted for
    instructors)."""
    if can_manage_call(user, call):
        counted = counts.by_state_and_eligibility(call)
        return {key: n for key, n in counted.items() if key[0] in INSTRUCTED_STATES}
    applications = permissions.instructed_applications(user, call).order_by()
    columns, params = [], []
    for eligible in ELIGIBILITIES:
        # `eligible IN (true)`: SQLite seeks an index on it, not on the bare column Django
        # writes for `eligible=True`.
        matches = {"eligible__isnull": True} if eligible is None else {"eligible__in": [eligible]}
        ids = applications.filter(state=RawSQL("states.state", ()), **matches).values("pk")
        try:
            sql, column_params = ids.query.sql_with_params()
        except EmptyResultSet:  # `.none()`: nobody to count.
            return {}
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS matching)")
        params += column_params
    states = ", ".join(["(%s)"] * len(INSTRUCTED_STATES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH states(state) AS (VALUES {states}) "
            f"SELECT states.state, {', '.join(columns)} FROM states",
            [*INSTRUCTED_STATES, *params],
        )
        rows = cursor.fetchall()
    return {
        (state, eligible): n
        for state, *numbers in rows
        for eligible, n in zip(ELIGIBILITIES, numbers, strict=True)
        if n
    }


ELIGIBLE_VALUES = {"": (True, False, None), "yes": (True,), "no": (False,), "unknown": (None,)}


def _known_count(filters, counts):
    """The number of rows when the counts by state and eligibility tell it (no territory
    filter): no COUNT query of its own on the busiest page."""
    if filters["territory"] is not None:
        return None
    # The list holds instructed states only (a draft or withdrawn filter lists nothing).
    states = [s for s in INSTRUCTED_STATES if filters["state"] in ("", s)]
    eligible = ELIGIBLE_VALUES[filters["eligible"]]
    return sum(counts.get((state, value), 0) for state in states for value in eligible)


def dashboard(request, slug):
    call = listed_call_or_404(request.user, slug)
    require(permissions.can_instruct_call(request.user, call))
    params = request.GET
    filters = parse_filters(params)
    queryset = filtered_applications(request.user, call, params, filters=filters)
    counts = _counts(request.user, call)
    by_state = {}
    for (state, _eligible), n in counts.items():
        by_state[state] = by_state.get(state, 0) + n
    page = paginate(
        request, dashboard_queryset(queryset), PAGE_SIZE, count=_known_count(filters, counts)
    )
    query = urlencode({k: v for k, v in serialisable(params).items() if v})
    return render(
        request,
        "applications/dashboard.html",
        {
            "call": call,
            "filters": _filter_choices(params),
            "page": page,
            "rows": dashboard_html(dashboard_rows(page)),
            "counts": [(value, label, by_state.get(value, 0)) for value, label in State.choices],
            "bulk_actions": options_html(BulkForm.ACTIONS),
            "reviewers": _reviewers(call),
            "query": query,
            "breadcrumb": [(call.title, call.get_absolute_url()), (_("Instruction"), None)],
        },
    )


@require_POST
def bulk(request, slug):
    call = _instructed_call(request, slug)
    form = BulkForm(request.POST, call=call)
    ids = parse_ids(request.POST.getlist("applications"))
    # The dashboard's applications only (submitted states): never a draft, even if posted.
    selected = list(
        permissions.instructed_applications(request.user, call, Application.objects.submitted())
        .filter(pk__in=ids)
        .select_related("call__programme", "territory")
    )
    back = reverse("applications:dashboard", kwargs={"slug": slug})
    if not selected:
        messages.error(request, _("Cochez au moins une candidature."))
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    if form.cleaned_data["action"] == "assign":
        count = services.assign_reviewers(request.user, selected, form.cleaned_data["reviewers"])
        messages.success(request, _("%s désignation(s) d'évaluateur enregistrée(s).") % count)
        return redirect(back)
    refused = []
    for application in selected:
        try:
            workflows.fire(
                application, "request_completion", request.user, comment=form.cleaned_data["reason"]
            )
        except (workflows.TransitionRefused, PermissionDenied):
            refused.append(application.title)
    messages.success(
        request, _("Compléments demandés pour %s candidature(s).") % (len(selected) - len(refused))
    )
    if refused:
        messages.warning(request, _("Non applicable (état) : %s.") % ", ".join(refused))
    return redirect(back)


@require_POST
def interview(request, pk):
    application = application_or_404(request.user, pk)
    require(permissions.is_instructor(request.user, application))
    form = InterviewForm(request.POST)
    if form.is_valid():
        services.schedule_interview(
            request.user, application, form.cleaned_data["when"], form.cleaned_data["note"]
        )
        messages.success(request, _("Entretien proposé aux candidats."))
    else:
        messages.error(request, _("Indiquez une date et une heure valides."))
    return redirect(application)


def export(request, slug, content, fmt):
    call = _instructed_call(request, slug)
    if content not in Export.Content.values or fmt not in Export.Format.values:
        raise Http404
    return _export(request, call, content, fmt, request.GET, background=False)


def _export(request, call, content, fmt, params, *, background):
    with once(request) as key:
        result = services.export_applications(
            request.user, call, content, fmt, params, background=background
        )
        if isinstance(result, Export):
            key.done(reverse("applications:export_status", kwargs={"pk": result.pk}))
    if isinstance(result, Export):
        return redirect("applications:export_status", pk=result.pk)
    if result.format == Export.Format.CSV:
        return exports.streamed_csv(result.rows, result.name)
    response = HttpResponse(
        exports.xlsx_bytes(result.rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{result.name}.xlsx"'
    return response


@require_POST
def export_start(request, slug):
    call = _instructed_call(request, slug)
    content, fmt = request.POST.get("content"), request.POST.get("format")
    if content not in Export.Content.values or fmt not in Export.Format.values:
        raise Http404
    return _export(request, call, content, fmt, request.GET, background=True)


def _own_export(request, pk):
    return get_object_or_404(Export.objects.select_related("call"), pk=pk, user=request.user)


def export_status(request, pk):
    job = _own_export(request, pk)
    jobs.recover(job)  # An export whose worker died is queued again, or failed.
    template = (
        "applications/includes/export_progress.html"
        if request.headers.get("HX-Request")
        else "applications/export.html"
    )
    return render(
        request,
        template,
        {
            "job": job,
            "breadcrumb": [
                (job.call.title, reverse("applications:dashboard", kwargs={"slug": job.call.slug})),
                (_("Export"), None),
            ],
        },
    )


@require_POST
def export_retry(request, pk):
    job = _own_export(request, pk)
    services.retry_export(request.user, job)
    return redirect("applications:export_status", pk=job.pk)


def export_download(request, pk):
    job = _own_export(request, pk)
    if job.status != Export.Status.READY:
        raise Http404
    return serve_private_file(request, job.file)
