"""The label ÉcoQuartier (F-40 … F-43).

- `LabelScheme` → `LabelStage`: the paths of the label as rows (data/labels/schemes.yaml), with
  the rules of each stage; `LabelStage.maps_to` says which stage of the newer scheme an old one
  counts as, so a history written under the 2016 scheme keeps its meaning under the 2023 one.
- `LabelStep`: the label history of a project, one row per stage reached; `ProjectLabel` is its
  current standing, denormalised so that key figures are a few GROUP BY queries.
- `Charter`: the authority's signature, acknowledged by the State, enters the first stage.
- A `Campaign` is a call of kind labelling campaign; a `LabelFile` wraps the application made to it
  (applications app), its two experts and its label expertise (an assessment); commissions
  (`CommissionSession`) record a `Deliberation` per file.
- `UsePhaseReminder` (one per project) and `UsePhaseEvaluation` (F-43).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks
from ecoquartier.core.files import PrivateUploadTo
from ecoquartier.core.uploads import UploadValidator


class LabelSchemeQuerySet(models.QuerySet):
    def current(self, on=None):
        """The scheme in force on `on` (today by default): the latest already applicable."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(applies_from__lte=on).order_by("-applies_from").first()


@field_checks
class LabelScheme(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    applies_from = models.DateField(_("en vigueur à partir du"))

    objects = LabelSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("parcours du label")
        verbose_name_plural = _("parcours du label")
        ordering = ["applies_from"]

    def __str__(self):
        return self.name

    def first_stage(self):
        return self.stages.filter(entry=LabelStage.Entry.CHARTER).order_by("position").first()


@field_checks
class LabelStage(models.Model):
    class Entry(models.TextChoices):
        CHARTER = "charter", _("Signature de la charte")
        COMMISSION = "commission", _("Commission nationale")

    scheme = models.ForeignKey(LabelScheme, on_delete=models.CASCADE, related_name="stages")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("nom"), max_length=150)
    short_name = models.CharField(_("nom court"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    entry = models.CharField(_("obtention"), max_length=12, choices=Entry.choices)
    requires_charter = models.BooleanField(_("charte signée exigée"), default=True)
    requires_previous = models.BooleanField(_("étape précédente exigée"), default=False)
    min_years_after_delivery = models.PositiveSmallIntegerField(
        _("années minimales après la livraison"), null=True, blank=True
    )
    marks_delivery = models.BooleanField(_("date la livraison"), default=False)
    requires_use_phase = models.BooleanField(_("évaluation en phase d'usage exigée"), default=False)
    requires_indicators = models.BooleanField(_("indicateurs exigés"), default=False)
    maps_to = models.ForeignKey(
        "self",
        verbose_name=_("équivalent dans le parcours suivant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mapped_from",
    )

    class Meta:
        verbose_name = _("étape du label")
        verbose_name_plural = _("étapes du label")
        ordering = ["scheme__applies_from", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="label_stage_unique_code")
        ]

    def __str__(self):
        return self.name

    @property
    def by_commission(self):
        return self.entry == self.Entry.COMMISSION


@field_checks
class Charter(models.Model):
    """The ÉcoQuartier charter signed by the holder authority for a project (F-41)."""

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("projet"), on_delete=models.CASCADE,
        related_name="label_charter",
    )  # fmt: skip
    scheme = models.ForeignKey(LabelScheme, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("collectivité signataire"),
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    text_version = models.CharField(_("version du texte de la charte"), max_length=40)
    signatory_name = models.CharField(_("nom du signataire"), max_length=150)
    signatory_office = models.CharField(_("qualité du signataire"), max_length=150)
    deliberation_date = models.DateField(_("date de la délibération du conseil"))
    document = models.FileField(
        _("charte signée ou délibération"),
        upload_to=PrivateUploadTo("labels/charters"),
        max_length=300,
        validators=[UploadValidator("charter")],
    )
    document_name = models.CharField(max_length=255)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signée le"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    acknowledged_at = models.DateTimeField(_("prise en compte le"), null=True, blank=True)
    # The project's région, copied so that dashboards count charters per région in one query.
    region = models.ForeignKey(
        "territories.Territory", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("charte ÉcoQuartier")
        verbose_name_plural = _("chartes ÉcoQuartier")
        ordering = ["-signed_at"]

    def __str__(self):
        return _("Charte ÉcoQuartier — %(project)s") % {"project": self.project}

    def get_absolute_url(self):
        return reverse("labels:charter", kwargs={"pk": self.pk})

    @property
    def is_acknowledged(self):
        return self.acknowledged_at is not None


@field_checks
class LabelStep(models.Model):
    """One stage reached by a project: its label history (F-40). Never edited once written."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="label_steps"
    )
    stage = models.ForeignKey(
        LabelStage, verbose_name=_("étape"), on_delete=models.PROTECT, related_name="steps"
    )
    decided_on = models.DateField(_("date de la décision"))
    year = models.PositiveSmallIntegerField(_("année"))
    deciding_body = models.CharField(_("instance de décision"), max_length=200)
    decision_reference = models.CharField(_("référence de la décision"), max_length=100)
    charter = models.ForeignKey(
        Charter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.ForeignKey(
        "LabelFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étape de labellisation")
        verbose_name_plural = _("historique du label")
        ordering = ["decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="label_step_once_per_stage")
        ]

    def __str__(self):
        return f"{self.stage} ({self.year})"

    def certificate_url(self):
        return reverse("labels:certificate", kwargs={"pk": self.pk})


@field_checks
class ProjectLabel(models.Model):
    """A project's current standing in the label, kept by the services with the history."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="label"
    )
    stage = models.ForeignKey(LabelStage, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("année"))
    region = models.ForeignKey(
        "territories.Territory", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivered_on = models.DateField(_("livré (label) le"), null=True, blank=True)

    class Meta:
        verbose_name = _("situation au regard du label")
        verbose_name_plural = _("situations au regard du label")
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["region"])]

    def __str__(self):
        return f"{self.project_id}: {self.stage} ({self.year})"


# --- Campaigns and files (F-42) -----------------------------------------------------------------


@field_checks
class Campaign(models.Model):
    """An annual labelling campaign: a call of kind "labelling" and its calendar (call steps)."""

    call = models.OneToOneField(
        "calls.Call", on_delete=models.CASCADE, related_name="label_campaign"
    )
    scheme = models.ForeignKey(LabelScheme, on_delete=models.PROTECT, related_name="campaigns")
    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    file_step = models.ForeignKey(
        "calls.CallStep", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("dépôt des dossiers"),
    )  # fmt: skip
    expertise_step = models.ForeignKey(
        "calls.CallStep", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("fin de la période d'expertise"),
    )  # fmt: skip
    # The stages one may apply for in this campaign (all the scheme's commission stages when
    # none is chosen: campaigns opened before the choice existed).
    stages = models.ManyToManyField(
        LabelStage, verbose_name=_("étapes ouvertes"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("campagne de labellisation")
        verbose_name_plural = _("campagnes de labellisation")
        ordering = ["-year"]

    def __str__(self):
        return self.call.title

    def get_absolute_url(self):
        return reverse("labels:campaign", kwargs={"pk": self.pk})

    def open_stages(self):
        """The stages one may apply for in this campaign, in the scheme's order."""
        chosen = self.stages.all()
        if chosen.exists():
            return chosen.order_by("position")
        return self.scheme.stages.filter(entry=LabelStage.Entry.COMMISSION).order_by("position")


class FileState(models.TextChoices):
    SUBMITTED = "submitted", _("Dossier déposé")
    IN_EXPERTISE = "in_expertise", _("En expertise")
    EXPERTISE_DONE = "expertise_done", _("Expertise rendue")
    PROPOSED = "proposed", _("Proposé par la commission locale")
    ADJOURNED = "adjourned", _("Ajourné, avec accompagnement")
    NOT_PROPOSED = "not_proposed", _("Non proposé")
    AWARDED = "awarded", _("Label attribué")
    NOT_AWARDED = "not_awarded", _("Label non attribué")


AWAITING_EXPERTISE = (FileState.SUBMITTED, FileState.IN_EXPERTISE)


class LabelFileQuerySet(models.QuerySet):
    def late_on_expertise(self, now=None):
        """Files whose expertise is not in although the campaign's expertise period is over."""
        from django.utils import timezone

        return self.filter(
            state__in=AWAITING_EXPERTISE,
            campaign__expertise_step__deadline__lt=now or timezone.now(),
        )


@field_checks
class LabelFile(models.Model):
    """A label application: the application to the campaign's call, plus what the label adds."""

    class Verdict(models.TextChoices):
        FAVOURABLE = "favourable", _("Favorable")
        RESERVED = "reserved", _("Favorable avec réserves")
        UNFAVOURABLE = "unfavourable", _("Défavorable")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="files")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="label_file"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="label_files"
    )
    target_stage = models.ForeignKey(
        LabelStage, verbose_name=_("étape visée"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "territories.Territory", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("état"), max_length=16, choices=FileState.choices, default=FileState.SUBMITTED
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert coordinateur"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip
    second_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("second expert"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip
    expertise = models.OneToOneField(
        "assessments.Assessment", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="label_file",
    )  # fmt: skip
    visit_on = models.DateField(_("date de la visite de site"), null=True, blank=True)
    opinion_verdict = models.CharField(
        _("avis des experts"), max_length=14, choices=Verdict.choices, blank=True
    )
    opinion = models.TextField(_("avis motivé des experts"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LabelFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier de labellisation")
        verbose_name_plural = _("dossiers de labellisation")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "project"], name="label_file_once_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(coordinator__isnull=True)
                | Q(second_expert__isnull=True)
                | ~Q(coordinator=models.F("second_expert")),
                name="label_file_two_distinct_experts",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "state"])]

    def __str__(self):
        return f"{self.project} — {self.target_stage.short_name}"

    def get_absolute_url(self):
        return reverse("labels:file", kwargs={"pk": self.pk})


@field_checks
class IndicatorComment(models.Model):
    """An expert's comment on one indicator of a file's performance check (labels/performance.py):
    the values themselves are the project's, in the indicators app."""

    file = models.ForeignKey(LabelFile, on_delete=models.CASCADE, related_name="indicator_comments")
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("indicateur"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    text = models.TextField(_("commentaire"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commentaire d'expert sur un indicateur")
        verbose_name_plural = _("commentaires d'experts sur les indicateurs")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["file", "indicator"])]

    def __str__(self):
        return f"{self.file_id} / {self.indicator_id}"


# --- Commissions ----------------------------------------------------------------------------------


@field_checks
class CommissionSession(models.Model):
    class Level(models.TextChoices):
        LOCAL = "local", _("Commission locale")
        NATIONAL = "national", _("Commission nationale")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="sessions")
    level = models.CharField(_("niveau"), max_length=8, choices=Level.choices)
    # The DDT(M)/DREAL running a local commission (its territory bounds the agenda), or the
    # organisation owning the campaign for the national one.
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("service organisateur"),
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    held_on = models.DateField(_("date de la séance"))
    members = models.TextField(_("membres"), help_text=_("Un membre par ligne."))
    minutes = models.TextField(_("compte rendu"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("séance de commission")
        verbose_name_plural = _("séances de commission")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.get_level_display()} — {self.organisation} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("labels:session", kwargs={"pk": self.pk})

    @property
    def is_national(self):
        return self.level == self.Level.NATIONAL


@field_checks
class Deliberation(models.Model):
    """What a session decided for one file of its agenda."""

    class Outcome(models.TextChoices):
        PROPOSE = "propose", _("Proposer le label")
        ADJOURN = "adjourn", _("Ajourner avec une offre d'accompagnement")
        NOT_PROPOSE = "not_propose", _("Ne pas proposer")
        AWARD = "award", _("Attribuer le label")
        NOT_AWARD = "not_award", _("Ne pas attribuer le label")

    LOCAL_OUTCOMES = (Outcome.PROPOSE, Outcome.ADJOURN, Outcome.NOT_PROPOSE)
    NATIONAL_OUTCOMES = (Outcome.AWARD, Outcome.NOT_AWARD)

    session = models.ForeignKey(
        CommissionSession, on_delete=models.CASCADE, related_name="deliberations"
    )
    file = models.ForeignKey(LabelFile, on_delete=models.CASCADE, related_name="deliberations")
    outcome = models.CharField(_("décision"), max_length=12, choices=Outcome.choices)
    motivation = models.TextField(_("motivation"))
    support_offer = models.CharField(_("accompagnement proposé"), max_length=300, blank=True)
    support_provider = models.CharField(_("accompagné par"), max_length=200, blank=True)
    decision_reference = models.CharField(_("référence de la décision"), max_length=100, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("délibération")
        verbose_name_plural = _("délibérations")
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "file"], name="deliberation_once_per_file"),
            models.CheckConstraint(
                condition=~Q(outcome="adjourn") | (~Q(support_offer="") & ~Q(support_provider="")),
                name="deliberation_adjourned_has_support",
            ),
        ]

    def __str__(self):
        return f"{self.file} — {self.get_outcome_display()}"


# --- Use phase (F-43) ----------------------------------------------------------------------------


@field_checks
class UsePhaseReminder(models.Model):
    """One per project: written with the delivery award, sent once when due."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="use_phase_reminder"
    )
    delivery_step = models.ForeignKey(LabelStep, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("échéance"), db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    evaluation = models.OneToOneField(
        "UsePhaseEvaluation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rappel de l'évaluation en phase d'usage")
        verbose_name_plural = _("rappels de l'évaluation en phase d'usage")

    def __str__(self):
        return f"{self.project} — {self.due_on}"


@field_checks
class UsePhaseEvaluation(models.Model):
    """What a use-phase evaluation adds to its assessment (kind use-phase evaluation)."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="use_phase"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="use_phase_evaluations"
    )
    key_events = models.TextField(_("événements marquants depuis la livraison"), blank=True)
    priority_objectives = models.TextField(_("objectifs prioritaires"), blank=True)
    residents_feedback = models.TextField(_("retours des habitants"), blank=True)
    managers_feedback = models.TextField(_("retours des gestionnaires"), blank=True)
    leverage_effect = models.TextField(_("effet levier sur le territoire"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("évaluation en phase d'usage")
        verbose_name_plural = _("évaluations en phase d'usage")

    def __str__(self):
        return str(self.assessment)

    def get_absolute_url(self):
        return reverse("labels:use_phase", kwargs={"pk": self.pk})

    FIELDS = (
        "key_events",
        "priority_objectives",
        "residents_feedback",
        "managers_feedback",
        "leverage_effect",
    )
