"""Result cards of the aid finder and the programme page, written in Python once per page.

Twenty cards in a template cost a few hundred variable lookups, translations and includes each;
here a card is one string format of values escaped once, with the words of the language
translated once per process (`phrases`, `_words`). The page's rows come with the
`columns` a card reads (see search.Rows) and its next steps with one more query; the reasons and
the eligibility verdicts are the finder's own (`search.Reasons`, `eligibility.Judge`), on a
`CallRow` carrying the attribute names of `Call`.

The French display of a call's status and dates (`status_badge`, `phrases`, `paris_datetime`,
`paris_date`) is here too, shared with the templates (calls_tags): `phrases()` holds the words
of the active language, translated once per process rather than per card (translations do not
change while the server runs); cards write their deadline block with it in plain string
formatting.
"""

import re
from html import escape

from django.core.cache import cache
from django.db import connection
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ecoquartier.calls import search
from ecoquartier.calls.eligibility import Applicant, Judge
from ecoquartier.calls.models import (
    SOON,
    SOON_LABEL,
    Call,
    CallPriorityTheme,
    CallStep,
    Status,
    shown_status,
)
from ecoquartier.core.dates import day
from ecoquartier.projects.models import Theme
from ecoquartier.territories.models import Territory

BADGE_CLASSES = {
    Status.DRAFT: "fr-badge--new",
    Status.UPCOMING: "fr-badge--info",
    Status.OPEN: "fr-badge--success",
    Status.CLOSING_SOON: "fr-badge--warning",
    Status.CLOSED: "fr-badge--error",
    Status.ARCHIVED: "",
    SOON: "fr-badge--info",
}
CALENDAR_ICON = '<span class="fr-icon-calendar-line fr-icon--sm" aria-hidden="true"></span>'
CLOSED = (Status.CLOSED, Status.ARCHIVED)
SMALL = '<p class="fr-text--sm fr-mb-1v">'


def status_badge(status):
    """The DSFR badge of a status, or of `SOON` (models.shown_status)."""
    value, label = (SOON, SOON_LABEL) if status == SOON else (Status(status).value, None)
    return format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}" data-status="{}">{}</p>',
        BADGE_CLASSES[value],
        value,
        label or Status(value).label,
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
        self.badges = {status: status_badge(status) for status in (*Status, SOON)}

    def date(self, value):
        """« 18 mai 2022 », « 1er juin 2022 », in Paris time (core.dates.date_format)."""
        if not value:
            return ""
        local = timezone.localtime(value)
        return f"{day(local.day)} {self.months[local.month]} {local.year}"

    def datetime(self, value):
        """« 18 mai 2022 à 23 h 59 », in Paris time."""
        if value is None:
            return ""
        local = timezone.localtime(value)
        text = f"{day(local.day)} {self.months[local.month]} {local.year}"
        return self.at % {"day": text, "hour": local.hour, "minute": f"{local.minute:02d}"}

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


SUMMARY_WORDS = 45
CARD_COLUMNS = (
    "slug", "title", "summary", "kind", "opens_at", "closes_at", "forms_published_at",
    "audience_kinds", "project_stages", "programme__name",
)  # fmt: skip
PERIMETER_COLUMNS = ("perimeter_id", "perimeter__kind", "perimeter__code", "perimeter__name")
SEARCH_COLUMNS = ("search_title", "search_summary", "search_body")
RULE_COLUMNS = ("population_min", "population_max", "requires_planning_competence")
_SLUG = "-slug-"


def columns(query, with_rules=False):
    """The columns a page of cards reads besides pk and status: what the cards show, what the
    reasons of `query` check and, `with_rules`, what eligibility judges."""
    return (
        CARD_COLUMNS
        + PERIMETER_COLUMNS
        + (SEARCH_COLUMNS if query.terms else ())
        + (RULE_COLUMNS if with_rules else ())
    )


