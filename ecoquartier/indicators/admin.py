"""Administrators edit the national set without code (issue 15): definitions, bounds, the
label's national base, the commitments served."""

from django.contrib import admin

from ecoquartier.indicators.models import Indicator, IndicatorSet


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ("code", "name", "unit", "direction", "challenge", "label_base", "order")
    extra = 0
    show_change_link = True


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "published_on", "is_current")
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "direction", "challenge", "label_base", "indicator_set")
    list_filter = ("indicator_set", "challenge", "label_base", "source")
    search_fields = ("code", "name")
    filter_horizontal = ("commitments",)
    raw_id_fields = ("project", "programme")
