from django.contrib import admin
from django.db import models

from ecoquartier.calls.models import (
    AlertDelivery,
    Call,
    CallBenefit,
    CallDocument,
    CallPriorityTheme,
    CallStep,
    Programme,
    SearchAlert,
)
from ecoquartier.core.admin import CompactInline


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["owner"]
    filter_horizontal = ["partners"]
    # Links typed without a scheme are https ones (Django 6's default; the forms say so too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CallStepInline(CompactInline):
    model = CallStep


class CallBenefitInline(CompactInline):
    model = CallBenefit


class CallPriorityThemeInline(CompactInline):
    model = CallPriorityTheme


class CallDocumentInline(CompactInline):
    model = CallDocument
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "programme", "state", "closes_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "original_title"]
    prepopulated_fields = {"slug": ["title"]}
    raw_id_fields = ["perimeter"]
    readonly_fields = ["closes_at", "published_at", "version"]
    filter_horizontal = ["eligible_themes"]
    inlines = [CallStepInline, CallBenefitInline, CallPriorityThemeInline, CallDocumentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        Call.objects.filter(pk=form.instance.pk).refresh_deadlines()


@admin.register(SearchAlert)
class SearchAlertAdmin(admin.ModelAdmin):
    list_display = ["email", "label", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email"]
    readonly_fields = ["created_at"]


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ["alert", "call", "created_at", "sent_at"]
    raw_id_fields = ["alert", "call"]
