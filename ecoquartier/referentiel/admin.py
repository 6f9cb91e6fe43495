"""Read-mostly admin: the référentiel is data from data/referentiel/, loaded by a command."""

from django.contrib import admin

from ecoquartier.referentiel.models import (
    Commitment,
    Dimension,
    GuidingQuestion,
    ReferentielVersion,
)


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0


class QuestionInline(admin.TabularInline):
    model = GuidingQuestion
    extra = 0


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
