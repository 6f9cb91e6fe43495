"""Narratives are short Markdown, rendered to a small safe subset of HTML (no links, no images:
an assessment is printed and shared, and pasted links are a phishing vector)."""

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "br", "blockquote"}


def render_markdown(text):
    if not text:
        return ""
    html = markdown.markdown(text, output_format="html")
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={}))  # noqa: S308 - sanitised
