"""The PDF report of an assessment (WeasyPrint), built by a background task.

The task writes its progress on the Report row as it goes (`core.jobs`: attempts and heartbeats),
so the page can show it while a worker renders, and a report whose worker died is started again.
"""

import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ecoquartier.assessments import radar
from ecoquartier.assessments.models import Assessment, Report
from ecoquartier.assessments.reads import load_results
from ecoquartier.core import jobs, pdf
from ecoquartier.indicators import reads as indicator_reads

# A report is read by whoever reads its assessment (`permissions.can_read_assessment`): the
# project's holders, the State services overseeing it and the experts named on it — the very
# audience of the indicator values reserved to the State services and experts. The stored PDF
# is shared among them, so it shows those values, marked as reserved.
REPORT_READS_RESTRICTED = True


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
        "indicator_groups": indicator_reads.board_by_commitment(
            project, restricted=REPORT_READS_RESTRICTED
        ),
        "generated_at": timezone.now(),
        "platform_name": settings.PLATFORM_NAME,
    }


def render_pdf(assessment):
    return pdf.render("assessments/pdf/report.html", report_context(assessment))


def build(report_id):
    """Render the report of job `report_id`; a second delivery of the task does nothing."""
    jobs.run(Report, report_id, _render)


def _render(report, progress):
    started = time.monotonic()
    progress(10)
    assessment = (
        Assessment.objects.select_related("project", "version", "lead_expert")
        .prefetch_related("co_experts")
        .get(pk=report.assessment_id)
    )
    html = render_to_string("assessments/pdf/report.html", report_context(assessment))
    progress(40)
    content = pdf.html_to_pdf(html)
    progress(90)
    name = f"rapport-{assessment.pk}-{report.pk}.pdf"
    return {
        "file": jobs.store_file(report, "file", name, content),
        "duration_ms": int(1000 * (time.monotonic() - started)),
    }
