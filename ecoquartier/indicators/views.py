"""A project's indicator board and one indicator's page (chart, table, values, recording)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ecoquartier.core import jobs
from ecoquartier.core.generations import cache_key, cached, current
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
from ecoquartier.indicators.forms import CustomIndicatorForm, ImportForm, ValueForm
from ecoquartier.indicators.models import GENERATION, ValueImport
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import can_view_project, visibility_key

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _project(request, slug):
    """The project (404 when the reader may not see it), its holders read once: whether the
    reader sees it, records and reads restricted values asks them. The rule for one project
    (can_view_project), not the list filter: a public project costs no further query."""
    project = Project.objects.filter(slug=slug).prefetch_related("holders").first()
    if project is None or not can_view_project(request.user, project):
        raise Http404
    return project


def _crumbs(project, *items):
    board_url = reverse("indicators:board", args=[project.slug])
    return [(project.name, project.get_absolute_url()), (_("Indicateurs"), board_url), *items]


@require_safe
def board(request, slug):
    project = _project(request, slug)
    return render(
        request, "indicators/board.html",
        {"project": project, "groups": _board_groups(request.user, project),
         "can_record": permissions.can_record(request.user, project),
         "breadcrumb": [(project.name, project.get_absolute_url()), (_("Indicateurs"), None)]},
    )  # fmt: skip


def _board_groups(user, project):
    """[(challenge, its table's rows as HTML)]: the same for every reader who reads the
    project's restricted values, and for every one who does not; cached for each by the
    indicators' and projects' counters, the day and the language."""
    restricted = permissions.reads_restricted(user, project)

    def compute():
        board_url = reverse("indicators:board", args=[project.slug])
        found = reads.board(user, project, restricted=restricted)
        return [(str(label), rows.board_rows(lines, board_url)) for label, lines in found]

    return cached(_shared_key("board", project, restricted), compute)


def _shared_key(kind, project, restricted, *parts):
    """The key of what every reader of `project` who reads its restricted values (or every one
    who does not) sees alike: the indicators' and projects' counters, the day, the language."""
    counters = current(GENERATION, "projects")
    day = timezone.localdate().isoformat()
    return cache_key("indicators", kind, project.pk, restricted, *parts, counters, day,
                     get_language())  # fmt: skip


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
    return render(
        request, "indicators/indicator.html",
        {"project": project, "indicator": found, "form": form,
         "reading": _reading(request.user, project, found),
         "comparison": _comparison(request.user, project, found),
         "minimum": compare.MINIMUM,
         "can_record": can_record, "breadcrumb": _crumbs(project, (found.name, None))},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _reading(user, project, indicator):
    """The indicator's status, chart and table of values as HTML: the same for every reader who
    reads the project's restricted values, and for every one who does not; cached for each by
    the counters of the data, the day and the language."""
    restricted = permissions.reads_restricted(user, project)

    def compute():
        (line,) = reads.lines(user, project, [indicator], restricted=restricted)
        data = chart.chart(
            indicator, reads.chart_points(line.values), chart_id=f"chart-{indicator.code}"
        )
        context = {
            "project": project, "indicator": indicator, "line": line,
            "chart_svg": mark_safe(chart.svg(data)) if data else "",  # noqa: S308 — escaped in svg()
        }  # fmt: skip
        return {
            part: render_to_string(f"indicators/includes/{name}.html", context)
            for part, name in (("head", "reading_head"), ("values", "values"))
        }

    return cached(_shared_key("reading", project, restricted, indicator.pk), compute)


def _comparison(user, project, indicator):
    """« Projets comme le mien » as HTML, cached for the reader: under everything that decides
    which values it may count (projects.permissions.visibility_key: its memberships and the
    counters of every relation to a project) and the indicators' counter, so that a value or a
    right that changes is never answered from an older computation (ADR 25)."""

    def compute():
        stats = compare.compare(user, project, indicator)
        strip = chart.strip(stats, indicator, chart_id=f"strip-{indicator.code}") if stats else ""
        return render_to_string(
            "indicators/includes/comparison.html",
            {"indicator": indicator, "stats": stats, "minimum": compare.MINIMUM,
             "strip_svg": mark_safe(strip),  # noqa: S308 — escaped in strip()
             "criteria": [compare.CRITERIA_LABELS[c] for c in stats.criteria] if stats else []},
        )  # fmt: skip

    reader = visibility_key(user, GENERATION)
    return cached(
        cache_key("indicators", "comparison", reader, project.pk, indicator.pk, get_language()),
        compute,
    )


@require_http_methods(["GET", "POST"])
def add_custom(request, slug):
    """An indicator of the project's own (« Ajouter un indicateur du projet » on the board)."""
    project = _project(request, slug)
    if not permissions.can_record(request.user, project):
        raise PermissionDenied
    form = CustomIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as key:
                indicator = services.add_custom_indicator(
                    request.user, project, **form.cleaned_data
                )
                key.done(reverse("indicators:indicator", args=[project.slug, indicator.code]))
        except ValidationError as error:
            for name, texts in error.message_dict.items():
                form.add_error(name if name in form.fields else None, texts)
        else:
            messages.success(request, _("L'indicateur est ajouté : fixez son objectif."))
            return redirect("indicators:indicator", project.slug, indicator.code)
    return render(
        request, "indicators/custom_add.html",
        {"project": project, "form": form,
         "breadcrumb": _crumbs(project, (_("Ajouter un indicateur du projet"), None))},
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
