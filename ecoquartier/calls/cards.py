"""Result cards of the aid finder and the programme page, computed in Python once per page.

A card is a plain dict of what `calls/includes/results.html` prints — URL, labels, badge and
deadline block already resolved — so that rendering twenty cards is a loop over strings rather
than hundreds of template lookups and includes. The page's rows come with the `columns` a card
reads (see search.Rows), its next steps with one more query; the reasons and the eligibility
verdicts are the finder's own (`search.reasons`, `eligibility.evaluate`), on a `CallRow` that
carries the attribute names of `Call`.
"""

from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone

from ecoquartier.calls import search
from ecoquartier.calls.display import Phrases, status_badge
from ecoquartier.calls.eligibility import Applicant, evaluate
from ecoquartier.calls.models import Call, CallPriorityTheme, CallStep
from ecoquartier.projects.models import Theme
from ecoquartier.territories.models import Territory

SUMMARY_WORDS = 45
CARD_COLUMNS = (
    "slug", "title", "summary", "kind", "opens_at", "closes_at", "audience_kinds",
    "project_stages", "programme__name",
)  # fmt: skip
PERIMETER_COLUMNS = ("perimeter_id", "perimeter__kind", "perimeter__code", "perimeter__name")
SEARCH_COLUMNS = ("search_title", "search_summary", "search_body")
RULE_COLUMNS = ("population_min", "population_max", "requires_planning_competence")
THEME_ORDER = [f"theme__{name}" for name in Theme._meta.ordering]
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
        self.next_step = None  # (kind, label, deadline) of the next step still ahead


def load(rows, query, organisation=None, now=None):
    """The cards of `rows` (dicts of pk, status and `columns(query, organisation is not None)`,
    in order), with the reasons each call matched `query` and, given an `organisation`,
    whether it may apply."""
    calls = _calls(rows)
    if not calls:
        return []
    _attach_next_steps(calls, now or timezone.now())
    prioritising = _prioritising(calls, query)
    applicant = None
    if organisation is not None:
        _attach_eligible_themes(calls)
        applicant = Applicant.load(organisation)
    labels = _Labels()
    cards = []
    for call in calls:
        reasons = search.reasons(call, query, call.pk in prioritising)
        eligibility = evaluate(call, applicant) if applicant is not None else None
        cards.append(_card(call, reasons, eligibility, labels))
    return cards


def _calls(rows):
    perimeters, calls = {}, []
    for values in rows:
        values = dict(values)
        pk, kind, code, name = (values.pop(column) for column in PERIMETER_COLUMNS)
        if pk not in perimeters:
            perimeters[pk] = Territory(pk=pk, kind=kind, code=code, name=name)
        calls.append(CallRow(values, perimeters[pk]))
    return calls


def _attach_next_steps(calls, now):
    """The next step still ahead of each call, as `calls_tags.next_step` picks it."""
    by_pk = {call.pk: call for call in calls}
    ahead = (
        CallStep.objects.filter(call_id__in=list(by_pk), deadline__gte=now)
        .order_by("-deadline", "-pk")
        .values_list("call_id", "kind", "label", "deadline")
    )
    for call_id, *step in ahead:  # the latest first, so that the earliest is kept
        by_pk[call_id].next_step = step


def _attach_eligible_themes(calls):
    by_pk = {call.pk: call for call in calls}
    links = Call.eligible_themes.through.objects.filter(call_id__in=list(by_pk))
    for link in links.select_related("theme").order_by(*THEME_ORDER):
        by_pk[link.call_id].eligible_themes.append(link.theme)


def _prioritising(calls, query):
    """Pks of the page's calls that give priority to the searched theme."""
    if query.theme is None:
        return set()
    links = CallPriorityTheme.objects.filter(call_id__in=[c.pk for c in calls], theme=query.theme)
    return set(links.values_list("call_id", flat=True))


class _Labels:
    """Translations and markup shared by the cards of a page, resolved once."""

    def __init__(self):
        self.kinds = {value: str(label) for value, label in Call.Kind.choices}
        self.steps = {value: str(label) for value, label in CallStep.Kind.choices}
        self.url = reverse("calls:detail", kwargs={"slug": _SLUG})
        self.badges = {}
        self.phrases = Phrases()

    def badge(self, status):
        if status not in self.badges:
            self.badges[status] = status_badge(status)
        return self.badges[status]

    def next_step(self, step):
        if step is None:
            return None
        kind, label, when = step
        return (label or self.steps.get(kind, kind), when)


def _card(call, reasons, eligibility, labels):
    return {
        "pk": call.pk,
        "url": labels.url.replace(_SLUG, call.slug),  # Slugs need no URL quoting.
        "title": call.title,
        "summary": truncatewords(call.summary, SUMMARY_WORDS),
        "badge": labels.badge(call.status),
        "kind": labels.kinds.get(call.kind, call.kind),
        "programme": call.programme__name,
        "perimeter": str(call.perimeter),
        "deadline": labels.phrases.deadline_block(
            call.status, call.closes_at, call.opens_at, labels.next_step(call.next_step)
        ),
        "reasons": reasons,
        "eligible": None if eligibility is None else eligibility.eligible,
        "failures": [] if eligibility is None else [r.message for r in eligibility.failures],
    }
