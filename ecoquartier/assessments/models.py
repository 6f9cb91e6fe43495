"""Assessments of a project against one référentiel version (F-11).

An Assessment owns one Answer per commitment of its version, created up front so every page reads
a fixed number of rows; an Answer is "answered" once it has a level. Gaps (with their proposals)
and evidence files hang off answers. State changes go through services.py and workflow.py.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ecoquartier.assessments.text import render_markdown
from ecoquartier.core.constraints import field_checks
from ecoquartier.core.files import PrivateUploadTo
from ecoquartier.core.jobs import BackgroundJob
from ecoquartier.core.uploads import UploadValidator

NARRATIVE_MAX_LENGTH = 5000
SYNTHESIS_MAX_LENGTH = 5000


class Level(models.IntegerChoices):
    NOT_ADDRESSED = 0, _("Non traité")
    INSUFFICIENT = 1, _("Insuffisant")
    IN_PROGRESS = 2, _("En cours")
    SATISFACTORY = 3, _("Satisfaisant")
    EXEMPLARY = 4, _("Exemplaire")


MAX_LEVEL = max(Level.values)


class AssessmentQuerySet(models.QuerySet):
    def with_completion(self):
        """Annotate `answered_count` and `commitment_count` in the same query."""
        return self.annotate(
            answered_count=Count("answers", filter=Q(answers__level__isnull=False)),
            commitment_count=Count("answers"),
        )

    def for_project(self, project):
        return self.filter(project=project)


@field_checks
class Assessment(models.Model):
    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self", _("Auto-évaluation")
        MOCK_EXPERTISE = "mock", _("Expertise à blanc")
        LABEL_EXPERTISE = "label", _("Expertise label")
        USE_PHASE = "use_phase", _("Évaluation en phase d'usage")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumise")
        VALIDATED = "validated", _("Validée")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projet"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    version = models.ForeignKey(
        "referentiel.ReferentielVersion",
        verbose_name=_("version du référentiel"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    kind = models.CharField(_("type d'évaluation"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    assessed_on = models.DateField(_("date de l'évaluation"))
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    lead_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert référent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_assessments",
        # Self-assessments have none: a partial index (Meta) keeps the planner's estimates
        # right when most rows are empty (SQLite scanned every assessment otherwise).
        db_index=False,
    )
    co_experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-experts"),
        blank=True,
        related_name="co_assessments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["-assessed_on", "-pk"]
        indexes = [
            models.Index(fields=["project", "assessed_on"]),
            models.Index(
                fields=["lead_expert"],
                condition=models.Q(lead_expert__isnull=False),
                name="assessment_lead_expert",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} — {self.project}"

    def get_absolute_url(self):
        return reverse("assessments:detail", kwargs={"pk": self.pk})

    @property
    def is_expertise(self):
        return self.kind != self.Kind.SELF_ASSESSMENT

    def completion(self):
        """Percentage of commitments with a level; uses the annotation when present."""
        answered = getattr(self, "answered_count", None)
        total = getattr(self, "commitment_count", None)
        if answered is None or total is None:
            total = self.answers.count()
            answered = self.answers.filter(level__isnull=False).count()
        return round(100 * answered / total) if total else 0


@field_checks
class Answer(models.Model):
    """The assessment of one commitment. `revision` makes concurrent edits detectable."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    commitment = models.ForeignKey(
        "referentiel.Commitment",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    level = models.PositiveSmallIntegerField(
        _("niveau de maturité"),
        choices=Level.choices,
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_LEVEL)],
    )
    narrative = models.TextField(_("analyse"), blank=True, max_length=NARRATIVE_MAX_LENGTH)
    # Rendered once when saved: pages and the PDF read narratives far more often than they change.
    narrative_html = models.TextField(blank=True, editable=False)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["commitment__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "commitment"], name="answer_one_per_commitment"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | (Q(level__gte=0) & Q(level__lte=MAX_LEVEL)),
                name="answer_level_range",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} — {self.commitment}"

    def save(self, *args, **kwargs):
        self.narrative_html = render_markdown(self.narrative)
        super().save(*args, **kwargs)

    @property
    def is_answered(self):
        return self.level is not None

    @property
    def level_label(self):
        """The level's name ("Satisfaisant"), "" if not answered. get_level_display() would
        translate every level's name to look one up: twenty answers make a hundred lookups."""
        return Level(self.level).label if self.level is not None else ""

    @property
    def narrative_rendered(self):
        """Safe HTML; rendered now if a bulk write skipped save()."""
        if self.narrative and not self.narrative_html:
            return render_markdown(self.narrative)
        return mark_safe(self.narrative_html)  # noqa: S308 - sanitised by render_markdown


