"""The board's table rows, written in Python: forty rows through the template language cost
more than the rest of the page (issue 15's bench, docs/performance.md), the same HTML written
here about a third of that. Every text is escaped by format_html."""

from urllib.parse import quote

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ecoquartier.core.dates import date_format
from ecoquartier.indicators.status import Status

BADGES = {Status.ON_TRACK: "fr-badge--success", Status.OFF_TRACK: "fr-badge--warning"}
ROW = (
    '<tr><td><a href="{}{}/">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td>'
    '<td><p class="fr-badge fr-badge--sm {}">{}</p></td></tr>'
)


def board_rows(lines, board_url):
    """The rows of one challenge's table: name (linked), baseline, target, latest, status."""
    base_badge = format_html(
        ' <span class="fr-badge fr-badge--sm fr-badge--no-icon">{}</span>', _("socle du label")
    )
    return format_html_join("\n", ROW, (_cells(line, board_url, base_badge) for line in lines))


def _cells(line, board_url, base_badge):
    indicator = line.indicator
    target = (
        f"{line.target_text} ({line.target.year})" if line.target else "—"
    )  # fmt: skip
    latest = (
        f"{line.latest_text} ({date_format(line.latest.date, 'j F Y')})" if line.latest else "—"
    )
    return (
        board_url, quote(indicator.code), indicator.name,
        base_badge if indicator.label_base else "", line.baseline_text or "—", target, latest,
        BADGES.get(line.status, "fr-badge--no-icon"), line.status.label,
    )  # fmt: skip
