from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "ecoquartier.followup"
    label = "followup"
    verbose_name = _("Accompagnement des lauréats")

    def ready(self):
        from ecoquartier.core.extensions import (
            register_link,
            register_panel,
            register_project_section,
        )
        from ecoquartier.followup import permissions, reads

        register_link(
            "main_nav", _("Accompagnements"), "followup:index", order=48,
            visible=permissions.follows_projects,
        )  # fmt: skip
        register_project_section(
            _("Accompagnements : convention, jours, livrables"), "followup:project", order=35,
            icon="fr-icon-team-line",
        )  # fmt: skip
        register_panel(
            "application_detail", "followup/panels/application.html", reads.application_panel,
            with_request=True,
        )  # fmt: skip
        # days: the expertise requests' workflow (registered on import) and who hears of them
        from ecoquartier.followup import days

        days.register_rules()
