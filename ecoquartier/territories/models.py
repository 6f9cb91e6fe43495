"""French administrative geography (F-01).

One table for every level, plus a flattened containment table (`TerritoryAncestor`) so that
"is X inside Y" and "which perimeters contain X" are each one indexed query, whatever the depth.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks
from ecoquartier.territories.text import fold


class TerritoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def communes(self):
        return self.filter(kind=Territory.Kind.COMMUNE)

    def of_kinds(self, kinds):
        """Restrict to `kinds` (an iterable of Territory.Kind values); all kinds when empty."""
        return self.filter(kind__in=kinds) if kinds else self

    def nearest_first(self):
        """Smallest level first: commune, EPCI, département, région, France, then custom
        perimeters (whose size is unknown)."""
        return self.annotate(
            level=models.Case(
                *(models.When(kind=kind, then=rank) for rank, kind in enumerate(LEVEL_ORDER)),
                default=len(LEVEL_ORDER),
                output_field=models.IntegerField(),
            )
        ).order_by("level", "name")

    def containing(self, territory):
        """Every territory that contains `territory`, itself included."""
        return self.filter(descendant_links__descendant=territory)

    def within(self, territory):
        """Every territory inside `territory`, itself included."""
        return self.filter(ancestor_links__ancestor=territory)


@field_checks
class Territory(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("France")
        REGION = "region", _("Région")
        DEPARTEMENT = "departement", _("Département")
        EPCI = "epci", _("EPCI")
        COMMUNE = "commune", _("Commune")
        CUSTOM = "custom", _("Périmètre sur mesure")

    kind = models.CharField(_("niveau"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=20, help_text=_("INSEE, ou SIREN pour un EPCI"))
    name = models.CharField(_("nom"), max_length=200)
    # Lower-case, accent-free, punctuation folded to spaces: what autocomplete matches against.
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    epci_type = models.CharField(_("nature de l'EPCI"), max_length=10, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    postal_codes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    zone = models.CharField(_("zone"), max_length=10, blank=True, help_text="metro / drom")
    # Direct parents for display; containment queries use TerritoryAncestor.
    region = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code")
        ]
        indexes = [models.Index(fields=["kind", "search_name"])]

    def __str__(self):
        if self.kind == self.Kind.COMMUNE:
            return f"{self.name} ({self.code})"
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def token(self):
        """Unambiguous form value, "kind:code": a région and a département can share a code."""
        return f"{self.kind}:{self.code}"

    @property
    def postal_code_list(self):
        return self.postal_codes.split()


LEVEL_ORDER = (
    Territory.Kind.COMMUNE,
    Territory.Kind.EPCI,
    Territory.Kind.DEPARTEMENT,
    Territory.Kind.REGION,
    Territory.Kind.COUNTRY,
)


@field_checks
class TerritoryAncestor(models.Model):
    """Flattened containment: one row per (territory, a territory containing it), self included."""

    descendant = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="ancestor_links"
    )
    ancestor = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="descendant_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["descendant", "ancestor"], name="territory_ancestor_unique"
            )
        ]
        indexes = [models.Index(fields=["ancestor", "descendant"])]

    def __str__(self):
        return f"{self.descendant_id} ⊂ {self.ancestor_id}"
