"""Applications to calls, their forms, reviews and decisions (F-30 … F-34).

- A call step has versioned forms (`ApplicationForm` → `FormSection` → `FormField`): editing a
  published form makes a new version, and an application's answers keep the version they began.
- An `Application` moves through the transition table of `workflow.py`; `version` increases at
  every transition so that a stale action is refused rather than applied twice.
- Scores are denormalised on the application (`review_score`, `bonus`, `score`, `score_spread`),
  refreshed by `scoring.refresh` when a review is submitted, so ranking 50,000 applications is an
  ORDER BY on indexed columns.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoquartier.calls.models import Call
from ecoquartier.core.constraints import field_checks
from ecoquartier.core.files import PrivateUploadTo
from ecoquartier.core.jobs import BackgroundJob
from ecoquartier.core.uploads import UploadValidator

# --- Forms (F-30) -----------------------------------------------------------------------------


@field_checks
class ApplicationForm(models.Model):
    """One version of the form of a call step. Published versions are never edited."""

    step = models.ForeignKey(
        "calls.CallStep", verbose_name=_("étape"), on_delete=models.CASCADE, related_name="forms"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("titre"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("formulaire de candidature")
        verbose_name_plural = _("formulaires de candidature")
        ordering = ["step", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["step", "version"], name="application_form_version")
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.published_at is not None:
            # The call no longer shows "bientôt ouvert" (calls.models.shown_status).
            Call.objects.filter(steps=self.step_id).mark_forms_published(self.published_at)

    @property
    def is_published(self):
        return self.published_at is not None

    def ordered_fields(self):
        """Fields in display order; uses the prefetch `sections__fields` when present."""
        return [f for s in self.sections.all() for f in s.fields.all()]


@field_checks
class FormSection(models.Model):
    form = models.ForeignKey(ApplicationForm, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("titre de la section"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


@field_checks
class FormField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")
        INTEGER = "integer", _("Nombre entier")
        DECIMAL = "decimal", _("Nombre décimal")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiple")
        YES_NO = "yes_no", _("Oui / non")
        TERRITORY = "territory", _("Territoire")
        FILE = "file", _("Fichier")
        PROJECT = "project", _("Projet du candidat")

    class Operator(models.TextChoices):
        EQUALS = "equals", _("est égal à")
        INCLUDES = "includes", _("contient")
        GREATER = "greater", _("est supérieur à")

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="fields")
    # Stable across versions: answers and exports are keyed by it.
    key = models.SlugField(_("identifiant"), max_length=60)
    label = models.CharField(_("libellé"), max_length=300)
    kind = models.CharField(_("type de champ"), max_length=12, choices=Kind.choices)
    required = models.BooleanField(_("obligatoire"), default=False)
    help_text = models.CharField(_("aide"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    max_length = models.PositiveIntegerField(
        _("nombre de caractères maximal"), null=True, blank=True
    )
    choices = models.JSONField(_("choix proposés"), default=list, blank=True)
    allowed_extensions = models.CharField(
        _("extensions acceptées"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple : pdf, docx"),
    )
    max_size_mb = models.PositiveSmallIntegerField(_("taille maximale (Mo)"), null=True, blank=True)
    condition_key = models.SlugField(
        _("afficher si le champ"),
        max_length=60,
        blank=True,
        help_text=_("Identifiant d'un champ précédent."),
    )
    condition_operator = models.CharField(
        _("condition"), max_length=10, choices=Operator.choices, blank=True
    )
    condition_value = models.CharField(_("valeur"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("champ")
        verbose_name_plural = _("champs")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    @property
    def has_condition(self):
        return bool(self.condition_key and self.condition_operator)

    def extension_list(self):
        return [
            e.strip().lower().lstrip(".") for e in self.allowed_extensions.split(",") if e.strip()
        ]


# --- Applications (F-31) ----------------------------------------------------------------------


class State(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposée")
    COMPLETION_REQUESTED = "completion_requested", _("Compléments demandés")
    UNDER_REVIEW = "under_review", _("En instruction")
    SELECTED = "selected", _("Retenue")
    WAITING_LIST = "waiting_list", _("Liste d'attente")
    NOT_SELECTED = "not_selected", _("Non retenue")
    WITHDRAWN = "withdrawn", _("Retirée")
    DISMISSED = "dismissed", _("Classée sans suite (inéligible)")


DECIDED_STATES = (State.SELECTED, State.WAITING_LIST, State.NOT_SELECTED)
CLOSED_STATES = (*DECIDED_STATES, State.WITHDRAWN, State.DISMISSED)
STATE_LABELS = dict(State.choices)
INSTRUCTED_STATES = tuple(s for s in State.values if s not in (State.DRAFT, State.WITHDRAWN))
BADGES = {
    State.SELECTED: "fr-badge--success",
    State.NOT_SELECTED: "fr-badge--error",
    State.DISMISSED: "fr-badge--error",
    State.COMPLETION_REQUESTED: "fr-badge--warning",
    State.DRAFT: "",
    State.WITHDRAWN: "",
}


class ApplicationQuerySet(models.QuerySet):
    def for_call(self, call):
        return self.filter(call=call)

    def submitted(self):
        """Everything instructors work on: past the draft, not withdrawn (an IN list, so that
        the (call, state) index answers it)."""
        return self.filter(state__in=INSTRUCTED_STATES)

    def ranked(self):
        """Scored applications, best first; the (call, -score, id) index serves the order."""
        return self.filter(score__isnull=False).order_by("-score", "pk")

    def for_lists(self, *related):
        """What list pages show, without the heavy columns."""
        return self.select_related("organisation", "territory", *related).defer(
            "eligibility", "motivation", "interview_note"
        )

    def filtered(self, *, state="", territory=None, eligible=""):
        queryset = self
        if state:
            queryset = queryset.filter(state=state)
        if territory is not None:
            queryset = queryset.filter(territory__ancestor_links__ancestor=territory)
        if eligible in ("yes", "no"):
            queryset = queryset.filter(eligible=eligible == "yes")
        elif eligible == "unknown":
            queryset = queryset.filter(eligible__isnull=True)
        return queryset


@field_checks
class Application(models.Model):
    call = models.ForeignKey(
        "calls.Call", verbose_name=_("appel"), on_delete=models.PROTECT, related_name="applications"
    )
    step = models.ForeignKey(
        "calls.CallStep",
        verbose_name=_("étape en cours"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation candidate"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    # The applicant's territory, copied so that dashboards filter by territory with one join.
    territory = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("intitulé de la candidature"), max_length=250)
    state = models.CharField(_("état"), max_length=24, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)

    # Eligibility as judged at the last submission, with its reasons (calls.eligibility).
    eligible = models.BooleanField(_("éligible"), null=True, blank=True)
    eligibility = models.JSONField(_("éligibilité"), default=list, blank=True)

    interview_at = models.DateTimeField(_("entretien le"), null=True, blank=True)
    interview_note = models.CharField(_("précisions sur l'entretien"), max_length=300, blank=True)

    review_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    bonus = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(_("note"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_spread = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    review_count = models.PositiveSmallIntegerField(default=0)

    motivation = models.TextField(_("motivation de la décision"), blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Counts by state and eligibility read the index alone. Without the score, its 27
            # distinct keys let PostgreSQL deduplicate it to a tenth of the size: a count over
            # 50,000 files reads 46 pages instead of 404. (Unscored files: the ranking index.)
            models.Index(fields=["call", "state", "eligible"], name="application_states"),
            # Ranking and dashboard orders; `state` last so that filters skip rows in the index.
            models.Index(fields=["call", "-score", "id", "state"], name="application_ranking"),
            models.Index(
                fields=["call", "-submitted_at", "-id", "state"], name="application_dashboard"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("applications:detail", kwargs={"pk": self.pk})

    @property
    def is_decided(self):
        return self.state in DECIDED_STATES

    @property
    def reference(self):
        """The number applicants quote: on the acknowledgement of receipt and the letters."""
        return f"EQ-{self.call_id}-{self.pk:06d}"

    @property
    def state_label(self):
        """`get_state_display()` without rebuilding the choices dict on every call (lists)."""
        return STATE_LABELS[self.state]

    @property
    def badge_class(self):
        return BADGES.get(self.state, "fr-badge--info")


@field_checks
class ApplicationCount(models.Model):
    """How many applications of a call are in each case (state, eligibility, scored or not):
    what the dashboard's counts by state and the ranking's totals read, a few rows per call
    whatever its number of applications. Written only by database triggers on the applications
    table (migration 0010 and `counts.py`), in the same transaction as every insert, update
    and delete, bulk or not: never by Python code (ADR 19)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=24, choices=State.choices)
    # `eligible` as a key a unique constraint can hold: 1 eligible, 0 not, 2 unknown (NULL).
    eligible = models.PositiveSmallIntegerField(validators=[MaxValueValidator(2)])
    scored = models.BooleanField()
    total = models.IntegerField(default=0, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("décompte de candidatures")
        verbose_name_plural = _("décomptes de candidatures")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "state", "eligible", "scored"], name="application_count_key"
            )
        ]

    def __str__(self):
        return f"{self.call_id} {self.state} {self.eligible} {self.scored}: {self.total}"


