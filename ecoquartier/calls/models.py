"""Programmes, calls and alerts (F-20 … F-23).

A call's status is never stored: `CallQuerySet` computes it from its dates at query time.
`Call.closes_at` is the latest step deadline, kept equal to it by `CallStep.save()`/`delete()`
and by `CallQuerySet.refresh_deadlines()` after bulk writes. `Call.deadline_order` is the same
date with "no deadline" as the latest date, computed by the database (ADR 19): the finder bounds
and orders its index walk on it.
"""

import operator
from datetime import UTC, datetime, timedelta
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Case, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoquartier.calls import text
from ecoquartier.core.constraints import field_checks
from ecoquartier.core.files import PrivateUploadTo
from ecoquartier.core.generations import bump
from ecoquartier.core.uploads import UploadValidator
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Project
from ecoquartier.territories.models import TerritoryAncestor

# The generation of calls data (core/generations.py): programmes, calls and what they list.
GENERATION = "calls"
CLOSING_SOON = timedelta(days=14)
# A closed call stays "closed" (results pending) for six months, then becomes "archived".
ARCHIVE_AFTER = timedelta(days=180)
# What `deadline_order` holds for a call with no deadline: after every real date, so that the
# finder's order (nearest deadline first, none last) and its bound (`>= now`) are one column's.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)

# The structured description of a call, in display order: (field, title). The shape of the
# "Atelier des territoires" call page (seed 004).
SECTIONS = [
    ("presentation", _("Présentation")),
    ("ambitions", _("Ambitions stratégiques")),
    ("objectives", _("Objectifs opérationnels")),
    ("steering", _("Pilotage")),
    ("funding", _("Financement")),
    ("support", _("Accompagnement")),
    ("schedule", _("Déroulement")),
    ("duration", _("Durée")),
    ("deliverables", _("Livrables")),
    ("hooks", _("Objets d'accroche")),
    ("eligibility_text", _("Critères d'éligibilité")),
    ("application", _("Candidature")),
    ("contacts", _("Contacts")),
]
SECTION_FIELDS = [name for name, _label in SECTIONS]