@field_checks
class DimensionSynthesis(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="syntheses")
    dimension = models.ForeignKey(
        "referentiel.Dimension", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("synthèse"), blank=True, max_length=SYNTHESIS_MAX_LENGTH)
    text_html = models.TextField(blank=True, editable=False)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synthèse par dimension")
        verbose_name_plural = _("synthèses par dimension")
        ordering = ["dimension__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="synthesis_one_per_dimension"
            )
        ]

    def __str__(self):
        return f"{self.assessment} — {self.dimension}"

    def save(self, *args, **kwargs):
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)

    @property
    def text_rendered(self):
        if self.text and not self.text_html:
            return render_markdown(self.text)
        return mark_safe(self.text_html)  # noqa: S308 - sanitised by render_markdown


# Also imported by migration 0001.
evidence_path = PrivateUploadTo("assessments/evidence")


@field_checks
class Evidence(models.Model):
    """A supporting document. Served only through a permission-checked view, never from MEDIA."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("intitulé"), max_length=200)
    file = models.FileField(
        _("fichier"),
        upload_to=evidence_path,
        max_length=300,
        validators=[UploadValidator("evidence")],
    )
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""


class GapQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Gap.Status.OPEN)

    def of_project(self, project):
        return self.filter(answer__assessment__project=project)

    def in_list_order(self):
        """By commitment, then priority and due date."""
        return self.order_by("answer__commitment__number", "priority_rank", "due_date", "pk")

    def for_list(self):
        """With what a gap table shows: its commitment and its assessment."""
        return self.select_related("answer__commitment", "answer__assessment").in_list_order()


@field_checks
class Gap(models.Model):
    """A gap (*écart*) found against one commitment, with the proposal to close it."""

    class Priority(models.TextChoices):
        HIGH = "high", _("Haute")
        MEDIUM = "medium", _("Moyenne")
        LOW = "low", _("Basse")

    class Status(models.TextChoices):
        OPEN = "open", _("Ouvert")
        CLOSED = "closed", _("Levé")

    PRIORITY_RANK = {Priority.HIGH: 1, Priority.MEDIUM: 2, Priority.LOW: 3}

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="gaps")
    description = models.TextField(_("écart constaté"), max_length=2000)
    proposal = models.TextField(_("proposition pour le lever"), max_length=2000)
    priority = models.CharField(
        _("priorité"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    # Kept in step with `priority` on save so lists sort high → low in SQL.
    priority_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    owner = models.CharField(
        _("responsable"),
        max_length=200,
        blank=True,
        help_text=_("Service, organisation ou personne chargée de la proposition."),
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("levé le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GapQuerySet.as_manager()

    class Meta:
        verbose_name = _("écart")
        verbose_name_plural = _("écarts")
        ordering = ["priority_rank", "pk"]
        indexes = [models.Index(fields=["status", "priority_rank"])]

    def __str__(self):
        return self.description[:80]

    def save(self, *args, **kwargs):
        self.priority_rank = self.PRIORITY_RANK[self.priority]
        super().save(*args, **kwargs)


# Also imported by migration 0001.
report_path = PrivateUploadTo("assessments/reports")


@field_checks
class Report(BackgroundJob):
    """A PDF report built by a background task; the page polls `progress` until it is ready."""

    TASK = "ecoquartier.assessments.tasks.build_report"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reports")
    file = models.FileField(
        upload_to=report_path, blank=True, max_length=300, validators=[UploadValidator("report")]
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("rapport PDF")
        verbose_name_plural = _("rapports PDF")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.assessment} — {self.requested_at:%Y-%m-%d %H:%M}"

    # A worker normally picks a report up within seconds; past this, say so rather than spin.
    WAITING_TOO_LONG = datetime.timedelta(minutes=1)

    @property
    def is_stalled(self):
        """Still waiting for a worker to pick it up, long after it was asked for."""
        return (
            self.status == self.Status.PENDING
            and timezone.now() - self.requested_at > self.WAITING_TOO_LONG
        )
