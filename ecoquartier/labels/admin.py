"""Administrators read the label data; state changes go through the services and pages, so the
history, campaigns and files are read-only here."""

from django.contrib import admin

from ecoquartier.core.admin import CompactInline
from ecoquartier.labels.models import (
    Campaign,
    Charter,
    CommissionSession,
    LabelFile,
    LabelScheme,
    LabelStage,
    LabelStep,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LabelStageInline(CompactInline):
    model = LabelStage
    fields = [
        "position", "code", "name", "entry", "requires_charter", "requires_previous",
        "min_years_after_delivery", "marks_delivery", "requires_use_phase", "maps_to",
    ]  # fmt: skip
    can_delete = False


@admin.register(LabelScheme)
class LabelSchemeAdmin(ReadOnlyAdmin):
    """Schemes are data: edit data/labels/schemes.yaml and run load_label_schemes."""

    list_display = ["name", "code", "applies_from"]
    inlines = [LabelStageInline]


@admin.register(LabelStep)
class LabelStepAdmin(ReadOnlyAdmin):
    list_display = ["project", "stage", "year", "decided_on", "deciding_body", "decision_reference"]
    list_filter = ["stage__scheme", "stage", "year"]
    search_fields = ["project__name", "decision_reference"]
    list_select_related = ["project", "stage"]


@admin.register(Charter)
class CharterAdmin(ReadOnlyAdmin):
    list_display = ["project", "organisation", "signatory_name", "signed_at", "acknowledged_at"]
    list_select_related = ["project", "organisation"]
    search_fields = ["project__name"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["year", "call", "scheme"]
    list_select_related = ["call", "scheme"]


@admin.register(LabelFile)
class LabelFileAdmin(ReadOnlyAdmin):
    list_display = ["project", "campaign", "target_stage", "state", "region"]
    list_filter = ["campaign", "state"]
    list_select_related = ["project", "campaign__call", "target_stage", "region"]
    search_fields = ["project__name"]


@admin.register(CommissionSession)
class CommissionSessionAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "level", "organisation", "held_on"]
    list_select_related = ["campaign__call", "organisation"]
