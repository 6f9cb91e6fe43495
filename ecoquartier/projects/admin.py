from django.contrib import admin
from django.utils.translation import gettext as _

from ecoquartier.core.activity import record
from ecoquartier.projects import history
from ecoquartier.projects.models import OperationType, Project, Theme
from ecoquartier.projects.services import unique_slug


@admin.register(OperationType)
class OperationTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "position"]
    search_fields = ["label", "slug"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "slug", "position"]
    list_filter = ["kind"]
    search_fields = ["label", "slug"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Administrators edit outside the services, so the same rules are kept here: the slug is
    generated, the version moves (open forms become stale) and the change is logged."""

    list_display = ["name", "stage", "is_public", "updated_at"]
    list_filter = ["stage", "is_public", "operation_types"]
    search_fields = ["name", "slug"]
    readonly_fields = ["slug", "version", "created_by", "created_at", "updated_at"]
    # 35,000 communes and thousands of organisations: no select boxes.
    raw_id_fields = ["communes"]
    autocomplete_fields = ["holders"]
    filter_horizontal = ["operation_types", "themes", "hooks"]

    def save_model(self, request, obj, form, change):
        if change:
            request._project_before = history.snapshot(Project.objects.get(pk=obj.pk))
            obj.version += 1
        else:
            obj.slug = unique_slug(obj.name)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        project = form.instance
        after = history.snapshot(project)
        if change:
            changes = history.diff(request._project_before, after)
            verb, summary = "project.updated", _("Modification du projet « %(name)s »")
        else:
            changes = history.creation_changes(after)
            verb, summary = "project.created", _("Création du projet « %(name)s »")
        if changes:
            record(
                request.user,
                verb,
                summary % {"name": project.name},
                targets=[project, *project.holders.all()],
                changes=changes,
                reason=_("Depuis l'interface d'administration."),
            )
