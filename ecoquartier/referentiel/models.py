"""The versioned référentiel ÉcoQuartier (F-10):
ReferentielVersion → Dimension → Commitment → GuidingQuestion.

Rows come from data/referentiel/*.yaml through `manage.py load_referentiel`; nothing here is
edited by hand. Assessments point at a version and its commitments, so an old version stays
readable as long as one assessment uses it.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.constraints import field_checks

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Couleur au format #RRGGBB."))


class ReferentielVersionQuerySet(models.QuerySet):
    def current(self):
        """The version new assessments use, or None before the référentiel is loaded."""
        return self.filter(is_current=True).first()

    def with_tree(self):
        """Dimensions, commitments and guiding questions in three extra queries."""
        return self.prefetch_related(
            Prefetch(
                "dimensions",
                queryset=Dimension.objects.prefetch_related(
                    Prefetch(
                        "commitments",
                        queryset=Commitment.objects.prefetch_related("questions"),
                    )
                ),
            )
        )


@field_checks
class ReferentielVersion(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    is_current = models.BooleanField(_("version en vigueur"), default=False)

    objects = ReferentielVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version du référentiel")
        verbose_name_plural = _("versions du référentiel")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="referentiel_one_current_version",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("referentiel:version", kwargs={"code": self.code})


@field_checks
class Dimension(models.Model):
    version = models.ForeignKey(
        ReferentielVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    # Identifies the dimension on charts; a DSFR illustrative colour with 4.5:1 contrast on white.
    colour = models.CharField(_("couleur"), max_length=7, validators=[hex_colour])

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="dimension_unique_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class CommitmentQuerySet(models.QuerySet):
    def of_version(self, version):
        return self.filter(dimension__version=version).select_related("dimension")


@field_checks
class Commitment(models.Model):
    """An *engagement*. Numbers run 1…N across the whole version, not per dimension."""

    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("dimension"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé court"), max_length=200)
    description = models.TextField(_("description"))

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "number"], name="commitment_unique_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse(
            "referentiel:commitment",
            kwargs={"code": self.dimension.version.code, "number": self.number},
        )


@field_checks
class GuidingQuestion(models.Model):
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField(_("ordre"))
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("question guide")
        verbose_name_plural = _("questions guides")
        ordering = ["commitment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "position"], name="guiding_question_unique_position"
            )
        ]

    def __str__(self):
        return self.text