class Loaded(list):
    """Related objects already read, answering `.all()` as a prefetched relation does."""

    def all(self):
        return self


class CallRow:
    """The columns of one call that its card, its reasons and its eligibility read, under the
    attribute names of `Call`, without building model instances for the page."""

    def __init__(self, values, perimeter):
        self.__dict__.update(values)
        self.perimeter = perimeter
        self.eligible_themes = Loaded()
        self.priority_links = Loaded()
        self.next_step = None  # (name, deadline) of the next step still ahead


def results(page, query, organisation, cards, pagination):
    """The finder's results block: how many calls were found, for whom eligibility is shown,
    the page of `cards` and its `pagination` (or that none matched)."""
    count = page.paginator.count
    found = ngettext("%(counter)s appel trouvé", "%(counter)s appels trouvés", count)
    parts = [
        '<h2 class="fr-h5" id="finder-results-title" aria-live="polite">'
        f"{escape(found % {'counter': count})}</h2>"
    ]
    if organisation is not None:
        sentence = _("Éligibilité indiquée pour : %(name)s.") % {"name": organisation.name}
        parts.append(f'<p class="fr-text--sm">{escape(sentence)}</p>')
    if not query.include_closed:
        only_open = _(
            "Seuls les appels ouverts ou à venir sont affichés. Cochez « Inclure les appels "
            "clos et archivés » pour consulter les autres."
        )
        parts.append(f'<p class="fr-text--sm">{escape(only_open)}</p>')
    if cards:
        parts.append(
            f'<ul class="fr-raw-list" aria-labelledby="finder-results-title">{"".join(cards)}'
            f"</ul>{pagination}"
        )
    else:
        parts.append(f"<p>{escape(_('Aucun appel ne correspond à ces critères.'))}</p>")
    return mark_safe("".join(parts))


def load(rows, query, organisation=None, now=None, version=None):
    """The HTML cards (one `<li>` each) of `rows` — dicts of pk, status and
    `columns(query, organisation is not None)`, in order — with the reasons each call matched
    `query` and, given an `organisation`, whether it may apply.

    Given a `version` (the data generations and the next instant statuses change, from
    calls/visitors.py), what a card shows of its call alone, and the verdict for `organisation`,
    are cached under it: another search listing the same call reuses them (see `_cached`)."""
    calls = _calls(rows)
    if not calls:
        return []
    words = _words()
    pieces = _cached(calls, version, None, lambda missing: _pieces(missing, now, words))
    verdicts = {}
    if organisation is not None:
        verdicts = _cached(
            calls, version, organisation.pk, lambda missing: _verdicts(missing, organisation, words)
        )
    prioritising = _prioritising(calls, query)
    why = search.Reasons(query)
    cards = Cards()
    for call in calls:
        head, middle = pieces[call.pk]
        badge, failures = verdicts.get(call.pk, ("", ""))
        reasons = why(call, call.pk in prioritising)
        cards.append(
            mark_safe(
                f"{head}{badge}{middle}{words['why'] + _list(reasons) if reasons else ''}"
                f"{failures}{CARD_CONTENT_END}{ACTIONS_SLOT.format(pk=call.pk)}{CARD_END}"
            )
        )
        cards.keys.append(
            {
                "pk": call.pk,
                "slug": call.slug,
                "title": call.title,
                "kind": call.kind,
                "status": call.status,
                "online": call.forms_published_at is not None,
                "eligible": badge == words["eligible"] if badge else None,
            }
        )
    return cards


class Cards(list):
    """The HTML cards of a page, and `keys`: what the page's calls are (pk, slug, status,
    `online` whether a form is published, `eligible` the verdict or None), for what other apps
    offer each user on them (`with_actions`)."""

    def __init__(self):
        super().__init__()
        self.keys = []


CARD_CONTENT_END = "</div></div>"
CARD_END = "</div></article></li>"
# Where a card's per-user actions go (its DSFR footer), filled outside the cache (with_actions).
ACTIONS_SLOT = "<!--eq-card-actions:{pk}-->"
_ACTIONS_SLOT = re.compile(r"<!--eq-card-actions:(\d+)-->")


