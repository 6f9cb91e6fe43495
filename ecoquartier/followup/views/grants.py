"""The follow-up's « Subventions et versements » section, a programme's budget and the grants'
open data (SCDL « subventions »). Services and the instalment's workflow: followup/grants.py."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.calls.models import Programme
from ecoquartier.core import workflows
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate
from ecoquartier.followup import grants, grants_scdl, permissions
from ecoquartier.followup.grants_forms import (
    BudgetLineForm,
    DecisionForm,
    GrantForm,
    InstalmentRequestForm,
)
from ecoquartier.followup.models import BudgetLine, Grant, Instalment, InstalmentDocument
from ecoquartier.followup.views.common import errors, follow_up_or_404, section_context
from ecoquartier.organisations.models import Organisation

SECTION = "followup:grants"


def _funders():
    """Who funds: every organisation but the communes and EPCIs."""
    return Organisation.objects.exclude(
        kind__in=(Organisation.Kind.COMMUNE, Organisation.Kind.EPCI)
    ).order_by("name")


def _section_url(follow_up, anchor=""):
    return reverse(SECTION, args=[follow_up.pk]) + anchor


# --- The follow-up's section --------------------------------------------------------------------


def _instalment_row(instalment, user):
    buttons, refused = workflows.actions(instalment, user)
    return {
        "obj": instalment,
        "documents": [
            (d.name, reverse("followup:instalment_document", args=[d.pk])) for d in
            instalment.documents.all()
        ],
        "actions": buttons,
        "refused": refused,
    }  # fmt: skip


def _grant_rows(follow_up, user):
    """Each grant with its figures and instalments: three queries whatever their number."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([follow_up.programme], "partners")  # managers, asked per row
    rows = list(Grant.objects.filter(follow_up=follow_up).select_related("funder", "budget_line"))
    by_grant = {grant.pk: [] for grant in rows}
    instalments = (
        Instalment.objects.filter(grant__follow_up=follow_up)
        .prefetch_related("documents")
        .order_by("requested_at", "pk")
    )
    for grant in rows:
        grant.follow_up = follow_up
    grants_by_pk = {grant.pk: grant for grant in rows}
    for instalment in instalments:
        instalment.grant = grants_by_pk[instalment.grant_id]
        by_grant[instalment.grant_id].append(instalment)
    result = []
    for grant in rows:
        own = by_grant[grant.pk]
        requested = sum((i.amount for i in own if i.state != Instalment.State.REFUSED), Decimal(0))
        result.append({
            "obj": grant,
            "remaining": grant.amount - grant.paid,
            "requestable": grant.amount - requested,
            "instalments": [_instalment_row(i, user) for i in own],
        })  # fmt: skip
    return result


def _request_form(request, follow_up, data=None, files=None):
    if not permissions.can_request_instalment(request.user, follow_up):
        return None
    return InstalmentRequestForm(
        data, files, grants=Grant.objects.filter(follow_up=follow_up).order_by("pk")
    )


def _render_section(request, follow_up, form=None, status=200):
    context = section_context(request, follow_up, SECTION)
    rows = _grant_rows(follow_up, request.user)
    if form is None and rows:
        form = _request_form(request, follow_up)
    context.update(
        grants=rows,
        form=form,
        today=timezone.localdate(),
        can_manage=permissions.can_manage_grants(request.user, follow_up),
        can_see_budget=permissions.can_manage_budget(request.user, follow_up.programme),
    )
    return render(request, "followup/grants/section.html", context, status=status)


@require_safe
def section(request, pk):
    return _render_section(request, follow_up_or_404(request, pk))


@require_POST
def request_instalment(request, pk):
    follow_up = follow_up_or_404(request, pk)
    form = _request_form(request, follow_up, request.POST, request.FILES)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            with once(request) as key:
                instalment = grants.request_instalment(
                    request.user, data["grant"], kind=data["kind"], amount=data["amount"],
                    files=data["documents"],
                )  # fmt: skip
                key.done(_section_url(follow_up, f"#versement-{instalment.pk}"))
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("Votre demande de versement est transmise."))
            return redirect(_section_url(follow_up, f"#versement-{instalment.pk}"))
    return _render_section(request, follow_up, form=form, status=400)


