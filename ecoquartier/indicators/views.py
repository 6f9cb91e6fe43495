"""A project's indicator board and one indicator's page (chart, table, values, recording)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ecoquartier.core import jobs
from ecoquartier.core.idempotency import once
from ecoquartier.indicators import (
    chart,
    compare,
    permissions,
    programmes,
    reads,
    rows,
    services,
    spreadsheet,
)
from ecoquartier.indicators.forms import ImportForm, ValueForm
from ecoquartier.indicators.models import ValueImport
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import visible_projects

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project(request, slug):
    # Its holders read once: whether the reader records and reads restricted values asks them.
    project = (
        visible_projects(request.user, Project.objects.filter(slug=slug))
        .prefetch_related("holders")
        .first()
    )
    if project is None:
        raise Http404
    return project


def _crumbs(project, *items):
    board_url = reverse("indicators:board", args=[project.slug])
    return [(project.name, project.get_absolute_url()), (_("Indicateurs"), board_url), *items]


@require_safe
def board(request, slug):
    project = _project(request, slug)
    board_url = reverse("indicators:board", args=[project.slug])
    groups = [(label, rows.board_rows(lines, board_url))
              for label, lines in reads.board(request.user, project)]  # fmt: skip
    return render(
        request, "indicators/board.html",
        {"project": project, "groups": groups,
         "can_record": permissions.can_record(request.user, project),
         "breadcrumb": [(project.name, project.get_absolute_url()), (_("Indicateurs"), None)]},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def indicator(request, slug, code):
    project = _project(request, slug)
    found = reads.project_indicators(project).filter(code=code).first()
    if found is None:
        raise Http404
    can_record = permissions.can_record(request.user, project)
    form = ValueForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            try:
                with once(request) as key:
                    row = services.record_value(
                        request.user, project, found, kind=data.pop("kind"),
                        value=data.pop("value"), **data,
                    )  # fmt: skip
                    key.done(row)
            except ValidationError as error:
                for name, texts in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, texts)
            else:
                messages.success(request, _("La valeur est enregistrée."))
                return redirect(request.path)
    (line,) = reads.lines(request.user, project, [found])
    data = chart.chart(found, reads.chart_points(line.values), chart_id=f"chart-{found.code}")
    stats = compare.compare(request.user, project, found)
    strip = chart.strip(stats, found, chart_id=f"strip-{found.code}") if stats else ""
    return render(
        request, "indicators/indicator.html",
        {"project": project, "indicator": found, "line": line, "form": form,
         "chart_svg": mark_safe(chart.svg(data)) if data else "",  # noqa: S308 — escaped in svg()
         "stats": stats, "strip_svg": mark_safe(strip),  # noqa: S308 — escaped in strip()
         "criteria": [compare.CRITERIA_LABELS[c] for c in stats.criteria] if stats else [],
         "minimum": compare.MINIMUM,
         "can_record": can_record, "breadcrumb": _crumbs(project, (found.name, None))},
        status=400 if form.errors else 200,
    )  # fmt: skip


# --- Spreadsheet: template, export, import as a background job -------------------------------


def _xlsx(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def template(request, slug):
    project = _project(request, slug)
    if not permissions.can_record(request.user, project):
        raise PermissionDenied
    return _xlsx(spreadsheet.template(project), f"indicateurs-{project.slug}-modele.xlsx")


@require_safe
def export(request, slug):
    project = _project(request, slug)
    return _xlsx(spreadsheet.export(request.user, project), f"indicateurs-{project.slug}.xlsx")


@require_http_methods(["GET", "POST"])
def start_import(request, slug):
    project = _project(request, slug)
    if not permissions.can_record(request.user, project):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with once(request) as key:
            job = ValueImport.objects.create(
                project=project, user=request.user, file=form.cleaned_data["file"]
            )
            jobs.enqueue(job)
            key.done(job)
        return redirect("indicators:import_status", pk=job.pk)
    return render(
        request, "indicators/import.html",
        {"project": project, "form": form,
         "breadcrumb": _crumbs(project, (_("Importer un tableur"), None))},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_safe
def import_status(request, pk):
    job = get_object_or_404(ValueImport.objects.select_related("project"), pk=pk,
                            user=request.user)  # fmt: skip
    jobs.recover(job)
    template_name = (
        "indicators/includes/import_progress.html" if request.headers.get("HX-Request")
        else "indicators/import_status.html"
    )  # fmt: skip
    return render(
        request, template_name,
        {"job": job, "project": job.project,
         "breadcrumb": _crumbs(job.project, (_("Import"), None))},
    )  # fmt: skip


# --- A programme's values, for its managers ---------------------------------------------------


def _managed_programme(request, slug):
    programme = get_object_or_404(
        programmes.Programme.objects.prefetch_related("partners"), slug=slug
    )
    if not programmes.manages(request.user, programme):
        raise PermissionDenied  # programmes are public: seen, not managed
    return programme


@require_safe
def programme_export(request, slug, fmt):
    programme = _managed_programme(request, slug)
    values = programmes.values(request.user, programme)
    name = f"indicateurs-programme-{programme.slug}"
    if fmt == "csv":
        response = HttpResponse(programmes.to_csv(values), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    return _xlsx(programmes.to_xlsx(values), f"{name}.xlsx")
