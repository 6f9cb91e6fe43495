"""What the apps' admin classes share."""

from django.contrib import admin


class CompactInline(admin.TabularInline):
    """The platform's inlines: the related rows as a table, and a link to add one rather than
    blank rows to fill (Django shows three)."""

    extra = 0
