"""The read layer of applications: what the busy pages and the exports read, as plain rows,
filtered by the app's visibility rules (permissions.instructed_applications).

- Filters shared by the dashboard, the ranking and the exports: the same filters give the same
  rows on screen and in files (F-34): `parse_filters`, `filtered_applications`, `serialisable`;
  a call's `laureates` for its public page.
- Rows of the instruction dashboard and of the ranking: plain dicts, then their <tr> elements.

Both pages show 20 applications per page. The lists read only the columns a row shows with
`.values()` (no model instances, no related objects), the URL is reversed once per page and the
labels are translated once per request. The <tr> elements are then formatted here, every value
escaped as the template's autoescape does: a template loop resolving a dozen variables per row
(lookup, localisation, escaping: about 5 µs each) cost 1.2 ms per page, formatting 0.1 ms. The
HTML is the one the templates rendered from model instances.
"""

from html import escape

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import numberformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ecoquartier.applications.models import (
    BADGES,
    STATE_LABELS,
    Application,
    ApplicationCount,
    CoApplicant,
    FormField,
    Opinion,
    State,
)
from ecoquartier.applications.permissions import (
    instructed_applications,
    instructed_by,
    instructs_applications,
)
from ecoquartier.calls.models import ACCEPTING, Call, CallStep, Status
from ecoquartier.calls.reads import paris_datetime
from ecoquartier.core import extensions
from ecoquartier.core.params import parse_id
from ecoquartier.core.reference import ReferenceList
from ecoquartier.organisations.permissions import organisation_ids
from ecoquartier.projects.models import Project
from ecoquartier.territories.models import Territory

DASHBOARD_FIELDS = (
    "pk", "title", "state", "eligible", "score", "organisation__name",
    "territory__name", "territory__kind", "territory__code", "step__label", "step__kind",
)  # fmt: skip
RANKING_FIELDS = (
    "pk", "title", "state", "score", "review_score", "bonus", "score_spread", "review_count",
    "organisation__name",
)  # fmt: skip
DASHBOARD_ROW = (
    "<tr>"
    '<td><div class="fr-checkbox-group fr-checkbox-group--sm"><input type="checkbox" '
    'name="applications" value="{pk}" id="select-{pk}"><label class="fr-label" '
    'for="select-{pk}">{choose}<span class="fr-sr-only"> {title}</span></label></div></td>'
    '<td><a href="{url}">{title}</a><br><span class="fr-text--sm">{organisation}</span></td>'
    "<td>{territory}</td>"
    "<td>{step}</td>"
    '<td><p class="fr-badge fr-badge--sm fr-badge--no-icon {badge_class}">{state_label}</p></td>'
    "<td>{eligible_label}</td>"
    "<td>{score}</td>"
    "<td>{opinions}</td>"
    "</tr>"
)
RANKING_ROW = (
    "<tr>"
    "<td>{rank}</td>"
    '<td><a href="{url}">{title}</a><br><span class="fr-text--sm">{organisation}</span></td>'
    "<td>{score}</td><td>{review_score}</td><td>{bonus}</td><td>{score_spread}</td>"
    "<td>{review_count}</td>"
    '<td><p class="fr-badge fr-badge--sm fr-badge--no-icon {badge_class}">{state_label}</p></td>'
    "</tr>"
)
_PK = 987_654_321  # Stands for the primary key in a URL reversed once per page.
EMPTY = "—"


# --- Filters (dashboard, ranking, exports) ------------------------------------------------------


def parse_filters(params):
    """{state, territory, eligible} from a QueryDict or dict; unknown values are dropped."""
    state = params.get("state", "")
    eligible = params.get("eligible", "")
    territory = None
    if (territory_id := parse_id(params.get("territory"))) is not None:
        territory = Territory.objects.filter(pk=territory_id).first()
    return {
        "state": state if state in State.values else "",
        "territory": territory,
        "eligible": eligible if eligible in ("yes", "no", "unknown") else "",
    }


def filtered_applications(user, call, params, filters=None):
    """Applications of `call` the user instructs, past the draft, filtered as on screen
    (`filters`: what `parse_filters(params)` returns, when the caller has it already)."""
    filters = parse_filters(params) if filters is None else filters
    queryset = instructed_applications(user, call, Application.objects.submitted())
    return queryset.filtered(**filters)