@field_checks
class Answers(models.Model):
    """The answers of one application to one step's form version, as {field key: value}."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    step = models.ForeignKey("calls.CallStep", on_delete=models.PROTECT, related_name="+")
    form = models.ForeignKey(ApplicationForm, on_delete=models.PROTECT, related_name="answers")
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("réponses")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(fields=["application", "step"], name="answers_one_per_step")
        ]

    def __str__(self):
        return f"{self.application} — {self.step}"


# Also imported by migration 0001.
answer_file_path = PrivateUploadTo("applications/answers")


@field_checks
class AnswerFile(models.Model):
    answers = models.ForeignKey(Answers, on_delete=models.CASCADE, related_name="files")
    key = models.SlugField(max_length=60)
    file = models.FileField(
        upload_to=answer_file_path, max_length=300, validators=[UploadValidator("answer")]
    )
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answers", "key"], name="answer_file_one_per_field")
        ]

    def __str__(self):
        return self.name


@field_checks
class CoApplicant(models.Model):
    """An organisation invited to share the file (e.g. the DDT with a commune)."""

    class Role(models.TextChoices):
        EDIT = "edit", _("Modification")
        READ = "read", _("Lecture")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="co_applicants"
    )
    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("droits"), max_length=8, choices=Role.choices, default=Role.EDIT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="co_applications",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("co-candidat")
        verbose_name_plural = _("co-candidats")
        constraints = [
            models.UniqueConstraint(fields=["application", "email"], name="co_applicant_unique")
        ]

    def __str__(self):
        return str(self.organisation or self.email)


# Also imported by migration 0001.
message_file_path = PrivateUploadTo("applications/messages")


@field_checks
class Message(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    body = models.TextField(_("message"))
    attachment = models.FileField(
        _("pièce jointe (optionnel)"),
        upload_to=message_file_path,
        blank=True,
        max_length=300,
        validators=[UploadValidator("message")],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def attachment_name(self):
        return self.attachment.name.rsplit("/", 1)[-1]


# --- Review (F-32) ----------------------------------------------------------------------------


# A grid's weights are small ratios (1 to 3 in the default grid); a smallint holds far more.
MAX_WEIGHT = 100


@field_checks
class Criterion(models.Model):
    """One line of a call's evaluation grid, scored 0–5."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(_("critère"), max_length=200)
    description = models.CharField(_("précisions"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("pondération"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT)],
    )
    # Six descriptors: what 0, 1, … 5 mean for this criterion.
    descriptors = models.JSONField(_("échelle"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=MAX_WEIGHT), name="criterion_weight"
            )
        ]

    def __str__(self):
        return self.label


