from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "ecoquartier.projects"
    label = "projects"
    verbose_name = _("Projets")

    def ready(self):
        from ecoquartier.core.generations import track
        from ecoquartier.projects import taxonomy  # noqa: F401 (its reference lists listen)
        from ecoquartier.projects.models import OperationType, Project, Theme

        # What visitors see of the project pages is cached by generation (ADR 17).
        track("projects", Project, OperationType, Theme)
