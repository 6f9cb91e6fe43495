from django.contrib import admin
from django.db import models

from ecoquartier.core.admin import CompactInline
from ecoquartier.organisations.models import Membership, Organisation


class MembershipInline(CompactInline):
    model = Membership
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory", "siren", "has_planning_competence"]
    list_filter = ["kind", "has_planning_competence"]
    search_fields = ["name", "acronym", "siren"]
    # 35,000 communes: a select box would be unusable.
    raw_id_fields = ["territory"]
    list_select_related = ["territory"]
    inlines = [MembershipInline]
    # Websites typed without a scheme are https ones (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_admin"]
    list_filter = ["role", "is_admin"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