@field_checks
class Review(models.Model):
    class Conflict(models.TextChoices):
        UNDECLARED = "", _("Non déclaré")
        NONE = "none", _("Aucun conflit d'intérêts")
        DECLARED = "declared", _("Conflit d'intérêts déclaré")

    class Recommendation(models.TextChoices):
        YES = "yes", _("Favorable")
        MAYBE = "maybe", _("Réservé")
        NO = "no", _("Défavorable")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    conflict = models.CharField(
        _("conflit d'intérêts"), max_length=10, choices=Conflict.choices, blank=True
    )
    conflict_note = models.CharField(_("nature du conflit"), max_length=300, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    recommendation = models.CharField(
        _("avis"), max_length=6, choices=Recommendation.choices, blank=True
    )
    total = models.DecimalField(_("note sur 20"), max_digits=5, decimal_places=2, null=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_unique")
        ]
        indexes = [models.Index(fields=["application", "submitted_at"])]

    def __str__(self):
        return f"{self.reviewer} → {self.application}"

    def get_absolute_url(self):
        return reverse("applications:review", kwargs={"pk": self.pk})

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def has_conflict(self):
        return self.conflict == self.Conflict.DECLARED


@field_checks
class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=5), name="score_zero_to_five"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


# --- Exports (F-34) ---------------------------------------------------------------------------


# Also imported by migration 0001.
export_path = PrivateUploadTo("applications/exports")


@field_checks
class Export(BackgroundJob):
    TASK = "ecoquartier.applications.tasks.build_export"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Content(models.TextChoices):
        APPLICATIONS = "applications", _("Candidatures et réponses")
        REVIEWS = "reviews", _("Évaluations")

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content = models.CharField(max_length=16, choices=Content.choices)
    format = models.CharField(max_length=4, choices=Format.choices)
    filters = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(
        upload_to=export_path, blank=True, max_length=300, validators=[UploadValidator("export")]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.get_content_display()} ({self.get_format_display()})"


