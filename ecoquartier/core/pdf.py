"""Every PDF the platform renders goes through here (WeasyPrint).

Documents are tagged for assistive technologies (PDF/UA-1: a structure tree, `MarkInfo`
Marked), and carry a title and a language: the template's `<title>` and `<html lang="fr">`
become the document's Title and Lang. `render` refuses a template missing either, so no
untitled or language-less PDF can leave the platform.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

VARIANT = "pdf/ua-1"
_TITLE = re.compile(r"<title>\s*\S", re.IGNORECASE)
_LANG = re.compile(r"<html[^>]*\slang=\"fr\"", re.IGNORECASE)


def html_to_pdf(html):
    """Tagged PDF bytes of an HTML document that names its title and its language."""
    if not _TITLE.search(html) or not _LANG.search(html):
        raise ValueError('A PDF needs a <title> and <html lang="fr">.')
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=VARIANT)


def render(template, context):
    """Tagged PDF bytes of `template` rendered with `context`."""
    return html_to_pdf(render_to_string(template, context))
