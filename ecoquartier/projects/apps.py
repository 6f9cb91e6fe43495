from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "ecoquartier.projects"
    label = "projects"
    verbose_name = _("Projets")

    def ready(self):
        from ecoquartier.core.extensions import register_link, register_page
        from ecoquartier.projects.permissions import holds_projects

        register_page("projects", "projects:list")

        register_link("main_nav", _("Projets"), "projects:list", order=20)
        register_link(
            "home", _("Collectivités et aménageurs"), "projects:list", order=10,
            icon="buildings/city-hall",
            text=_("Créez le dossier de votre projet, candidatez aux appels et avancez vers le "
                   "label."),
        )  # fmt: skip
        register_link("dashboard", _("Mes projets"), "projects:list", 10, "fr-icon-building-line")
        register_link(
            "dashboard", _("Créer un projet"), "projects:create", 20, "fr-icon-add-line",
            visible=holds_projects,
        )  # fmt: skip
        from ecoquartier.core.generations import track
        from ecoquartier.projects import taxonomy  # noqa: F401 (its reference lists listen)
        from ecoquartier.projects.models import OperationType, Project, Theme

        # What visitors see of the project pages is cached by generation (ADR 17).
        track("projects", Project, OperationType, Theme)
