"""The territorial project record (F-03): one record that every programme attaches to."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks
from ecoquartier.territories.text import fold


@field_checks
class OperationType(models.Model):
    """Kind of operation (renouvellement urbain, extension, friche…), from data/taxonomy.yaml."""

    slug = models.SlugField(unique=True)
    label = models.CharField(_("libellé"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("type d'opération")
        verbose_name_plural = _("types d'opération")
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


@field_checks
class Theme(models.Model):
    """A theme or an *objet d'accroche*. Rows from data/taxonomy.yaml; calls reuse them."""

    class Kind(models.TextChoices):
        THEME = "theme", _("Thématique")
        HOOK = "hook", _("Objet d'accroche")

    kind = models.CharField(_("nature"), max_length=8, choices=Kind.choices)
    slug = models.SlugField(unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["kind", "position", "label"]

    def __str__(self):
        return self.label


def _themes(label, kind, related_name):
    """The project's list of one kind of Theme (one table holds both kinds)."""
    return models.ManyToManyField(
        Theme,
        verbose_name=label,
        blank=True,
        related_name=related_name,
        limit_choices_to={"kind": kind},
    )


def _coordinate(label, limit):
    """An optional angle in degrees, to the millionth, within ±limit (the database checks it
    too: `_coordinate_range`)."""
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
    )


def _coordinate_range(field, limit):
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | (models.Q(**{f"{field}__gte": -limit}) & models.Q(**{f"{field}__lte": limit})),
        name=f"project_{field}_range",
    )


class ProjectQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def filtered(self, *, text="", territory=None, stage="", operation_type=None, theme=None):
        """The list filters (F-03); each criterion is optional and they combine with AND."""
        queryset = self
        if fold(text):
            queryset = queryset.filter(search_name__contains=fold(text))
        if territory is not None:
            queryset = queryset.in_territory(territory)
        if stage:
            queryset = queryset.filter(stage=stage)
        if operation_type is not None:
            queryset = queryset.filter(
                pk__in=Project.operation_types.through.objects.filter(
                    operationtype=operation_type
                ).values("project_id")
            )
        if theme is not None:
            queryset = queryset.filter(
                pk__in=Project.themes.through.objects.filter(theme=theme).values("project_id")
            )
        return queryset

    def in_territory(self, territory):
        """Projects with at least one commune inside `territory` (one query, any level)."""
        return self.filter(
            pk__in=Project.communes.through.objects.filter(
                territory__ancestor_links__ancestor=territory
            ).values("project_id")
        )


@field_checks
class Project(models.Model):
    class Stage(models.TextChoices):
        REFLECTION = "reflection", _("Réflexion / conception")
        STUDIES = "studies", _("Études pré-opérationnelles")
        OPERATIONAL = "operational", _("Opérationnel / chantier")
        DELIVERED = "delivered", _("Livré")
        IN_USE = "in_use", _("Usage")

    name = models.CharField(_("nom du projet"), max_length=200)
    # Lower-case and accent-free, so that "ecoquartier" finds "Écoquartier" on any database.
    search_name = models.CharField(max_length=200, editable=False, db_index=True, default="")
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    holders = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("organisations porteuses"),
        related_name="held_projects",
    )
    communes = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("communes"),
        related_name="projects",
        limit_choices_to={"kind": "commune"},
    )
    latitude = _coordinate(_("latitude"), 90)
    longitude = _coordinate(_("longitude"), 180)
    stage = models.CharField(
        _("état d'avancement"), max_length=16, choices=Stage.choices, default=Stage.REFLECTION
    )
    operation_types = models.ManyToManyField(
        OperationType, verbose_name=_("types d'opération"), blank=True, related_name="projects"
    )
    themes = _themes(_("thématiques"), Theme.Kind.THEME, "projects")
    hooks = _themes(_("objets d'accroche"), Theme.Kind.HOOK, "hooked_projects")
    # Key figures, each with its unit in the label.
    area_ha = models.DecimalField(
        _("surface (ha)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    dwellings = models.PositiveIntegerField(_("logements"), null=True, blank=True)
    social_dwellings = models.PositiveIntegerField(_("logements sociaux"), null=True, blank=True)
    inhabitants = models.PositiveIntegerField(_("habitants"), null=True, blank=True)
    jobs = models.PositiveIntegerField(_("emplois"), null=True, blank=True)
    is_public = models.BooleanField(
        _("fiche publique"),
        default=False,
        help_text=_("Une fiche publique est visible de tous, sans connexion."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every save through services bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["stage"]),
            models.Index(fields=["is_public"]),
            # The list order (for_listing): newest first without sorting the whole table.
            models.Index(fields=["-updated_at", "-id"], name="project_listing_idx"),
        ]
        constraints = [
            _coordinate_range("latitude", 90),
            _coordinate_range("longitude", 180),
            models.CheckConstraint(
                condition=models.Q(social_dwellings__isnull=True)
                | models.Q(dwellings__isnull=True)
                | models.Q(social_dwellings__lte=models.F("dwellings")),
                name="project_social_dwellings_within_dwellings",
                violation_error_message=_(
                    "Le nombre de logements sociaux ne peut pas dépasser le nombre de logements."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"slug": self.slug})