# The dashboard's territory filter: régions and départements, cached (core/reference.py). The
# yearly territory import writes in bulk, from another process: the list may then be five
# minutes old (not with a shared cache, CACHE_URL).
territory_filter_choices = ReferenceList(
    "applications:territory-filter",
    lambda: list(
        Territory.objects.filter(kind__in=["region", "departement"])
        .order_by("kind", "code")
        .values_list("pk", "name")
    ),
    models=[Territory],
)


def serialisable(params):
    """The filters as stored on a background export."""
    return {k: params.get(k, "") for k in ("state", "territory", "eligible")}


def laureates(call):
    """The selected applications of a call, for its public page (any app may include
    `applications/includes/laureates.html` with `laureates`), narrowed by the apps that decide
    for some calls (`core.extensions.register_filter("laureates", …)`: a label campaign's
    laureates are the files its national commission awarded)."""
    selected = Application.objects.filter(call=call, state=State.SELECTED)
    return list(
        extensions.filtered("laureates", selected, call)
        .select_related("organisation", "project")
        .prefetch_related(Prefetch("co_applicants", joined_co_applicants(), to_attr="partners"))
        .order_by("organisation__name")
    )


def joined_co_applicants():
    """The co-applicants who joined (their organisation named), for laureate lists."""
    return (
        CoApplicant.objects.filter(accepted_at__isnull=False, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def attachable_projects(application):
    """The projects `application` may be made for: those of its organisation and those of the
    organisations of its co-applicants who joined (a DDT-led application names the project of
    the commune it applies with)."""
    organisations = {
        application.organisation_id,
        *CoApplicant.objects.filter(
            application=application, accepted_at__isnull=False, organisation__isnull=False
        ).values_list("organisation_id", flat=True),
    }
    return Project.objects.filter(holders__in=organisations).distinct().order_by("name")


def public_selections(project):
    """The project's published selections, for its public page: selected applications to
    published calls, through the same `laureates` filters as a call's list."""
    selected = Application.objects.filter(
        project=project, state=State.SELECTED, call__state=Call.State.PUBLISHED
    )
    rows = (
        extensions.filtered("laureates", selected, None)
        .order_by("-decided_at", "pk")
        .values("call__title", "call__slug", "organisation__name", "decided_at")
    )
    return {
        "selections": [
            {
                "call_title": row["call__title"],
                "call_url": reverse("calls:detail", kwargs={"slug": row["call__slug"]}),
                "organisation": row["organisation__name"],
                "decided_on": row["decided_at"] and timezone.localtime(row["decided_at"]),
            }
            for row in rows
        ]
    }


# --- Rows of the dashboard and the ranking -----------------------------------------------------


def dashboard_queryset(applications):
    """`applications`, last submitted first, as dicts of what a row shows."""
    return applications.order_by("-submitted_at", "-pk").values(*DASHBOARD_FIELDS)


def ranking_queryset(applications):
    """Scored `applications`, best first, as dicts of what a row shows."""
    return applications.ranked().values(*RANKING_FIELDS)


def dashboard_rows(rows):
    """The rows of one dashboard page, each with its `url`, labels and formatted score."""
    url, number = _detail_url(), decimal_formatter()
    states, steps = _state_labels(), {value: str(label) for value, label in CallStep.Kind.choices}
    eligible = {None: EMPTY, True: _("oui"), False: _("non")}
    rows = list(rows)
    # "avis 1/2": opinions answered / asked, for the page's applications in one query.
    opinions = Opinion.objects.counts([row["pk"] for row in rows]) if rows else {}
    opinion_label = _("avis %(answered)s/%(asked)s")
    for row in rows:
        answered, asked = opinions.get(row["pk"], (0, 0))
        row["opinions"] = opinion_label % {"answered": answered, "asked": asked} if asked else EMPTY
        _common(row, url, states)
        row["territory"] = _territory(row)
        row["step"] = row["step__label"] or steps.get(row["step__kind"], row["step__kind"])
        row["eligible_label"] = eligible[row["eligible"]]
        row["score"] = number(row["score"])
    return rows


def ranking_rows(rows, first_rank):
    """The rows of one ranking page, numbered from `first_rank`."""
    url, number = _detail_url(), decimal_formatter()
    states = _state_labels()
    rows = list(rows)
    for rank, row in enumerate(rows, first_rank):
        _common(row, url, states)
        row["rank"] = rank
        row["score"] = number(row["score"])
        row["review_score"] = number(row["review_score"])
        row["score_spread"] = number(row["score_spread"])
    return rows


def dashboard_html(rows):
    """The <tr> elements of `dashboard_rows`."""
    return _html(DASHBOARD_ROW, rows, choose=_("Choisir"))


def ranking_html(rows):
    """The <tr> elements of `ranking_rows`."""
    return _html(RANKING_ROW, rows)


def _html(row_format, rows, **shared):
    """`rows` formatted with `row_format`, each value escaped (integers print as the template
    printed them: no thousands separator in this project)."""
    shared = {key: escape(str(value)) for key, value in shared.items()}
    return mark_safe(  # Every value is escaped.
        "\n".join(
            row_format.format_map({**shared, **{k: escape(str(v)) for k, v in row.items()}})
            for row in rows
        )
    )


def options_html(choices, selected=""):
    """The <option> elements of a DSFR select, from (value, label) pairs: what a template loop
    renders, for lists of a hundred territories shown on every request (`escape` as the
    template's autoescape, without its per-call checks for lazy and safe strings)."""
    selected = str(selected)
    options = []
    for value, label in choices:
        value = str(value)
        flag = " selected" if value == selected else ""
        options.append(f'<option value="{escape(value)}"{flag}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # Every value and label is escaped above.


def decimal_formatter():
    """A function that formats a number as `{{ value|default:"—" }}` does in a template (the
    locale's separators, looked up once)."""
    language = get_language()
    separator = get_format("DECIMAL_SEPARATOR", language)
    grouping = get_format("NUMBER_GROUPING", language)
    thousands = get_format("THOUSAND_SEPARATOR", language)

    def number(value):
        if not value:
            return EMPTY
        return numberformat.format(value, separator, None, grouping, thousands)

    return number


def _common(row, url, states):
    row["url"] = url.replace(str(_PK), str(row["pk"]))
    row["organisation"] = row["organisation__name"]
    row["state_label"] = states[row["state"]]
    row["badge_class"] = BADGES.get(row["state"], "fr-badge--info")


def _detail_url():
    return reverse("applications:detail", kwargs={"pk": _PK})


def _state_labels():
    return {value: str(label) for value, label in State.choices}


def _territory(row):
    """What `str(territory)` shows (communes with their code), without an instance per row."""
    if row["territory__name"] is None:
        return ""
    if row["territory__kind"] == Territory.Kind.COMMUNE:
        return f"{row['territory__name']} ({row['territory__code']})"
    return row["territory__name"]


# --- What a call page offers its reader (issue 13: "Candidater") --------------------------------


def first_step(call):
    """The intention note when the call has one, else the first step with a published form."""
    return opening_steps([call.pk]).get(call.pk)


def opening_steps(call_ids):
    """{call pk: the step its applications start on} (see `first_step`), in one query."""
    steps = (
        CallStep.objects.filter(call_id__in=call_ids, forms__published_at__isnull=False)
        .exclude(kind=CallStep.Kind.INTERVIEW)
        .distinct()
        .order_by("deadline", "pk")
    )
    found = {}
    for step in steps:  # The earliest first: an intention note wins over any other step.
        current = found.get(step.call_id)
        if current is None or (
            step.kind == CallStep.Kind.INTENTION and current.kind != CallStep.Kind.INTENTION
        ):
            found[step.call_id] = step
    return found


def call_actions(call, request):
    """The applying part of a call page (`call` a stub with its pk, slug, state, status, dates
    and the reader's eligibility verdict, calls.views._call_stub): for a visitor, a way to sign
    in; for a user, their applications to the call (to resume or to see) and a "Candidater"
    button when they may start one, or the French reason why not. Nothing for a draft or an
    archived call."""
    status = getattr(call, "status", None)
    if call.state != Call.State.PUBLISHED or status == Status.ARCHIVED:
        return {}
    user = request.user
    if not user.is_authenticated:
        return {"visitor": status in (*ACCEPTING, Status.UPCOMING), "next": request.path}
    organisations = organisation_ids(user)
    mine = list(
        Application.objects.filter(call_id=call.pk, organisation_id__in=organisations)
        .exclude(state=State.WITHDRAWN)
        .only("pk", "title", "state")
        .order_by("pk")
    )
    # The organisation and project picked on the page (its eligibility check) are preselected.
    wanted = {k: request.GET[k] for k in ("pour", "projet") if request.GET.get(k, "").isdigit()}
    context = {
        "mine": mine,
        "call": call,
        "reason": None,
        "can_start": False,
        "start_query": urlencode(wanted),
    }
    if not organisations and not user.is_superuser:
        context["reason"] = _(
            "Votre compte n’est rattaché à aucune organisation : une candidature est déposée au "
            "nom d’une organisation (collectivité, aménageur…)."
        )
    elif getattr(call, "eligible", None) is False:
        context["reason"] = _(
            "Votre organisation ne remplit pas les critères d’éligibilité de cet appel : voyez "
            "ci-dessous ceux qui manquent."
        )
    else:
        _step, context["reason"] = opening_step(call)
        context["can_start"] = context["reason"] is None
    return context


def opening_step(call, now=None, *, label_file=False):
    """(the step an application starts on, None) or (None, the French reason none can start
    now, saying when it may): what `services.start_application` enforces and the call page
    says. A label campaign's applications are label files, started by the labels app
    (`label_file=True`) from the project's label page, never from the call page."""
    now = now or timezone.now()
    if call.kind == Call.Kind.LABELLING and not label_file:
        return None, _(
            "Les dossiers de labellisation se déposent depuis la page « Label ÉcoQuartier » de "
            "votre projet, une fois la charte signée."
        )
    opens_at = getattr(call, "opens_at", None)
    if opens_at and opens_at > now:
        return None, _("Les candidatures ouvrent le %s.") % paris_datetime(opens_at)
    step = first_step(call)
    if step is None:
        closes_at = getattr(call, "closes_at", None)
        if closes_at and closes_at > now:
            return None, _(
                "Le formulaire de candidature n’est pas encore publié : le dépôt en ligne "
                "ouvrira prochainement, avant la date limite du %s."
            ) % paris_datetime(closes_at)
        return None, _("Le formulaire de candidature de cet appel n’est pas encore publié.")
    if step.deadline < now:
        return None, _("La date limite de dépôt de cet appel est dépassée.")
    return step, None


def card_actions(cards, request):
    """What the finder's cards (calls.reads.Cards.keys) offer the user: "Reprendre ma
    candidature" or "Voir ma candidature" where their organisation applied, "Candidater" where it
    may start (accepting, a form published, not found ineligible, the first step ahead). Two
    queries whatever the number of cards; nothing for a visitor."""
    user = request.user
    organisations = organisation_ids(user) if user.is_authenticated else set()
    if not organisations or not cards:
        return {}
    mine = {}
    applications = (
        Application.objects.filter(
            call_id__in=[card["pk"] for card in cards], organisation_id__in=organisations
        )
        .exclude(state=State.WITHDRAWN)
        .order_by("pk")
        .values_list("call_id", "pk", "state")
    )
    for call_id, pk, state in applications:
        mine.setdefault(call_id, []).append((pk, state))
    startable = [
        card["pk"]
        for card in cards
        if card["pk"] not in mine
        and card.get("kind") != Call.Kind.LABELLING  # label files start from the project
        and card["status"] in ACCEPTING
        and card["online"]
        and card["eligible"] is not False
    ]
    steps = opening_steps(startable) if startable else {}
    now, found = timezone.now(), {}
    for card in cards:
        if card["pk"] in mine:
            links = (_own_link(pk, state, card) for pk, state in mine[card["pk"]])
            found[card["pk"]] = "".join(links)
        elif card["pk"] in steps and steps[card["pk"]].deadline >= now:
            found[card["pk"]] = format_html(
                '<a class="fr-btn fr-btn--sm" href="{}">{}<span class="fr-sr-only"> {}</span></a>',
                reverse("applications:start", args=[card["slug"]]),
                _("Candidater"),
                _("à « %s »") % card.get("title", ""),
            )
    return found


def _own_link(pk, state, card):
    draft = state == State.DRAFT
    return format_html(
        '<a class="fr-btn fr-btn--sm{}" href="{}">{}<span class="fr-sr-only"> {}</span></a>',
        "" if draft else " fr-btn--secondary",
        reverse("applications:edit" if draft else "applications:detail", args=[pk]),
        _("Reprendre ma candidature") if draft else _("Voir ma candidature"),
        _("à « %s »") % card.get("title", ""),
    )


# --- What a call's managers see of its applications (issue 13: call page, calls:manage) ------


def state_counts(call_ids):
    """{call pk: [(state label, number), …]} of the submitted applications of `call_ids`, in
    the workflow's order, from the counters (ApplicationCount): one query, whatever the number
    of applications."""
    totals = {}
    rows = (
        ApplicationCount.objects.filter(call_id__in=call_ids, total__gt=0)
        .exclude(state__in=(State.DRAFT, State.WITHDRAWN))
        .values_list("call_id", "state", "total")
    )
    for call_id, state, total in rows:
        by_state = totals.setdefault(call_id, {})
        by_state[state] = by_state.get(state, 0) + total
    order = {value: position for position, value in enumerate(State.values)}
    return {
        call_id: [
            (STATE_LABELS[s], n) for s, n in sorted(by_state.items(), key=lambda i: order[i[0]])
        ]
        for call_id, by_state in totals.items()
    }


def call_management(call, request):
    """The managers' part of a call page (`call` the stub of calls.views._call_stub, which says
    whether the reader manages it): counts per state and links to instruction, ranking,
    deliberation, forms and grid. Nothing for anyone else."""
    if not getattr(call, "managed_by_reader", False):
        return {}
    counts = state_counts([call.pk]).get(call.pk, [])
    return {"managed": True, "call": call, "counts": counts, "total": sum(n for _s, n in counts)}


def calls_management(calls):
    """The managers' list of calls (calls:manage, which shows only calls its reader manages):
    each call with its counts per state, for the links of each. One query."""
    counts = state_counts([call.pk for call in calls])
    rows = [(call, counts.get(call.pk, [])) for call in calls]
    return {"rows": [(call, found, sum(n for _s, n in found)) for call, found in rows]}


# --- Names of the projects and territories answered (never a raw key on a page) ---------------


def answer_names(specs, datas):
    """{(kind, stored value): name} of the projects and territories that the answers `datas`
    (Answers.data dicts) give to the project and territory fields of `specs`: two queries at
    most, for formspec.displayer(names)."""
    wanted = {FormField.Kind.PROJECT: set(), FormField.Kind.TERRITORY: set()}
    for spec in specs:
        if spec.kind in wanted:
            wanted[spec.kind].update(str(d[spec.key]) for d in datas if d.get(spec.key))
    names = {}
    projects = [pk for pk in wanted[FormField.Kind.PROJECT] if pk.isdigit()]
    if projects:
        for pk, name in Project.objects.filter(pk__in=projects).values_list("pk", "name"):
            names[FormField.Kind.PROJECT, str(pk)] = name
    tokens = [token.partition(":") for token in wanted[FormField.Kind.TERRITORY]]
    if tokens:
        codes = {code for _kind, _sep, code in tokens}
        for territory in Territory.objects.filter(code__in=codes).only("kind", "code", "name"):
            label = _territory(
                {
                    "territory__kind": territory.kind,
                    "territory__name": territory.name,
                    "territory__code": territory.code,
                }
            )
            names[FormField.Kind.TERRITORY, territory.token] = label
    return names


# What instructors still have to act on: new files and files under instruction.
TO_INSTRUCT = (State.SUBMITTED, State.UNDER_REVIEW)


def instructed_calls(user):
    """[{slug, title, total, waiting, new}] of the calls with files `user` instructs (label
    campaigns excepted: the labels app lists their files), in one query."""
    if not instructs_applications(user):
        return []
    rows = (
        instructed_by(user)
        .exclude(call__kind=Call.Kind.LABELLING)
        .values("call_id", "call__slug", "call__title")
        .annotate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(state__in=TO_INSTRUCT)),
            new=Count("pk", filter=Q(state=State.SUBMITTED)),
        )
        .order_by("call__title", "call_id")
    )
    return [
        {
            "slug": row["call__slug"],
            "title": row["call__title"],
            "total": row["total"],
            "waiting": row["waiting"],
            "new": row["new"],
        }
        for row in rows
    ]
