from django.contrib import admin

from ecoquartier.territories.models import Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    """Browse the geography; official levels come from `import_territories`, not from here."""

    list_display = ["name", "kind", "code", "departement", "population", "is_active"]
    list_filter = ["kind", "zone", "is_active"]
    search_fields = ["name", "=code", "postal_codes", "=siren"]
    list_select_related = ["departement"]
    raw_id_fields = ["region", "departement", "epci"]
    # 36,000 rows: counting them for the paginator on every filter change is wasted work.
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.kind != Territory.Kind.CUSTOM:
            return [f.name for f in Territory._meta.fields]
        return []
