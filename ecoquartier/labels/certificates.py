"""Award certificates as PDF (WeasyPrint), rendered on demand from the label history, so the
certificate always says what the history says."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify
from weasyprint import HTML


def filename(step):
    return f"attestation-label-ecoquartier-{slugify(step.project.name)[:60]}-{step.year}.pdf"


def render(step):
    html = render_to_string(
        "labels/pdf/certificate.html",
        {
            "step": step,
            "project": step.project,
            "communes": list(step.project.communes.all()),
            "holders": list(step.project.holders.all()),
            "platform_name": settings.PLATFORM_NAME,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