@require_POST
def decide(request, pk, instalment_pk, transition):
    """A button of an instalment: check, approve, pay (with the date) or refuse (with why)."""
    follow_up = follow_up_or_404(request, pk)
    instalment = get_object_or_404(
        Instalment.objects.select_related("grant"), pk=instalment_pk, grant__follow_up=follow_up
    )
    if transition not in grants.INSTALMENT.by_name:
        raise Http404
    instalment.grant.follow_up = follow_up
    form = DecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    extra = {"paid_on": data.get("paid_on")} if transition == "pay" else {}
    try:
        workflows.fire(
            instalment, transition, request.user, comment=data.get("comment") or "",
            expected_version=data.get("version"), **extra,
        )  # fmt: skip
    except workflows.TransitionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = grants.INSTALMENT[transition].label
        messages.success(request, _("Action enregistrée : %(action)s") % {"action": label})
    return redirect(_section_url(follow_up, f"#versement-{instalment.pk}"))


@require_safe
def document(request, pk):
    document = get_object_or_404(
        InstalmentDocument.objects.select_related("instalment__grant"), pk=pk
    )
    follow_up_or_404(request, document.instalment.grant.follow_up_id)
    return serve_private_file(request, document.file, document.name)


def _grant_form(request, follow_up, grant=None):
    initial = None
    if grant is not None:
        initial = {name: getattr(grant, name) for name in grants.GRANT_FIELDS}
    else:
        initial = {"nature": Grant.Nature.CASH, "payment": Grant.Payment.STAGED}
    return GrantForm(
        request.POST or None, initial=initial, funders=_funders(),
        budget_lines=BudgetLine.objects.filter(programme=follow_up.programme),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def grant_form(request, pk, grant_pk=None):
    """Add a grant to the follow-up, or change one (the programme's managers)."""
    follow_up = follow_up_or_404(request, pk)
    if not permissions.can_manage_grants(request.user, follow_up):
        raise PermissionDenied
    grant = None
    if grant_pk is not None:
        grant = get_object_or_404(Grant, pk=grant_pk, follow_up=follow_up)
    form = _grant_form(request, follow_up, grant)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if grant is None:
                with once(request) as key:
                    grants.add_grant(request.user, follow_up, values)
                    key.done(_section_url(follow_up))
            else:
                grants.change_grant(request.user, grant, values)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("La subvention est enregistrée."))
            return redirect(_section_url(follow_up))
    title = _("Ajouter une subvention") if grant is None else _("Modifier la subvention")
    context = section_context(request, follow_up, SECTION, (title, None))
    context.update(form=form, title=title, creating=grant is None)
    return render(
        request, "followup/grants/grant_form.html", context, status=400 if form.errors else 200
    )


# --- A programme's budget -----------------------------------------------------------------------


