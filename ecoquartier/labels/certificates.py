"""Award certificates as PDF (WeasyPrint), rendered on demand from the label history, so the
certificate always says what the history says."""

from django.conf import settings
from django.utils.text import slugify

from ecoquartier.core import pdf


def filename(step):
    return f"attestation-label-ecoquartier-{slugify(step.project.name)[:60]}-{step.year}.pdf"


def render(step):
    return pdf.render(
        "labels/pdf/certificate.html",
        {
            "step": step,
            "project": step.project,
            "communes": list(step.project.communes.all()),
            "holders": list(step.project.holders.all()),
            "platform_name": settings.PLATFORM_NAME,
        },
    )
