"""A project's assessments: list, opening a new one, choosing two to compare, the gap list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ecoquartier.assessments import exports, permissions, reads, services
from ecoquartier.assessments.forms import CompareForm, CreateAssessmentForm, GapFilterForm
from ecoquartier.assessments.models import Assessment, Gap
from ecoquartier.assessments.views.common import visible_project
from ecoquartier.core.idempotency import once


def _readable(request, project):
    queryset = Assessment.objects.for_project(project).select_related(
        "project", "version", "lead_expert"
    )
    # Explicit order: Meta.ordering is dropped from queries with GROUP BY (the counts).
    queryset = queryset.with_completion().order_by("-assessed_on", "-pk")
    return list(permissions.readable_assessments(request.user, queryset))


def _creatable_kinds(user, project):
    kinds = Assessment.Kind.values
    return [kind for kind in kinds if permissions.can_create_assessment(user, project, kind)]


def _breadcrumb(project, *extra):
    return [(project.name, project.get_absolute_url()), *extra]


@require_safe
def project_assessments(request, slug):
    project = visible_project(request, slug)
    assessments = _readable(request, project)
    kinds = _creatable_kinds(request.user, project)
    return render(
        request,
        "assessments/project.html",
        {
            "project": project,
            "assessments": assessments,
            "create_form": CreateAssessmentForm(kinds=kinds) if kinds else None,
            "compare_form": CompareForm(assessments=assessments) if len(assessments) > 1 else None,
            "open_gaps": Gap.objects.open()
            .filter(answer__assessment__in=[a.pk for a in assessments])
            .count(),
            "breadcrumb": _breadcrumb(project, (_("Évaluations"), None)),
        },
    )


@require_POST
def create(request, slug):
    project = visible_project(request, slug)
    kinds = _creatable_kinds(request.user, project)
    if not kinds:
        raise PermissionDenied
    form = CreateAssessmentForm(request.POST, kinds=kinds)
    if form.is_valid():
        try:
            with once(request) as key:
                assessment = services.create_assessment(
                    request.user,
                    project,
                    form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    assessed_on=form.cleaned_data["assessed_on"],
                    lead_expert=form.cleaned_data.get("lead_expert"),
                )
                key.done(assessment)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Évaluation ouverte : renseignez les engagements."))
            return redirect(assessment)
    assessments = _readable(request, project)
    return render(
        request,
        "assessments/project.html",
        {
            "project": project,
            "assessments": assessments,
            "create_form": form,
            "compare_form": None,
            "breadcrumb": _breadcrumb(project, (_("Évaluations"), None)),
        },
        status=400,
    )


@require_safe
def compare_pick(request, slug):
    project = visible_project(request, slug)
    form = CompareForm(request.GET, assessments=_readable(request, project))
    if not form.is_valid():
        messages.error(request, _("Choisissez deux évaluations différentes du projet."))
        return redirect("assessments:project", slug=project.slug)
    return redirect(
        "assessments:compare", pk=form.cleaned_data["first"], other_pk=form.cleaned_data["second"]
    )


def _filtered_gaps(request, project):
    """The filter form and the project's gaps it selects."""
    gaps, owners, commitments = reads.readable_gaps(request.user, project)
    data = request.GET if request.GET else {"status": Gap.Status.OPEN}
    form = GapFilterForm(data, owners=owners, commitments=commitments)
    if form.is_valid():
        gaps = form.filter(gaps)
    return form, reads.gap_list(gaps, project)


@require_safe
def gaps(request, slug):
    project = visible_project(request, slug)
    form, gap_list = _filtered_gaps(request, project)
    query = request.GET.urlencode() or "status=open"
    return render(
        request,
        "assessments/gaps.html",
        {
            "project": project,
            "form": form,
            "gaps": gap_list,
            "query": query,
            "breadcrumb": _breadcrumb(
                project,
                (_("Évaluations"), reverse("assessments:project", kwargs={"slug": project.slug})),
                (_("Écarts et propositions"), None),
            ),
        },
    )


@require_safe
def gaps_export(request, slug, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    project = visible_project(request, slug)
    _form, gap_list = _filtered_gaps(request, project)
    columns, rows = exports.gap_columns(), list(exports.gap_rows(gap_list))
    filename = f"ecarts-{project.slug}"
    if fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(columns, rows, _("Écarts")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(exports.to_csv(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
