"""The PDF report of an assessment (WeasyPrint), built by a background task.

The task writes its progress on the Report row as it goes, so the page can show it while a worker
renders; each progress write commits on its own for the same reason.
"""

import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from ecoquartier.assessments import radar
from ecoquartier.assessments.models import Assessment, Report
from ecoquartier.assessments.results import load_results


def _progress(report, **fields):
    Report.objects.filter(pk=report.pk).update(**fields)


def report_context(assessment):
    data = load_results(assessment)
    project = assessment.project
    return {
        "assessment": assessment,
        "project": project,
        "communes": list(project.communes.all()),
        "results": data,
        "chart": radar.results_radar(data, str(assessment), chart_id="pdf-radar"),
        "legend_dimensions": [d.dimension for d in data.dimensions],
        "generated_at": timezone.now(),
        "platform_name": settings.PLATFORM_NAME,
    }


def render_pdf(assessment):
    html = render_to_string("assessments/pdf/report.html", report_context(assessment))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def build(report_id):
    report = Report.objects.get(pk=report_id)
    started = time.monotonic()
    _progress(report, status=Report.Status.RUNNING, progress=10)
    try:
        assessment = (
            Assessment.objects.select_related("project", "version", "lead_expert")
            .prefetch_related("co_experts")
            .get(pk=report.assessment_id)
        )
        html = render_to_string("assessments/pdf/report.html", report_context(assessment))
        _progress(report, progress=40)
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        _progress(report, progress=90)
        report.file.save(f"rapport-{assessment.pk}-{report.pk}.pdf", ContentFile(pdf), save=False)
    except Exception as error:
        _progress(
            report,
            status=Report.Status.FAILED,
            error=_("La génération a échoué : %(error)s") % {"error": error},
            finished_at=timezone.now(),
        )
        raise
    _progress(
        report,
        status=Report.Status.READY,
        progress=100,
        file=report.file.name,
        finished_at=timezone.now(),
        duration_ms=int(1000 * (time.monotonic() - started)),
    )
