from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "ecoquartier.applications"
    label = "applications"
    verbose_name = _("Candidatures, instruction et jury")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ecoquartier.applications import queries
        from ecoquartier.core.extensions import register_panel, register_project_section
        from ecoquartier.territories.models import Territory

        # The dashboard's territory filter lists régions and départements from the cache.
        for signal in (post_save, post_delete):
            signal.connect(
                queries.forget_territory_choices,
                sender=Territory,
                dispatch_uid=f"applications-territory-choices-{signal}",
            )

        # The call page (calls app, a lower layer) lists the laureates once decided.
        register_panel(
            "call_detail",
            "applications/includes/laureates.html",
            lambda call: {"laureates": queries.laureates(call)},
        )

        # The project page links to the applications made for the project.
        register_project_section(
            _("Candidatures du projet"),
            "applications:project",
            order=35,
            icon="fr-icon-draft-line",
        )