def with_actions(html, actions):
    """`html` (cards, or a page of them) with each card's slot replaced by its `actions`
    ({pk: HTML}, from core.extensions.card_actions) in a DSFR card footer, or by nothing."""

    def fill(match):
        found = actions.get(int(match.group(1)))
        return f'<div class="fr-card__footer">{found}</div>' if found else ""

    return mark_safe(_ACTIONS_SLOT.sub(fill, html))


CACHE_SECONDS = 600


def _cached(calls, version, viewer, compute):
    """{pk: value} for `calls`, read from the cache under `version` when given, computed by
    `compute(missing calls)` otherwise (and stored). A card's pieces depend on its call and on
    time only (the version holds the calls, territories, organisations and projects generations
    and the next instant a status or a step changes); a verdict on the organisation `viewer`
    too, hence in a key of its own, never shared with another organisation."""
    if version is None:
        return compute(calls)
    prefix = f"calls:card:{get_language()}:{version}:{'' if viewer is None else viewer}:"
    found = cache.get_many([f"{prefix}{call.pk}" for call in calls])
    values = {int(key.rsplit(":", 1)[1]): value for key, value in found.items()}
    missing = [call for call in calls if call.pk not in values]
    if missing:
        computed = compute(missing)
        cache.set_many({f"{prefix}{pk}": value for pk, value in computed.items()}, CACHE_SECONDS)
        values.update(computed)
    return values


def _pieces(calls, now, words):
    """{pk: (head, middle)}: a card's markup around its verdict badge and its reasons."""
    _attach_next_steps(calls, now or timezone.now(), words["steps"])
    url = reverse("calls:detail", kwargs={"slug": _SLUG})
    return {call.pk: _card(call, url, words) for call in calls}


def _verdicts(calls, organisation, words):
    """{pk: (badge, failures)}: whether `organisation` may apply to each call, and why not."""
    _attach_eligible_themes(calls)
    judge = Judge(Applicant.load(organisation))
    verdicts = {}
    for call in calls:
        eligibility = judge(call)
        badge = words["eligible"] if eligibility.eligible else words["not_eligible"]
        failures = [result.message for result in eligibility.failures]
        verdicts[call.pk] = (badge, _list(failures) if failures else "")
    return verdicts


def _calls(rows):
    perimeters, calls = {}, []
    for values in rows:
        values = dict(values)
        pk, kind, code, name = (values.pop(column) for column in PERIMETER_COLUMNS)
        if pk not in perimeters:
            perimeters[pk] = Territory(pk=pk, kind=kind, code=code, name=name)
        calls.append(CallRow(values, perimeters[pk]))
    return calls


def _attach_next_steps(calls, now, step_names):
    """The next step still ahead of each call (the earliest deadline at or after `now`, as the
    call page picks it), in plain SQL: the equivalent ORM query cost more to build than to run."""
    by_pk = {call.pk: call for call in calls}
    meta = CallStep._meta
    call_id, kind, label, deadline = (
        meta.get_field(name).column for name in ("call", "kind", "label", "deadline")
    )
    steps = CallStep.objects.raw(
        f"SELECT {meta.pk.column}, {call_id}, {kind}, {label}, {deadline} FROM {meta.db_table} "
        f"WHERE {call_id} IN ({', '.join(['%s'] * len(by_pk))}) AND {deadline} >= %s "
        f"ORDER BY {deadline} DESC, {meta.pk.column} DESC",
        [*by_pk, connection.ops.adapt_datetimefield_value(now)],
    )
    for step in steps:  # The latest first, so that the earliest is kept.
        label = step.label or step_names.get(step.kind, step.kind)
        by_pk[step.call_id].next_step = (label, step.deadline)


