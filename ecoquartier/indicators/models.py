"""Indicators followed over time (F-60).

- `IndicatorSet`: a versioned set of definitions (data/indicators/<code>.yaml), like the
  référentiel's versions; several coexist, one is current.
- `Indicator`: a definition — code, name, definition and method, unit, precision, bounds,
  direction (higher / lower is better, or a target band), challenge, the commitments it serves,
  source kind, whether it belongs to the label's national base. National ones come from the set's
  file; a custom one belongs to one project or one programme.
- `IndicatorValue`: one dated value of one indicator for one project — a baseline, a target (for
  a year) or a measurement (estimated or measured, with its source, method and evidence) — public
  or reserved to the State services and experts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks
from ecoquartier.core.files import PrivateUploadTo
from ecoquartier.core.jobs import BackgroundJob
from ecoquartier.core.uploads import UploadValidator

VALUE = {"max_digits": 16, "decimal_places": 4}

# What is computed from indicators and their values is cached by this counter (core.generations):
# saves and deletes move it (apps.py), bulk writers bump it.
GENERATION = "indicators"


class IndicatorSetQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).order_by("-published_on").first()


@field_checks
class IndicatorSet(models.Model):
    code = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    published_on = models.DateField(_("publié le"))
    is_current = models.BooleanField(_("jeu en vigueur"), default=False)
    referentiel = models.ForeignKey(
        "referentiel.ReferentielVersion",
        verbose_name=_("version du référentiel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = IndicatorSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeu d'indicateurs")
        verbose_name_plural = _("jeux d'indicateurs")
        ordering = ["-published_on"]

    def __str__(self):
        return self.title


class Direction(models.TextChoices):
    HIGHER = "higher", _("Plus la valeur est haute, mieux c'est")
    LOWER = "lower", _("Plus la valeur est basse, mieux c'est")
    BAND = "band", _("Dans une fourchette cible")


class Challenge(models.TextChoices):
    KEY_FIGURES = "key_figures", _("Chiffres clés")
    SOBRIETY = "sobriety", _("Sobriété")
    RESILIENCE = "resilience", _("Résilience")
    INCLUSION = "inclusion", _("Inclusion")
    VALUE_CREATION = "value_creation", _("Création de valeur")


class Source(models.TextChoices):
    DECLARED = "declared", _("Déclaré")
    MEASURED = "measured", _("Mesuré")
    OPEN_DATA = "open_data", _("Données ouvertes")


@field_checks
class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("jeu"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)
    definition = models.TextField(_("définition"), blank=True)
    method = models.TextField(_("méthode de calcul"), blank=True)
    unit = models.CharField(_("unité"), max_length=40)
    precision = models.PositiveSmallIntegerField(_("décimales"), default=0)
    min_value = models.DecimalField(_("minimum"), **VALUE, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), **VALUE, null=True, blank=True)
    direction = models.CharField(_("sens"), max_length=8, choices=Direction.choices)
    band_low = models.DecimalField(_("bas de la fourchette"), **VALUE, null=True, blank=True)
    band_high = models.DecimalField(_("haut de la fourchette"), **VALUE, null=True, blank=True)
    challenge = models.CharField(_("défi"), max_length=16, choices=Challenge.choices)
    commitments = models.ManyToManyField(
        "referentiel.Commitment", verbose_name=_("engagements"), blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    label_base = models.BooleanField(_("socle national du label"), default=False)
    # A custom indicator belongs to one project or one programme; a national one to neither.
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_indicators",
    )
    programme = models.ForeignKey(
        "calls.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="custom_indicators",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["indicator_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_set", "code"], name="indicators_code_unique_in_set"
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(programme__isnull=True),
                name="indicators_custom_for_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicators_bounds_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def is_national(self):
        return self.project_id is None and self.programme_id is None


@field_checks
class IndicatorValue(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Situation de départ")
        TARGET = "target", _("Objectif")
        MEASUREMENT = "measurement", _("Mesure")

    class Quality(models.TextChoices):
        ESTIMATED = "estimated", _("Estimée")
        MEASURED = "measured", _("Mesurée")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Publique")
        RESTRICTED = "restricted", _("Réservée aux services de l'État et aux experts")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices)
    value = models.DecimalField(_("valeur"), **VALUE)
    # A baseline or a measurement is dated; a target is for a year.
    date = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("année cible"), null=True, blank=True)
    quality = models.CharField(
        _("qualité"), max_length=10, choices=Quality.choices, default=Quality.MEASURED
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    method = models.CharField(_("méthode"), max_length=500, blank=True)
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    evidence = models.FileField(
        _("justificatif"),
        upload_to=PrivateUploadTo("indicators/evidence"),
        max_length=300,
        blank=True,
        validators=[UploadValidator("evidence")],
    )
    visibility = models.CharField(
        _("confidentialité"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateurs")
        ordering = ["project", "indicator", "kind", "date", "year", "pk"]
        indexes = [
            models.Index(fields=["indicator", "kind", "visibility"]),
            models.Index(fields=["project", "indicator", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="target") & Q(year__isnull=False))
                | (~Q(kind="target") & Q(date__isnull=False)),
                name="indicators_value_dated_or_for_a_year",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.get_kind_display()} {self.value}"

    def get_absolute_url(self):
        # Where a repeated recording POST goes (core.idempotency): the indicator's page.
        return reverse("indicators:indicator", args=[self.project.slug, self.indicator.code])


@field_checks
class ValueImport(BackgroundJob):
    """An uploaded spreadsheet of values, checked then imported by a task: all rows or none.
    `report` lists each refused row's problems (row number, column, French message)."""

    TASK = "ecoquartier.indicators.tasks.run_import"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(
        _("fichier"),
        upload_to=PrivateUploadTo("indicators/imports"),
        max_length=300,
        validators=[UploadValidator("export")],
    )
    report = models.JSONField(default=list, blank=True)
    rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("import de valeurs")
        verbose_name_plural = _("imports de valeurs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.project} — {self.created_at:%Y-%m-%d}"