# --- Deadline reminders (issue 11) ---------------------------------------------------------------


@field_checks
class DeadlineReminder(models.Model):
    """A reminder sent to an application's applicants before its step's deadline: one row per
    (application, step, reminder), so no reminder is ever sent twice."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey("calls.CallStep", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rappel d’échéance")
        verbose_name_plural = _("rappels d’échéance")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step", "days_before"], name="deadline_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.application_id} J-{self.days_before}"


# --- Opinions and private annotations (issue 13) -------------------------------------------------


class OpinionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(answered_at__isnull=True)

    def counts(self, application_ids):
        """{application id: (answered, asked)} in one query."""
        rows = (
            self.filter(application_id__in=application_ids)
            .order_by()
            .values("application_id")
            .annotate(asked=models.Count("pk"), answered=models.Count("answered_at"))
        )
        return {row["application_id"]: (row["answered"], row["asked"]) for row in rows}


@field_checks
class Opinion(models.Model):
    """An instructor's question to someone (a State referent, an expert, any user or an outside
    expert invited by e-mail) about an application, and their answer. `expert` is empty until
    an outside expert follows the e-mailed link with the account of `email`."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="opinions")
    question = models.TextField(_("question posée"), max_length=4000)
    email = models.EmailField(_("adresse électronique de l'expert"))
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opinions",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("avis"), max_length=20000, blank=True)
    answered_at = models.DateTimeField(_("donné le"), null=True, blank=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "email"],
                condition=Q(answered_at__isnull=True),
                name="opinion_one_pending_per_address",
            )
        ]
        indexes = [
            models.Index(fields=["expert", "answered_at"], name="opinion_inbox"),
            models.Index(fields=["application", "answered_at"], name="opinion_counts"),
        ]

    def __str__(self):
        return f"{self.email} → {self.application_id}"

    @property
    def is_answered(self):
        return self.answered_at is not None


# Also imported by the migration.
opinion_file_path = PrivateUploadTo("applications/opinions")


@field_checks
class OpinionFile(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        upload_to=opinion_file_path, max_length=300, validators=[UploadValidator("message")]
    )
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce d'un avis")
        verbose_name_plural = _("pièces des avis")
        ordering = ["pk"]

    def __str__(self):
        return self.name


@field_checks
class UsualExpert(models.Model):
    """Someone a programme's instructors often ask for an opinion, picked from a list."""

    programme = models.ForeignKey(
        "calls.Programme", on_delete=models.CASCADE, related_name="usual_experts"
    )
    email = models.EmailField(_("adresse électronique"))
    label = models.CharField(
        _("qualité"), max_length=200, blank=True, help_text=_("Par exemple : Cerema, mobilités.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expert habituel")
        verbose_name_plural = _("experts habituels")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "email"], name="usual_expert_unique")
        ]

    def __str__(self):
        return f"{self.email} ({self.label})" if self.label else self.email


@field_checks
class Annotation(models.Model):
    """A private note on an application: only its instructors read it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="annotations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    body = models.TextField(_("annotation privée"), max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annotation privée")
        verbose_name_plural = _("annotations privées")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} — {self.created_at:%Y-%m-%d %H:%M}"


# --- Decision letters (issue 13) -----------------------------------------------------------------

letter_file_path = PrivateUploadTo("applications/letters")


@field_checks
class DecisionLetter(models.Model):
    """The letter notifying one decision: prepared (signatory, next steps) and previewed by the
    jury, then signed and sent — only then do the applicants receive it. The PDF sent is kept
    as sent. A later decision (waiting list, then selected) has its own letter."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    decision = models.CharField(_("décision"), max_length=24, choices=State.choices)
    signatory_name = models.CharField(_("nom du signataire"), max_length=150)
    signatory_role = models.CharField(_("qualité du signataire"), max_length=200)
    next_steps = models.TextField(_("suites à donner"), blank=True)
    version = models.PositiveIntegerField(default=1)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    prepared_at = models.DateTimeField(auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    file = models.FileField(upload_to=letter_file_path, max_length=300, blank=True)

    class Meta:
        verbose_name = _("courrier de décision")
        verbose_name_plural = _("courriers de décision")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "decision"], name="decision_letter_one_per_decision"
            )
        ]

    def __str__(self):
        return f"{self.application} — {self.get_decision_display()}"

    @property
    def is_sent(self):
        return self.sent_at is not None
