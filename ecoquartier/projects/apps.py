from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "ecoquartier.projects"
    label = "projects"
    verbose_name = _("Projets")

    def ready(self):
        from ecoquartier.core.generations import track
        from ecoquartier.projects.models import OperationType, Project, Theme
        from ecoquartier.projects.taxonomy import forget_taxonomy_choices

        for model in (OperationType, Theme):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_taxonomy_choices,
                    sender=model,
                    dispatch_uid=f"taxonomy-{signal}-{model.__name__}",
                )
        track("projects", Project, OperationType, Theme)