@field_checks
class Programme(models.Model):
    """A family of calls run by an owner organisation with partners (e.g. Région + DREAL +
    Cerema). Members of these organisations with the programme-manager role manage it."""

    class Kind(models.TextChoices):
        LABEL = "label", _("Label ÉcoQuartier")
        SUPPORT = "support", _("Offre d'accompagnement")
        AMI = "ami", _("Appels à manifestation d'intérêt")
        ATELIER = "atelier", _("Ateliers des territoires")
        CLUB = "club", _("Club ÉcoQuartier")
        OTHER = "other", _("Autre")

    kind = models.CharField(_("nature"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation porteuse"),
        on_delete=models.PROTECT,
        related_name="owned_programmes",
    )
    partners = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("organisations partenaires"),
        blank=True,
        related_name="partner_programmes",
    )
    website = models.URLField(_("site internet"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("calls:programme", kwargs={"slug": self.slug})

    def organisation_ids(self):
        return {self.owner_id, *(o.pk for o in self.partners.all())}


class Status(models.TextChoices):
    """Where a call stands at a given instant. Computed, never stored."""

    DRAFT = "draft", _("Brouillon")
    UPCOMING = "upcoming", _("À venir")
    OPEN = "open", _("Ouvert")
    CLOSING_SOON = "closing_soon", _("Clôture proche")
    CLOSED = "closed", _("Clos")
    ARCHIVED = "archived", _("Archivé")


ACCEPTING = (Status.OPEN, Status.CLOSING_SOON)
NO_LONGER_AVAILABLE = (Status.CLOSED, Status.ARCHIVED)
# What readers see of an accepting call whose application form is not published yet
# (`Call.forms_published_at` empty): "bientôt ouvert", not "ouvert" (issue 13). A display only:
# the finder still lists and filters the call as open.
SOON = "soon"
SOON_LABEL = _("Bientôt ouvert")


def shown_status(status, forms_published_at):
    """The status a badge shows: `SOON` for an accepting call with no published form yet."""
    if status in ACCEPTING and forms_published_at is None:
        return SOON
    return status


def instant(now=None):
    """`now` in UTC: adding 14 days to a Europe/Paris datetime would count wall-clock days, off
    by an hour across a clock change."""
    return (now or timezone.now()).astimezone(UTC)


# When a published call has each status, in precedence order (the first that holds wins): any
# of the comparisons (field, lookup, offset), read `field <lookup> now + offset`; none for the
# last. The single definition the annotation, the filters and `status_of` are built from.
STATUS_RULES = [
    (Status.ARCHIVED, [("archived_at", "lte", timedelta(0)), ("closes_at", "lt", -ARCHIVE_AFTER)]),
    (Status.CLOSED, [("closes_at", "lt", timedelta(0))]),
    (Status.UPCOMING, [("opens_at", "gt", timedelta(0))]),
    (Status.CLOSING_SOON, [("closes_at", "lte", CLOSING_SOON)]),
    (Status.OPEN, []),
]
# The dates a status is computed from (with the state): what `status_of` reads.
STATUS_FIELDS = ("state", "opens_at", "closes_at", "archived_at")
_COMPARE = {"lt": operator.lt, "lte": operator.le, "gt": operator.gt}


def status_conditions(now):
    """(status, condition) for a published call, in precedence order: the first that holds wins
    (see STATUS_RULES)."""
    now = instant(now)
    return [
        (
            status,
            reduce(
                operator.or_,
                (Q(**{f"{field}__{lookup}": now + offset}) for field, lookup, offset in rule),
                Q(),
            ),
        )
        for status, rule in STATUS_RULES
    ]


def status_of(values, now=None):
    """The status `CallQuerySet.with_status` computes in SQL, from a call's `STATUS_FIELDS`
    already read (a mapping): for rows read with `values()`. A missing date fails every
    comparison, as NULL does in SQL."""
    if values["state"] == Call.State.DRAFT:
        return Status.DRAFT
    now = instant(now)
    for status, rule in STATUS_RULES:
        if not rule or any(
            values[field] is not None and _COMPARE[lookup](values[field], now + offset)
            for field, lookup, offset in rule
        ):
            return status
    return Status.OPEN


def next_change(now=None):
    """The first instant at or after `now` at which something a call page or the finder shows
    may change with time alone (no write): a call opens, closes soon, closes, is archived, or one
    of its steps passes. What was shown at `now` stays right until then, inclusive; None when
    nothing is due. Follows `status_conditions`: a condition `x < now` turns at x (still false
    at x), one `x <= now` a microsecond before x. One query of six subqueries, each the first
    date past a bound in an index on that date (ADR 19); callers cache the answer."""
    now = instant(now)
    tick = timedelta(microseconds=1)

    def first(model, field, lookup, bound):
        dates = model.objects.filter(**{f"{field}__{lookup}": bound}).order_by(field)
        return dates.values(field)[:1].query.sql_with_params()

    subqueries = [
        first(CallStep, "deadline", "gte", now),
        first(Call, "closes_at", "gte", now),
        first(Call, "opens_at", "gt", now),
        first(Call, "archived_at", "gt", now),
        first(Call, "closes_at", "gt", now + CLOSING_SOON),
        first(Call, "closes_at", "gte", now - ARCHIVE_AFTER),
    ]
    # A SELECT of subqueries and no FROM: no table row is read beyond each index's first.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})" for sql, _params in subqueries),
            [param for _sql, params in subqueries for param in params],
        )
        row = cursor.fetchone()
    # The driver's values through the converters the ORM would apply (SQLite returns text).
    column = Call._meta.get_field("closes_at").cached_col
    converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    for converter in converters:
        row = [converter(value, column, connection) for value in row]
    step, closes, opens, archived, soon, archive = row
    candidates = [
        step,  # a step is ahead until its deadline, and the call open until the last one's
        closes,
        opens and opens - tick,
        archived and archived - tick,
        soon and soon - CLOSING_SOON - tick,
        archive and archive + ARCHIVE_AFTER,
    ]
    return min((c for c in candidates if c is not None), default=None)


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Call.State.PUBLISHED)

    def with_status(self, now=None):
        """Annotate `status` (a `Status` value) as of `now`."""
        whens = [When(state=Call.State.DRAFT, then=Value(Status.DRAFT))]
        whens += [When(cond, then=Value(status)) for status, cond in status_conditions(now)[:-1]]
        return self.annotate(
            status=Case(*whens, default=Value(Status.OPEN), output_field=models.CharField())
        )

    def in_status(self, *statuses, now=None):
        """Published calls whose status as of `now` is one of `statuses` (index-friendly).
        A status holds when its condition does and no earlier one does; when the wanted set
        ends the precedence list, that tail is simply "none of the earlier conditions"."""
        conditions = status_conditions(now)
        tail = len(conditions)
        while tail and conditions[tail - 1][0] in statuses:
            tail -= 1
        wanted, earlier = [], Q()
        for status, condition in conditions[:tail]:
            if status in statuses:
                wanted.append(condition & ~earlier)
            earlier |= condition
        if tail < len(conditions):
            wanted.append(~earlier)
        if not wanted:
            return self.none()
        return self.published().filter(reduce(operator.or_, wanted))

    def upcoming(self, now=None):
        return self.in_status(Status.UPCOMING, now=now)

    def open(self, now=None):
        """Accepting applications, closing soon included."""
        return self.in_status(*ACCEPTING, now=now)

    def closing_soon(self, now=None):
        return self.in_status(Status.CLOSING_SOON, now=now)

    def closed(self, now=None):
        return self.in_status(Status.CLOSED, now=now)

    def archived(self, now=None):
        return self.in_status(Status.ARCHIVED, now=now)

    def current(self, now=None):
        """What the finder shows by default: calls one can still apply to, now or soon — the
        same rows as in_status(UPCOMING, OPEN, CLOSING_SOON), written as two ranges an index
        can walk."""
        now = instant(now)
        # `closes_at >= now OR closes_at IS NULL` as one bound an index can start from (ADR 19).
        return self.published().filter(
            Q(deadline_order__gte=now),
            Q(archived_at__gt=now) | Q(archived_at__isnull=True),
        )

    def for_territory(self, territory, ancestor_ids=None, contains_others=True):
        """Calls whose perimeter contains `territory` (its EPCI, département, région, France)
        or lies inside it (a région also sees its départements' calls). One join, any depth.
        A caller that already read the territory's `ancestor_ids` (itself included) passes them
        instead of the first subquery, and whether it `contains_others`: if not, the second
        subquery would only find the territory itself."""
        links = TerritoryAncestor.objects
        if ancestor_ids is None:
            containing = Q(perimeter__in=links.filter(descendant=territory).values("ancestor"))
        else:
            containing = Q(perimeter_id__in=sorted(ancestor_ids))
            if not contains_others:
                return self.filter(containing)
        return self.filter(
            containing | Q(perimeter__in=links.filter(ancestor=territory).values("descendant"))
        )

    def refresh_deadlines(self):
        """Set `closes_at` to the latest step deadline, in one UPDATE (after bulk writes)."""
        latest = (
            CallStep.objects.filter(call=OuterRef("pk"))
            .values("call")
            .annotate(latest=Max("deadline"))
            .values("latest")
        )
        updated = self.update(closes_at=Subquery(latest))
        bump(GENERATION)  # A bulk write sends no signal.
        return updated

    def mark_forms_published(self, when):
        """Record that a form of these calls was published at `when` (the first time only), in
        one UPDATE; the readers' caches move with the calls generation."""
        updated = self.filter(forms_published_at__isnull=True).update(forms_published_at=when)
        if updated:
            bump(GENERATION)
        return updated

    def refresh_search_vectors(self):
        """Rebuild the PostgreSQL tsvector in one UPDATE; the fallback columns are filled on
        save. A no-op elsewhere."""
        if connection.vendor != "postgresql":
            return 0
        return self.update(
            search_vector=text.weighted_vector(
                ["title", "original_title"], ["summary"], SECTION_FIELDS
            )
        )


