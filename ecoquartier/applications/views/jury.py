"""Ranking, deliberation with the balanced-selection helper (F-33), public laureates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Value
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ecoquartier.applications import counts, letters, permissions, reads, selection, strata
from ecoquartier.applications.forms import DecisionForm, SelectionForm
from ecoquartier.applications.models import Application, State
from ecoquartier.applications.reads import ranking_html, ranking_queryset, ranking_rows
from ecoquartier.applications.views.common import (
    call_or_404,
    listed_call_or_404,
    require,
)
from ecoquartier.calls.models import Call
from ecoquartier.calls.permissions import can_manage_call
from ecoquartier.core import workflows
from ecoquartier.core.pagination import paginate
from ecoquartier.core.params import parse_id

RANKED_STATES = (State.UNDER_REVIEW, State.WAITING_LIST, State.SELECTED, State.NOT_SELECTED)
# The deliberation considers at most this many of the best-ranked files.
DELIBERATION_LIMIT = 200
# The selection helper searches among the best-ranked undecided files: a jury shortlist.
HELPER_POOL = 60
UNSCORED_LIMIT = 50


def _crumbs(call, label):
    return [
        (call.title, call.get_absolute_url()),
        (_("Instruction"), reverse("applications:dashboard", kwargs={"slug": call.slug})),
        (label, None),
    ]


def _ranking_counts(user, call, queryset):
    """{"scored": n, "unscored": n} of `queryset` (the ranked files `user` instructs) in one
    query. Its managers instruct them all: the counters kept by the database (counts.py). A
    State referent's: two COUNT(*) in a UNION, each answered by an index alone (the states'
    index for every ranked file, the ranking's for the unscored ones, NULL scores first)."""
    if can_manage_call(user, call):
        return counts.ranking_totals(call, RANKED_STATES)

    def count(applications, key):
        return (
            applications.order_by()
            .values("call")
            .annotate(key=Value(key), n=Count("*"))
            .values_list("key", "n")
        )

    found = dict(
        count(queryset, "ranked").union(
            count(queryset.filter(score__isnull=True), "unscored"), all=True
        )
    )
    unscored = found.get("unscored", 0)
    return {"scored": found.get("ranked", 0) - unscored, "unscored": unscored}


def ranking(request, slug):
    call = listed_call_or_404(request.user, slug)
    require(permissions.can_instruct_call(request.user, call))
    queryset = permissions.instructed_applications(request.user, call).filter(
        state__in=RANKED_STATES
    )
    totals = _ranking_counts(request.user, call, queryset)
    page = paginate(request, ranking_queryset(queryset), 20, count=totals["scored"])
    return render(
        request,
        "applications/ranking.html",
        {
            "call": call,
            "page": page,
            "rows": ranking_html(ranking_rows(page, page.start_index())),
            "unscored": totals["unscored"],
            "breadcrumb": _crumbs(call, _("Classement")),
        },
    )


def deliberation(request, slug):
    call = call_or_404(request.user, slug)
    require(can_manage_call(request.user, call))
    # A label campaign's files are decided by its commissions (labels), never here: the page
    # lists them and says where they are decided; the workflow refuses a decision posted anyway.
    by_commissions = call.kind == Call.Kind.LABELLING
    if request.method == "POST":
        return _decide(request, call)
    candidates = (
        Application.objects.filter(call=call, state__in=RANKED_STATES)
        .select_related("organisation", "territory__region")
        .annotate(
            letter_unsent=Exists(letters.unsent(Application.objects.filter(pk=OuterRef("pk"))))
        )
    )
    # The best-ranked files, then those not scored yet (the jury may still decide on them).
    pool = list(candidates.ranked()[:DELIBERATION_LIMIT])
    pool += list(candidates.filter(score__isnull=True).order_by("pk")[:UNSCORED_LIMIT])
    available = strata.available_strata(call)
    form = SelectionForm(request.GET or None, strata=available, initial={"n": call.capacity or 5})
    proposal = None
    if "n" in request.GET and form.is_valid() and not by_commissions:
        undecided = [a for a in pool if a.state in (State.UNDER_REVIEW, State.WAITING_LIST)]
        undecided = undecided[:HELPER_POOL]
        proposal = selection.propose(
            strata.candidates(undecided),
            form.cleaned_data["n"],
            form.cleaned_data["strata"],
            available,
        )
    proposed = {p.candidate.id: p for p in proposal.picks} if proposal else {}
    rows = [
        (
            app,
            proposed.get(app.pk),
            None
            if by_commissions
            else DecisionForm(
                initial={
                    "application": app.pk,
                    "version": app.version,
                    "action": "select" if app.pk in proposed else "reject",
                },
                prefix=f"d{app.pk}",
            ),
        )
        for app in pool
    ]
    return render(
        request,
        "applications/deliberation.html",
        {
            "call": call,
            "form": form,
            "proposal": proposal,
            "rows": rows,
            "by_commissions": by_commissions,
            "breadcrumb": _crumbs(call, _("Délibération")),
        },
    )


def _decide(request, call):
    pk = request.POST.get("application", "")
    form = DecisionForm(request.POST, prefix=f"d{pk}")
    back = reverse("applications:deliberation", kwargs={"slug": call.slug})
    if parse_id(pk) is None or not form.is_valid():
        messages.error(request, _("Indiquez la décision et sa motivation."))
        return redirect(back)
    application = Application.objects.filter(call=call, pk=form.cleaned_data["application"]).first()
    if application is None:
        return redirect(back)
    try:
        workflows.fire(
            application,
            form.cleaned_data["action"],
            request.user,
            comment=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except workflows.TransitionRefused as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        raise
    else:
        messages.success(
            request,
            _("Décision enregistrée pour « %s » : préparez, signez et envoyez son courrier.")
            % application.title,
        )
    return redirect(back)


@login_not_required
def laureates_page(request, slug):
    call = call_or_404(request.user, slug)
    if call.state != Call.State.PUBLISHED:
        raise Http404
    return render(
        request,
        "applications/laureates.html",
        {
            "call": call,
            "laureates": reads.laureates(call),
            "breadcrumb": [(call.title, call.get_absolute_url()), (_("Lauréats"), None)],
        },
    )
