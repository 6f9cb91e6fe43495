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
        from ecoquartier.followup import inbox, permissions, reads

        inbox.register()

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

        # deliverables: the review workflow, who is told, the reminders, the programmes' links
        import datetime

        from ecoquartier.core import scheduler
        from ecoquartier.followup import deliverables

        deliverables.register_rules()
        scheduler.register(
            "deliverable_reminders",
            _("Rappels d'échéance des livrables (J-14, J-7, J-1)"),
            "ecoquartier.followup.deliverables.send_due_reminders",
            scheduler.daily(at=datetime.time(7, 30)),
        )
        register_panel(
            "calls_manage", "followup/deliverables/panels/programmes.html",
            deliverables.programme_links, with_request=True,
        )  # fmt: skip
        # grants (issue 14, part 4): the instalment's workflow and who hears of it.
        from ecoquartier.followup import grants, grants_notifying  # noqa: F401 (registers)

        grants_notifying.register_rules()
