"""The aid finder (F-23): filters, French full-text search, ranking and "why it matched".

`find(query)` returns an ordered, annotated QuerySet of published calls; a results page reads
one page of it through `Rows` (with the columns its cards show, see reads.py); `Reasons` says why
a call matched. Text search runs on PostgreSQL's weighted tsvector, or on the fallback columns
elsewhere (see calls.text and docs/adr/0013-calls-french-full-text-search.md).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property, reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, FloatField, IntegerField, Q, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.calls import fts, plain, text
from ecoquartier.calls.models import (
    STATUS_FIELDS,
    Call,
    CallBenefit,
    CallPriorityTheme,
    instant,
    status_of,
)
from ecoquartier.core.dates import date_format
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Project, Theme
from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import containment

# PostgreSQL's default ts_rank weights for D, C, B, A; the fallback scores with the same ones.
WEIGHTS = {"title": 1.0, "summary": 0.4, "body": 0.2}


@dataclass(frozen=True)
class FinderQuery:
    """What a visitor asked for, already validated (see forms.FinderForm)."""

    territory: Territory | None = None
    audience: str = ""  # Organisation.Kind
    stage: str = ""  # Project.Stage
    theme: Theme | None = None
    benefit: str = ""  # CallBenefit.Kind
    closes_before: date | None = None
    text: str = ""
    include_closed: bool = False

    @cached_property
    def terms(self):
        return list(dict.fromkeys(text.stems(self.text)))

    @cached_property
    def ancestor_ids(self):
        """The searched territory and the territories containing it (read once: the perimeter
        filter and the reasons both use them); empty without a territory."""
        return self._containment[0]

    @cached_property
    def contains_others(self):
        """Does the searched territory contain other territories (a commune does not)?"""
        return self._containment[1]

    @cached_property
    def _containment(self):
        """(ancestor ids, contains others) in one statement."""
        if self.territory is None:
            return frozenset(), False
        # Read with the territory when a form resolved it (territories/services.py).
        known = getattr(self.territory, "containment", None)
        return known if known is not None else containment(self.territory.pk)

    def describe(self):
        """A short French description, for alert e-mails and the alert list."""
        parts = []
        if self.text.strip():
            parts.append(f"« {self.text.strip()} »")
        if self.territory:
            parts.append(str(self.territory))
        if self.audience:
            parts.append(str(Organisation.Kind(self.audience).label))
        if self.stage:
            parts.append(str(Project.Stage(self.stage).label))
        if self.theme:
            parts.append(str(self.theme))
        if self.benefit:
            parts.append(str(CallBenefit.Kind(self.benefit).label))
        if self.closes_before:
            parts.append(_("avant le %s") % date_format(self.closes_before, "j F Y"))
        return " · ".join(parts) or _("Tous les appels")


def find(query, now=None):
    """Published calls matching `query`, best first: relevance, then the nearest deadline —
    calls one can still apply to before closed ones, the latest closed first. Annotated with
    their `status`."""
    return ranked(query, now).with_status(now)


def ranked(query, now=None, read_ancestors=False):
    """`find` without the status annotation. A results page, which needs the territory's
    ancestors for its reasons anyway, reads them first (`read_ancestors`) and filters on their
    ids rather than on a subquery."""
    now = instant(now)
    calls = Call.objects.published() if query.include_closed else Call.objects.current(now)
    calls = _filter(calls, query, read_ancestors)
    calls, rank = _text_search(calls, query.terms, query.text)
    if not query.include_closed:
        # Only calls one can still apply to: the nearest deadline first. Without text, the
        # common listing is one index-ordered walk, with no sort of the whole result.
        order = ["deadline_order", "pk"]  # closes_at, none last: the finder index's order
        return calls.annotate(rank=rank).order_by(*(["-rank"] if query.terms else []), *order)
    over = Q(closes_at__lt=now) | Q(archived_at__lte=now)
    return calls.annotate(
        rank=rank,
        over=Case(When(over, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by(
        "-rank",
        "over",
        Case(When(over, then=None), default=F("closes_at")).asc(nulls_last=True),
        F("closes_at").desc(nulls_last=True),
        "pk",
    )


def _filter(calls, query, read_ancestors=False):
    if query.territory is not None and read_ancestors:
        calls = calls.for_territory(query.territory, query.ancestor_ids, query.contains_others)
    elif query.territory is not None:
        calls = calls.for_territory(query.territory)
    if query.audience:
        calls = calls.filter(_any_or_listed("audience_kinds", query.audience))
    if query.stage:
        calls = calls.filter(_any_or_listed("project_stages", query.stage))
    if query.theme is not None:
        calls = calls.filter(
            Q(pk__in=Call.eligible_themes.through.objects.filter(theme=query.theme).values("call"))
            | Q(pk__in=CallPriorityTheme.objects.filter(theme=query.theme).values("call"))
        )
    if query.benefit:
        calls = calls.filter(pk__in=CallBenefit.objects.filter(kind=query.benefit).values("call"))
    if query.closes_before:
        end_of_day = timezone.make_aware(datetime.combine(query.closes_before, time.max))
        calls = calls.filter(closes_at__lte=end_of_day)
    return calls


def _any_or_listed(field_name, value):
    """An empty JSON list means "no restriction"; otherwise the value must be listed. The
    quoted match works on every database's JSON text."""
    return Q(**{field_name: []}) | Q(**{f"{field_name}__icontains": f'"{value}"'})


