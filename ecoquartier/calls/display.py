"""French display of a call's status and dates, shared by the templates (calls_tags) and the
result cards (reads.py).

`phrases()` holds the words of the active language, translated once per process rather than per
card (translations do not change while the server runs); cards write their deadline block with
it in plain string formatting.
"""

from html import escape

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ecoquartier.calls.models import Status

BADGE_CLASSES = {
    Status.DRAFT: "fr-badge--new",
    Status.UPCOMING: "fr-badge--info",
    Status.OPEN: "fr-badge--success",
    Status.CLOSING_SOON: "fr-badge--warning",
    Status.CLOSED: "fr-badge--error",
    Status.ARCHIVED: "",
}
CALENDAR_ICON = '<span class="fr-icon-calendar-line fr-icon--sm" aria-hidden="true"></span>'
CLOSED = (Status.CLOSED, Status.ARCHIVED)
SMALL = '<p class="fr-text--sm fr-mb-1v">'


def status_badge(status):
    """The DSFR badge of a status."""
    status = Status(status)
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}" data-status="{}">{}</p>',
        BADGE_CLASSES[status],
        status.value,
        status.label,
    )


class Phrases:
    """Dates and deadline blocks in one language, its words translated once."""

    def __init__(self):
        self.months = {number: str(name) for number, name in MONTHS.items()}
        self.at = _("%(day)s à %(hour)s h %(minute)s")
        self.closed_on = escape(_("Clos le"))
        self.deadline = escape(_("Date limite :"))
        self.no_deadline = escape(_("Sans date limite"))
        self.next_step = _("Prochaine étape : %(step)s le %(date)s")
        self.opens = _("Ouverture le %(date)s")
        self.badges = {status: status_badge(status) for status in Status}

    def date(self, value):
        """« 18 mai 2022 », in Paris time (`date_format(value, "j F Y")`)."""
        if not value:
            return ""
        local = timezone.localtime(value)
        return f"{local.day} {self.months[local.month]} {local.year}"

    def datetime(self, value):
        """« 18 mai 2022 à 23 h 59 », in Paris time."""
        if value is None:
            return ""
        local = timezone.localtime(value)
        day = f"{local.day} {self.months[local.month]} {local.year}"
        return self.at % {"day": day, "hour": local.hour, "minute": f"{local.minute:02d}"}

    def deadline_block(self, status, closes_at, opens_at, next_step):
        """The deadline block of a result card and of the call page's key facts: the closing
        date, the next step when it is not the last one, the opening date of an upcoming call.
        `next_step` is the (name, deadline) of the next step still ahead, or None."""
        parts = []
        if closes_at:
            label = self.closed_on if status in CLOSED else self.deadline
            when = escape(self.datetime(closes_at))
            parts.append(f"{SMALL}{CALENDAR_ICON} {label} <strong>{when}</strong></p>")
            if next_step is not None and next_step[1] != closes_at:
                text = self.next_step % {"step": next_step[0], "date": self.date(next_step[1])}
                parts.append(f"{SMALL}{escape(text)}</p>")
        else:
            parts.append(f"{SMALL}{CALENDAR_ICON} {self.no_deadline}</p>")
        if opens_at and status == Status.UPCOMING:
            text = self.opens % {"date": self.datetime(opens_at)}
            parts.append(f"{SMALL}{escape(text)}</p>")
        return mark_safe("\n".join(parts))


_PHRASES = {}


def phrases():
    """The `Phrases` of the active language (made once per language and process)."""
    language = get_language()
    if language not in _PHRASES:
        _PHRASES[language] = Phrases()
    return _PHRASES[language]


def paris_datetime(value):
    return phrases().datetime(value)


def paris_date(value):
    return phrases().date(value)
