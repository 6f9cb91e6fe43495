"""Presentation helpers for calls: safe Markdown, benefits and deadlines in French."""

import re
import threading
from decimal import Decimal

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ecoquartier.calls import eligibility, reads
from ecoquartier.calls.eligibility import number
from ecoquartier.calls.models import CallBenefit

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
# Bare addresses in pasted call texts become links (Markdown only links <…> autolinks).
_BARE_LINK = re.compile(r"(?<![<(\[\"'])\b(https?://[^\s<>)\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


_local = threading.local()


def _converter():
    """One Markdown instance per thread: building one costs more than converting a section."""
    if not hasattr(_local, "markdown"):
        _local.markdown = markdown_lib.Markdown(extensions=["sane_lists"], output_format="html")
    return _local.markdown.reset()


@register.filter
def markdown(text):
    """Markdown to HTML, then sanitised: call texts come from editors, never trusted."""
    source = _BARE_LINK.sub(r"<\1>", text or "")
    html = _converter().convert(source)
    # Section titles are h2 on the page: headings inside a section start at h3.
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, link_rel="noopener noreferrer"))


register.filter("status_badge", reads.status_badge)
register.filter("paris_datetime", reads.paris_datetime)
register.filter("paris_date", reads.paris_date)


@register.filter
def euros(amount):
    if amount is None:
        return ""
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    text = number(int(amount)) if whole else f"{amount:,.2f}".replace(",", "\u202f")
    return f"{text.replace('.', ',')}\u00a0€"


def _decimal(value):
    value = Decimal(value)
    if value == value.to_integral_value():
        return number(int(value))
    return str(value.normalize()).replace(".", ",")


def _period(months):
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(n)s an", "%(n)s ans", years) % {"n": years}
    return _("%s mois") % months


@register.filter
def benefit_text(benefit):
    """One French sentence per benefit, e.g. « 36 jours d'accompagnement sur 3 ans »."""
    kind = benefit.kind
    if kind == CallBenefit.Kind.SUPPORT_DAYS:
        text = _("%s jours d'accompagnement") % _decimal(benefit.days or 0)
    elif kind == CallBenefit.Kind.GRANT:
        parts = []
        if benefit.amount is not None:
            parts.append(_("subvention de %s") % euros(benefit.amount))
        if benefit.rate is not None:
            parts.append(_("jusqu'à %s %% des dépenses") % _decimal(benefit.rate))
        text = (", ".join(parts) or _("subvention")).capitalize()
    elif kind == CallBenefit.Kind.TEAM_FUNDING:
        text = _("Financement d'une équipe : %s") % euros(benefit.amount)
        if benefit.rate is not None:
            text += _(", pris en charge à %s %%") % _decimal(benefit.rate)
    else:
        text = _("Ingénierie : %s") % (benefit.engineering_kind or benefit.description)
    if benefit.period_months:
        text += " " + _("sur %s") % _period(benefit.period_months)
    # For engineering, the description already served as the text when no kind was given.
    shown = kind == CallBenefit.Kind.ENGINEERING and not benefit.engineering_kind
    if benefit.description and not shown:
        text += f" ({benefit.description})"
    return text


@register.filter
def population_range(call):
    """« jusqu'à 4 000 habitants »"""
    return eligibility.population_range(call)