def _managed_programme(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    if not permissions.can_manage_budget(request.user, programme):
        raise PermissionDenied
    return programme


def _budget_crumbs(programme, *items):
    return [
        (_("Accompagnements"), reverse("followup:index")),
        (_("Budget : %(programme)s") % {"programme": programme.name},
         reverse("followup:budget", args=[programme.pk]) if items else None),
        *items,
    ]  # fmt: skip


@require_safe
def budget(request, pk):
    """The programme's budget lines with what its grants commit and what was paid."""
    programme = _managed_programme(request, pk)
    money = {"output_field": Grant._meta.get_field("amount")}
    lines = (
        BudgetLine.objects.filter(programme=programme)
        .select_related("funder")
        .annotate(
            committed=Coalesce(Sum("grants__amount"), Decimal(0), **money),
            paid=Coalesce(Sum("grants__paid"), Decimal(0), **money),
            grant_count=Count("grants"),
        )
        .order_by("-year", "label", "pk")
    )
    programme_grants = Grant.objects.filter(follow_up__programme=programme)
    totals = programme_grants.aggregate(
        committed=Coalesce(Sum("amount"), Decimal(0), **money),
        paid=Coalesce(Sum("paid"), Decimal(0), **money),
        unlined=Coalesce(Sum("amount", filter=Q(budget_line__isnull=True)), Decimal(0), **money),
        count=Count("pk"),
        incomplete=Count("pk", filter=~grants_scdl.PUBLISHABLE),
    )
    envelope = BudgetLine.objects.filter(programme=programme).aggregate(
        amount=Coalesce(Sum("amount"), Decimal(0), **money)
    )
    return render(
        request, "followup/grants/budget.html",
        {"programme": programme, "page_obj": paginate(request, lines, per_page=50),
         "totals": totals, "envelope": envelope["amount"],
         "breadcrumb": _budget_crumbs(programme)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def budget_line_form(request, pk, line_pk=None):
    programme = _managed_programme(request, pk)
    line = None
    if line_pk is not None:
        line = get_object_or_404(BudgetLine, pk=line_pk, programme=programme)
    initial = (
        {name: getattr(line, name) for name in grants.BUDGET_LINE_FIELDS}
        if line is not None
        else {"year": timezone.localdate().year}
    )
    form = BudgetLineForm(request.POST or None, initial=initial, funders=_funders())
    if request.method == "POST" and form.is_valid():
        budget_url = reverse("followup:budget", args=[programme.pk])
        try:
            if line is None:
                with once(request) as key:
                    grants.add_budget_line(request.user, programme, form.cleaned_data)
                    key.done(budget_url)
            else:
                grants.change_budget_line(request.user, line, form.cleaned_data)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("La ligne budgétaire est enregistrée."))
            return redirect(budget_url)
    title = _("Ajouter une ligne budgétaire") if line is None else _("Modifier la ligne budgétaire")
    return render(
        request, "followup/grants/budget_line_form.html",
        {"form": form, "title": title, "creating": line is None, "programme": programme,
         "breadcrumb": _budget_crumbs(programme, (title, None))},
        status=400 if form.errors else 200,
    )  # fmt: skip


# --- Open data (SCDL « subventions ») -----------------------------------------------------------


def _csv(grants_queryset, filename):
    response = StreamingHttpResponse(
        grants_scdl.lines(grants_scdl.publishable(grants_queryset)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def programme_export(request, pk):
    """The programme's grants in the SCDL format, for its managers."""
    programme = _managed_programme(request, pk)
    return _csv(
        Grant.objects.filter(follow_up__programme=programme),
        f"subventions-{programme.slug}.csv",
    )


@login_not_required
@require_safe
def open_data(request):
    """Every grant whose convention is dated (and funder's SIRET known), for everyone."""
    return _csv(Grant.objects.all(), "subventions-ecoquartier.csv")


urlpatterns = [
    path("<int:pk>/grants/", section, name="grants"),
    path("<int:pk>/grants/ajouter/", grant_form, name="grant_add"),
    path("<int:pk>/grants/<int:grant_pk>/modifier/", grant_form, name="grant_edit"),
    path("<int:pk>/grants/versements/demander/", request_instalment, name="instalment_request"),
    path(
        "<int:pk>/grants/versements/<int:instalment_pk>/<slug:transition>/",
        decide,
        name="instalment_decide",
    ),
    path("pieces-de-versement/<int:pk>/", document, name="instalment_document"),
    path("programme/<int:pk>/budget/", budget, name="budget"),
    path("programme/<int:pk>/budget/ajouter/", budget_line_form, name="budget_line_add"),
    path(
        "programme/<int:pk>/budget/<int:line_pk>/modifier/",
        budget_line_form,
        name="budget_line_edit",
    ),
    path("programme/<int:pk>/subventions.csv", programme_export, name="grants_export"),
    path("donnees-ouvertes/subventions.csv", open_data, name="grants_open_data"),
]