def _attach_eligible_themes(calls):
    """The themes each call requires (eligibility reads them), in their order: one plain SQL
    statement over the link table (the ORM one cost more to build than to run)."""
    by_pk = {call.pk: call for call in calls}
    link = Call.eligible_themes.through._meta
    theme = Theme._meta
    call_column = link.get_field("call").column
    theme_column = link.get_field("theme").column
    fields = [theme.get_field(name) for name in ("id", "kind", "slug", "label", "position")]
    order = ", ".join(f"t.{theme.get_field(name).column}" for name in theme.ordering)
    sql = (
        f"SELECT l.{call_column}, {', '.join(f't.{f.column}' for f in fields)} "
        f"FROM {link.db_table} l JOIN {theme.db_table} t ON t.{theme.pk.column} = l.{theme_column} "
        f"WHERE l.{call_column} IN ({', '.join(['%s'] * len(by_pk))}) ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(by_pk))
        rows = cursor.fetchall()
    names = [f.attname for f in fields]
    for call_id, *values in rows:
        by_pk[call_id].eligible_themes.append(Theme.from_db(connection.alias, names, values))


def _prioritising(calls, query):
    """Pks of the page's calls that give priority to the searched theme."""
    if query.theme is None:
        return set()
    links = CallPriorityTheme.objects.filter(call_id__in=[c.pk for c in calls], theme=query.theme)
    return set(links.values_list("call_id", flat=True))


_WORDS = {}


def _words():
    """The labels and fixed markup of cards in the active language, made once per language."""
    language = get_language()
    if language not in _WORDS:
        badge = '<li><p class="fr-badge fr-badge--sm fr-badge--{}">{}</p></li>'
        _WORDS[language] = {
            "kinds": {value: escape(str(label)) for value, label in Call.Kind.choices},
            "steps": {value: str(label) for value, label in CallStep.Kind.choices},
            "eligible": badge.format("success", escape(_("Éligible"))),
            "not_eligible": badge.format("error", escape(_("Non éligible"))),
            "why": '<p class="fr-text--sm fr-mb-0 fr-mt-1w">{}</p>'.format(
                escape(_("Pourquoi ce résultat :"))
            ),
        }
    return _WORDS[language]


def _list(sentences):
    items = "".join(f"<li>{escape(str(sentence))}</li>" for sentence in sentences)
    return f'<ul class="fr-text--sm fr-mb-0 eq-reasons">{items}</ul>'


def _card(call, url, words):
    """The markup of a DSFR card (small), as the finder has always shown it: (head, middle),
    the parts before and after the verdict badge; the reasons and the verdict's failures go
    after the middle, then the actions' slot and `CARD_END`."""
    pk, dates = call.pk, phrases()
    deadline = dates.deadline_block(call.status, call.closes_at, call.opens_at, call.next_step)
    head = (
        f'<li class="fr-mb-3w">'
        f'<article class="fr-card fr-card--sm" aria-labelledby="call-{pk}-title">'
        f'<div class="fr-card__body"><div class="fr-card__content">'
        f'<h3 class="fr-card__title" id="call-{pk}-title">'
        f'<a href="{escape(url.replace(_SLUG, call.slug))}">{escape(call.title)}</a></h3>'
        f'<p class="fr-card__desc">{escape(truncatewords(call.summary, SUMMARY_WORDS))}</p>'
        f'<div class="fr-card__start"><ul class="fr-badges-group">'
        f"<li>{dates.badges[shown_status(call.status, call.forms_published_at)]}</li>"
        f'<li><p class="fr-badge fr-badge--sm fr-badge--no-icon">'
        f"{words['kinds'].get(call.kind) or escape(call.kind)}</p></li>"
    )
    middle = (
        f'</ul><p class="fr-card__detail fr-mt-1w">'
        f"{escape(call.programme__name)} · {escape(str(call.perimeter))}</p></div>"
        f'<div class="fr-card__end">{deadline}'
    )
    return head, middle