@field_checks
class Call(models.Model):
    class Kind(models.TextChoices):
        AMI = "ami", _("Appel à manifestation d'intérêt (AMI)")
        AAP = "aap", _("Appel à projets (AAP)")
        LABELLING = "labelling", _("Campagne de labellisation")
        SUPPORT_OFFER = "support_offer", _("Offre d'accompagnement")
        NATIONAL_SESSION = "national_session", _("Session nationale")

    class State(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    kind = models.CharField(_("type d'appel"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=250)
    original_title = models.CharField(_("nom initial"), max_length=300, blank=True)
    slug = models.SlugField(max_length=260, unique=True)
    summary = models.TextField(
        _("résumé"),
        max_length=800,
        blank=True,
        help_text=_("Deux ou trois phrases, sans mise en forme."),
    )
    presentation = models.TextField(_("présentation"), blank=True)
    ambitions = models.TextField(_("ambitions stratégiques"), blank=True)
    objectives = models.TextField(_("objectifs opérationnels"), blank=True)
    steering = models.TextField(_("pilotage"), blank=True)
    funding = models.TextField(_("financement"), blank=True)
    support = models.TextField(_("accompagnement"), blank=True)
    schedule = models.TextField(_("déroulement"), blank=True)
    duration = models.TextField(_("durée"), blank=True)
    deliverables = models.TextField(_("livrables"), blank=True)
    hooks = models.TextField(_("objets d'accroche"), blank=True)
    eligibility_text = models.TextField(_("critères d'éligibilité (texte)"), blank=True)
    application = models.TextField(_("candidature"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)

    perimeter = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("périmètre"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Le territoire couvert : France, région, département, EPCI ou commune."),
    )
    # opens_at and archived_at are indexed for `next_change` (the first date past now).
    opens_at = models.DateTimeField(
        _("ouverture des candidatures"), null=True, blank=True, db_index=True
    )
    closes_at = models.DateTimeField(
        _("date limite"), null=True, blank=True, editable=False, db_index=True
    )
    # closes_at, or NO_DEADLINE when there is none: computed and stored by the database.
    deadline_order = models.GeneratedField(
        expression=Coalesce("closes_at", Value(NO_DEADLINE, output_field=models.DateTimeField())),
        output_field=models.DateTimeField(),
        db_persist=True,
    )
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True, db_index=True)
    # When a form of the call was first published (kept by the applications app, which owns the
    # forms, through `CallQuerySet.mark_forms_published`): until then no one can apply online.
    forms_published_at = models.DateTimeField(
        _("formulaire publié le"), null=True, blank=True, editable=False
    )
    capacity = models.PositiveIntegerField(_("nombre de lauréats"), null=True, blank=True)
    capacity_note = models.CharField(
        _("précision sur le nombre de lauréats"), max_length=120, blank=True
    )

    # Structured eligibility (F-22); evaluated by calls.eligibility. Empty means "no rule".
    audience_kinds = models.JSONField(_("organisations visées"), default=list, blank=True)
    population_min = models.PositiveIntegerField(_("population minimale"), null=True, blank=True)
    population_max = models.PositiveIntegerField(_("population maximale"), null=True, blank=True)
    project_stages = models.JSONField(_("états d'avancement acceptés"), default=list, blank=True)
    requires_planning_competence = models.BooleanField(
        _("compétence urbanisme exigée"), default=False
    )
    eligible_themes = models.ManyToManyField(
        "projects.Theme",
        verbose_name=_("thématiques exigées"),
        blank=True,
        related_name="eligible_for_calls",
        help_text=_("Le projet doit porter sur au moins une d'entre elles."),
    )
    priority_themes = models.ManyToManyField(
        "projects.Theme",
        verbose_name=_("thématiques prioritaires"),
        through="CallPriorityTheme",
        blank=True,
        related_name="prioritised_by_calls",
    )

    state = models.CharField(
        _("publication"), max_length=12, choices=State.choices, default=State.DRAFT
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: services refuse a save made from a stale version.
    version = models.PositiveIntegerField(default=1)

    # Search index (derived, see calls.text): fallback columns and the PostgreSQL vector.
    search_title = models.TextField(editable=False, default="")
    search_summary = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        ordering = ["closes_at", "title"]
        # The finder walks (state, deadline_order) in order from now (ADR 19); the other dates
        # make the index covering for its count and its page of (pk, status).
        indexes = [
            models.Index(
                fields=["state", "deadline_order", "archived_at", "opens_at", "closes_at"],
                name="call_finder",
            ),
            # A territory search reads the calls of a few perimeters; the index tells which are
            # open (or published, with closed ones) without reading their rows (ADR 22).
            models.Index(
                fields=["perimeter", "state", "deadline_order", "archived_at"],
                name="call_perimeter_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(population_min__isnull=True)
                | Q(population_max__isnull=True)
                | Q(population_min__lte=models.F("population_max")),
                name="call_population_range",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_search_columns()
        super().save(*args, **kwargs)
        type(self).objects.filter(pk=self.pk).refresh_search_vectors()

    def get_absolute_url(self):
        return reverse("calls:detail", kwargs={"slug": self.slug})

    @property
    def shown_status(self):
        """The badge's status (`shown_status`); needs the `status` annotation (with_status)."""
        return shown_status(self.status, self.forms_published_at)

    def fill_search_columns(self):
        self.search_title = text.index_text(self.title, self.original_title)
        self.search_summary = text.index_text(self.summary)
        self.search_body = text.index_text(*(getattr(self, f) for f in SECTION_FIELDS))

    def sections(self):
        """[(title, markdown)] of the sections that have content, in display order."""
        return [(label, getattr(self, f)) for f, label in SECTIONS if getattr(self, f).strip()]

    def audience_labels(self):
        return [Organisation.Kind(kind).label for kind in self.audience_kinds]

    def stage_labels(self):
        return [Project.Stage(stage).label for stage in self.project_stages]

    def status_at(self, now=None):
        """The status of this instance; prefer the `with_status()` annotation in lists."""
        return Call.objects.filter(pk=self.pk).with_status(now).values_list("status", flat=True)[0]


@field_checks
class CallStep(models.Model):
    """A step with its deadline: intention note, full file, interview…"""

    class Kind(models.TextChoices):
        INTENTION = "intention", _("Note d'intention")
        APPLICATION = "application", _("Dossier de candidature")
        INTERVIEW = "interview", _("Audition, entretien")
        OTHER = "other", _("Autre étape")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("étape"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    deadline = models.DateTimeField(_("date limite"))
    description = models.CharField(_("précisions"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["deadline", "pk"]
        # The second serves `next_change`: the first deadline past now, over every call.
        indexes = [models.Index(fields=["call", "deadline"]), models.Index(fields=["deadline"])]

    def __str__(self):
        return self.label or self.get_kind_display()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        Call.objects.filter(pk=self.call_id).refresh_deadlines()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        Call.objects.filter(pk=self.call_id).refresh_deadlines()
        return result


@field_checks
class CallBenefit(models.Model):
    """What laureates get: support days, a grant, team funding, engineering."""

    class Kind(models.TextChoices):
        SUPPORT_DAYS = "support_days", _("Jours d'accompagnement")
        GRANT = "grant", _("Subvention")
        TEAM_FUNDING = "team_funding", _("Financement d'une équipe")
        ENGINEERING = "engineering", _("Ingénierie, appui technique")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("nature"), max_length=16, choices=Kind.choices)
    days = models.DecimalField(
        _("jours d'accompagnement"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    amount = models.DecimalField(
        _("montant (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rate = models.DecimalField(
        _("taux de prise en charge (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    period_months = models.PositiveSmallIntegerField(_("durée (mois)"), null=True, blank=True)
    engineering_kind = models.CharField(_("nature de l'ingénierie"), max_length=200, blank=True)
    description = models.CharField(_("précisions"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("avantage")
        verbose_name_plural = _("avantages")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | (Q(rate__gte=0) & Q(rate__lte=100)),
                name="call_benefit_rate_percent",
            )
        ]

    def __str__(self):
        return self.get_kind_display()


@field_checks
class CallPriorityTheme(models.Model):
    """A theme that earns a bonus in the ranking, without excluding the others."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="priority_links")
    theme = models.ForeignKey("projects.Theme", on_delete=models.CASCADE, related_name="+")
    bonus = models.PositiveSmallIntegerField(
        _("bonus (points)"), default=1, help_text=_("Ajouté à la note des projets concernés.")
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thématique prioritaire")
        verbose_name_plural = _("thématiques prioritaires")
        constraints = [
            models.UniqueConstraint(fields=["call", "theme"], name="call_priority_theme_unique")
        ]

    def __str__(self):
        return f"{self.theme} (+{self.bonus})"


@field_checks
class CallDocument(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(
        _("fichier"),
        upload_to=PrivateUploadTo("calls/documents"),
        blank=True,
        max_length=300,
        validators=[UploadValidator("call_document")],
    )
    url = models.URLField(_("lien"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="call_document_file_or_url"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def href(self):
        """A stored file goes through the view that checks the call is visible, never MEDIA_URL
        (the call is prefetched with its documents on the call page)."""
        if self.file:
            return reverse("calls:document", kwargs={"slug": self.call.slug, "pk": self.pk})
        return self.url


class SearchAlertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


@field_checks
class SearchAlert(models.Model):
    """A saved aid-finder search: a new matching call is e-mailed once the address confirmed."""

    email = models.EmailField(_("adresse électronique"))
    query = models.TextField(_("recherche"), help_text=_("Paramètres du moteur, normalisés."))
    label = models.CharField(_("description"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonnée le"), null=True, blank=True)

    objects = SearchAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="search_alert_unique")
        ]

    def __str__(self):
        return f"{self.email} — {self.label or self.query}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


@field_checks
class AlertDelivery(models.Model):
    """One row per (alert, call): the guarantee that an alert never mails the same call twice,
    however often the sending task runs."""

    alert = models.ForeignKey(SearchAlert, on_delete=models.CASCADE, related_name="deliveries")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="alert_deliveries")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi d'alerte")
        verbose_name_plural = _("envois d'alerte")
        constraints = [
            models.UniqueConstraint(fields=["alert", "call"], name="alert_delivery_unique")
        ]

    def __str__(self):
        return f"{self.alert_id} → {self.call_id}"
