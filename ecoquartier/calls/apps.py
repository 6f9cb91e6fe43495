from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "ecoquartier.calls"
    label = "calls"
    verbose_name = _("Programmes et appels")

    def ready(self):
        from ecoquartier.core.extensions import register_project_section

        # The project page links to the finder, pre-filled for the project.
        register_project_section(
            _("Aides pour ce projet"),
            "calls:for_project",
            order=30,
            icon="fr-icon-money-euro-circle-line",
        )
