"""Read-mostly admin: the référentiel is data from data/referentiel/, loaded by a command."""

from django.contrib import admin

from ecoquartier.core.admin import CompactInline
from ecoquartier.referentiel.models import (
    Commitment,
    Dimension,
    GuidingQuestion,
    ReferentielVersion,
)


class DimensionInline(CompactInline):
    model = Dimension


class QuestionInline(CompactInline):
    model = GuidingQuestion


@admin.register(ReferentielVersion)
class ReferentielVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "published_on", "is_current"]
    inlines = [DimensionInline]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "dimension"]
    list_filter = ["dimension__version"]
    list_select_related = ["dimension"]
    inlines = [QuestionInline]
