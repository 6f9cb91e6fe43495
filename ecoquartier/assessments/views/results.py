"""Results (radar + table), comparison of two assessments and the PDF report (F-12)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.assessments import radar, services
from ecoquartier.assessments.models import Report
from ecoquartier.assessments.reads import compare as compare_results
from ecoquartier.assessments.reads import load_results
from ecoquartier.assessments.views.common import is_htmx, readable_assessment
from ecoquartier.core import jobs
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once


def _breadcrumb(assessment, label):
    project = assessment.project
    return [
        (project.name, project.get_absolute_url()),
        (_("Évaluations"), reverse("assessments:project", kwargs={"slug": project.slug})),
        (str(assessment), assessment.get_absolute_url()),
        (label, None),
    ]


def _dimensions(results):
    return [d.dimension for d in results.dimensions]


@require_safe
def results(request, pk):
    assessment = readable_assessment(request, pk)
    data = load_results(assessment)
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": assessment,
            "results": data,
            "chart": radar.results_radar(data, str(assessment)),
            "legend_dimensions": _dimensions(data),
            "breadcrumb": _breadcrumb(assessment, _("Résultats")),
        },
    )


@require_safe
def compare(request, pk, other_pk):
    first = readable_assessment(request, pk)
    second = readable_assessment(request, other_pk)
    if first.project_id != second.project_id or first.pk == second.pk:
        raise Http404
    comparison = compare_results(first, second)
    earlier, later = comparison.earlier.assessment, comparison.later.assessment
    earlier_label = f"{earlier} ({earlier.assessed_on:%d/%m/%Y})"
    later_label = f"{later} ({later.assessed_on:%d/%m/%Y})"
    return render(
        request,
        "assessments/compare.html",
        {
            "project": first.project,
            "comparison": comparison,
            "earlier": earlier,
            "later": later,
            "chart": radar.comparison_radar(comparison, earlier_label, later_label),
            "legend_dimensions": _dimensions(comparison.later),
            "breadcrumb": [
                (first.project.name, first.project.get_absolute_url()),
                (
                    _("Évaluations"),
                    reverse("assessments:project", kwargs={"slug": first.project.slug}),
                ),
                (_("Comparaison"), None),
            ],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report(request, pk):
    assessment = readable_assessment(request, pk)
    if request.method == "POST":
        with once(request) as key:
            services.request_report(request.user, assessment)
            key.done(reverse("assessments:report", kwargs={"pk": assessment.pk}))
        return redirect("assessments:report", pk=assessment.pk)
    reports = list(assessment.reports.select_related("requested_by")[:5])
    return render(
        request,
        "assessments/report.html",
        {
            "assessment": assessment,
            "reports": reports,
            "latest": reports[0] if reports else None,
            "breadcrumb": _breadcrumb(assessment, _("Rapport PDF")),
        },
    )


def _report_of(request, pk, report_pk):
    assessment = readable_assessment(request, pk)
    return assessment, get_object_or_404(Report, pk=report_pk, assessment=assessment)


@require_safe
def report_status(request, pk, report_pk):
    assessment, report_row = _report_of(request, pk, report_pk)
    jobs.recover(report_row)  # A report whose worker died is queued again, or failed.
    if not is_htmx(request):
        return redirect("assessments:report", pk=assessment.pk)
    return render(
        request,
        "assessments/includes/report_status.html",
        {"assessment": assessment, "report": report_row},
    )


@require_POST
def report_retry(request, pk, report_pk):
    _, report_row = _report_of(request, pk, report_pk)
    services.retry_report(request.user, report_row)
    return redirect("assessments:report", pk=pk)


@require_safe
def report_download(request, pk, report_pk):
    assessment, report_row = _report_of(request, pk, report_pk)
    if report_row.status != Report.Status.READY or not report_row.file:
        raise Http404
    return serve_private_file(
        request, report_row.file, f"evaluation-{assessment.project.slug}-{assessment.pk}.pdf"
    )