def _text_search(calls, terms, raw_text):
    if not terms:
        return calls, Value(0.0, output_field=FloatField())
    if connection.vendor == "postgresql":
        tsquery = SearchQuery(raw_text, config=text.SEARCH_CONFIG, search_type="websearch")
        return calls.filter(search_vector=tsquery), SearchRank(F("search_vector"), tsquery)
    return _fallback_search(calls, terms)


def _fallback_search(calls, terms):
    """Every term must appear as a whole (stemmed) word somewhere; the score adds each term's
    best field weight, as ts_rank would."""
    conditions, scores = [], []
    for term in terms:
        needle = f" {term} "
        per_field = {
            name: Q(**{f"search_{name}__contains": needle}) for name in ("title", "summary", "body")
        }
        conditions.append(reduce(lambda a, b: a | b, per_field.values()))
        scores.append(
            Case(
                *(When(cond, then=Value(WEIGHTS[name])) for name, cond in per_field.items()),
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
    score = reduce(lambda a, b: a + b, scores)
    if fts.available(connection):
        # The same words, found in SQLite's full-text index rather than in every row (fts.py);
        # the score still reads the matching rows' columns.
        matching = RawSQL(fts.matching_ids_sql(), [fts.match_expression(terms)])
        return calls.filter(pk__in=matching), Coalesce(score, Value(0.0))
    return calls.filter(reduce(and_, conditions)), Coalesce(score, Value(0.0))


def matches(query, call, now=None):
    """Would `call` appear in the results of `query`? One query (used by alerts)."""
    return find(query, now).filter(pk=call.pk).exists()


# --- Why it matched ---------------------------------------------------------------------------


@dataclass
class Result:
    call: Call
    reasons: list[str] = field(default_factory=list)
    eligibility: object = None


def explain(calls, query):
    """A `Result` per call, with the French reasons it matched. Needs each call's perimeter (and
    its priority links when the query names a theme) loaded; costs at most one more query (the
    searched territory's ancestors). Result pages use `reads.load`, built on the same reasons."""
    why, results = Reasons(query), []
    for call in calls:
        prioritised = query.theme is not None and any(
            link.theme_id == query.theme.pk for link in call.priority_links.all()
        )
        results.append(Result(call, why(call, prioritised)))
    return results


def page_rows(query, now=None):
    """(pk, status) of the matching calls, best first: what a paginator slices."""
    return find(query, now).values_list("pk", "status")


class Rows:
    """The calls matching a query, as a Paginator's object_list: each row a dict of its `pk`,
    its `status` and the `columns` asked for (a card's, see reads.columns).

    When the query sorts every match anyway (text search, closed calls included), the page the
    visitor asked for is read in one query with its columns and the total (a window count),
    rather than a COUNT reading every match a second time, a page of keys and their columns.
    The index-ordered listing keeps its COUNT and its walk over the keys (the covering index
    holds what a status is computed from), then reads the columns of its page's rows. Any other
    slice (the Paginator falling back to the last page) is read on its own. Statuses are
    computed here (`status_of`) from the dates read, rather than by the database."""

    def __init__(self, query, page_number=None, per_page=20, columns=(), now=None, version=None):
        self.now = instant(now)
        self.version = version
        self.query = query
        self.extra = tuple(c for c in columns if c not in STATUS_FIELDS)
        self.columns = ("pk", *STATUS_FIELDS, *self.extra)
        self.wanted_columns = ("pk", "status", *columns)
        self.sorts_all = bool(query.terms or query.include_closed)
        self.per_page = per_page
        try:
            self.wanted = max(int(page_number), 1)
        except (TypeError, ValueError):
            self.wanted = 1
        self._total = None
        self._page = None  # (start, rows) already read

    @cached_property
    def matches(self):
        return ranked(self.query, self.now, read_ancestors=True)

    @cached_property
    def keys(self):
        return self.matches.values_list("pk", *STATUS_FIELDS)

    def count(self):
        if self._total is None and self.sorts_all and plain.handles(self.query):
            # The commonest searches, in plain SQL (plain.py): the same rows.
            start = (self.wanted - 1) * self.per_page
            rows, self._total = plain.page(
                self.query, self.now, self.columns, start, self.per_page, self.version
            )
            self._page = (start, self._rows(rows))
        if self._total is None and self.sorts_all:
            start = (self.wanted - 1) * self.per_page
            counted = self.matches.values(*self.columns).annotate(total=Window(Count("pk")))
            rows = list(counted[start : start + self.per_page])
            for row in rows:
                self._total = row.pop("total")
            self._page = (start, self._rows(rows))  # past the end no row tells the total.
        if self._total is None:
            self._total = self.keys.count()
        return self._total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if self._page is not None and self._page[0] == index.start:
            return self._page[1]
        if self.sorts_all:
            return self._rows(self.matches.values(*self.columns)[index])
        keys = [dict(zip(("pk", *STATUS_FIELDS), key, strict=True)) for key in self.keys[index]]
        values = Call.objects.filter(pk__in=[key["pk"] for key in keys]).values("pk", *self.extra)
        by_pk = {row["pk"]: row for row in values}
        return self._rows({**key, **by_pk[key["pk"]]} for key in keys if key["pk"] in by_pk)

    def _rows(self, rows):
        """The rows with their status, and the columns asked for only."""
        return [
            {
                **{name: row[name] for name in self.wanted_columns if name != "status"},
                "status": status_of(row, self.now),
            }
            for row in rows
        ]

    def __len__(self):
        return self.count()


def prefetch(calls):
    """Everything a call page or an eligibility check reads, in a fixed number of queries."""
    return calls.select_related("perimeter", "programme").prefetch_related(
        "steps",
        "benefits",
        "eligible_themes",
        "priority_links__theme",
    )


class Reasons:
    """Why calls matched `query`, in French: one sentence per criterion. A sentence depends on
    the query and on little of the call (its perimeter, the fields the words were found in…):
    each is written once per page and case, not once per call. Call with a `Call` or a
    `reads.CallRow`, and whether it gives priority to the searched theme."""

    def __init__(self, query):
        self.query = query
        self._written = {}

    def __call__(self, call, prioritised=False):
        query, sentences = self.query, []
        if query.territory is not None:
            perimeter = call.perimeter
            sentences.append(self._once(("perimeter", perimeter.pk), _territory_reason, perimeter))
        if query.terms:
            found = _found_in(call, query.terms)
            sentences.append(self._once(("text", found), _text_reason, found))
        if query.audience:
            sentences.append(self._once(("audience", bool(call.audience_kinds)), _audience))
        if query.stage:
            sentences.append(self._once(("stage", bool(call.project_stages)), _stage))
        if query.theme is not None:
            sentences.append(self._once(("theme", prioritised), _theme))
        if query.benefit:
            sentences.append(self._once(("benefit",), _benefit))
        if query.closes_before and call.closes_at:
            sentences.append(
                _("Date limite le %s") % date_format(timezone.localtime(call.closes_at), "j F Y")
            )
        return sentences

    def _once(self, key, write, *args):
        if key not in self._written:
            self._written[key] = write(self.query, key, *args)
        return self._written[key]


def _territory_reason(query, _key, perimeter):
    territory = query.territory
    if perimeter.kind == Territory.Kind.COUNTRY:
        return _("Appel national")
    if perimeter.pk == territory.pk:
        return _("Périmètre : %s") % perimeter
    if perimeter.pk in query.ancestor_ids:
        return _("Périmètre : %(perimeter)s, qui comprend %(territory)s") % {
            "perimeter": perimeter,
            "territory": territory,
        }
    return _("Périmètre : %(perimeter)s, dans %(territory)s") % {
        "perimeter": perimeter,
        "territory": territory,
    }


def _found_in(call, terms):
    """For the title, summary and body: (every term is there, some term is there)."""
    found = []
    for column in (call.search_title, call.search_summary, call.search_body):
        hits = [f" {term} " in column for term in terms]  # each term looked for once
        found.append((all(hits), any(hits)))
    return tuple(found)


def _text_reason(query, _key, found):
    labels = (_("le titre"), _("le résumé"), _("la description"))
    where = [label for label, (every, _some) in zip(labels, found, strict=True) if every]
    if not where:
        # PostgreSQL's stemmer reaches further than the light one (e.g. derived words).
        where = [label for label, (_every, some) in zip(labels, found, strict=True) if some]
    if not where:
        return _("Mots proches de « %s »") % query.text.strip()
    return _("« %(text)s » dans %(where)s") % {
        "text": query.text.strip(),
        "where": ", ".join(str(label) for label in where),
    }


def _audience(query, key):
    if key[1]:
        return _("Ouvert à : %s") % Organisation.Kind(query.audience).label
    return _("Ouvert à tous les types d'organisation")


def _stage(query, key):
    if key[1]:
        return _("État d'avancement accepté : %s") % Project.Stage(query.stage).label
    return _("Tous les états d'avancement sont acceptés")


def _theme(query, key):
    template = _("Thématique prioritaire : %s") if key[1] else _("Thématique : %s")
    return template % query.theme


def _benefit(query, _key):
    return _("Avantage : %s") % CallBenefit.Kind(query.benefit).label
