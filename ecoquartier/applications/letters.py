"""Decision letters as PDF (WeasyPrint): rendered on demand, attached to the decision e-mail."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML


def filename(application):
    return f"decision-{slugify(application.title)[:60] or application.pk}.pdf"


def render(application):
    context = {
        "application": application,
        "call": application.call,
        "today": timezone.localdate(),
        "platform_name": settings.PLATFORM_NAME,
    }
    html = render_to_string("applications/pdf/letter.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
