from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "ecoquartier.labels"
    label = "labels"
    verbose_name = _("Label ÉcoQuartier")

    def ready(self):
        import datetime

        from ecoquartier.core import scheduler
        from ecoquartier.core.extensions import (
            register_filter,
            register_link,
            register_panel,
            register_project_section,
        )
        from ecoquartier.core.generations import track
        from ecoquartier.labels import (
            inbox,
            notifying,
            reads,
            workflow,  # noqa: F401 (registers the workflow, ADR 20)
        )
        from ecoquartier.labels import (
            permissions as label_permissions,
        )
        from ecoquartier.labels.models import LabelScheme, LabelStage, LabelStep
        from ecoquartier.projects import permissions

        notifying.register_rules()
        inbox.register()
        # Everyone finds the label (campaigns, key figures; an expert its files) from the menu.
        register_link("main_nav", _("Label"), "labels:index", order=45)
        register_link("dashboard", _("Label ÉcoQuartier"), "labels:index", 35, "fr-icon-award-line")
        # A project's public label history (views/public.py) is cached for visitors by it.
        track("labels", LabelScheme, LabelStage, LabelStep)

        register_project_section(
            _("Label ÉcoQuartier : étapes et attestations"),
            "labels:project",
            order=30,
            icon="fr-icon-award-line",
        )
        register_link(
            "dashboard", _("Ouvrir une campagne de labellisation"), "labels:new_campaign", 40,
            "fr-icon-award-line", visible=label_permissions.can_open_campaign,
        )  # fmt: skip

        # Only the national commission makes a label file a laureate (applications' lists), and
        # the project page shows the label steps reached (public information).
        register_filter("laureates", "labels", reads.awarded_only)
        register_panel(
            "project_public", "labels/panels/project_public.html", reads.public_steps, order=10
        )
        register_panel(
            "call_commissions", "labels/panels/call_commissions.html", reads.call_campaign
        )

        # Label steps (charter entry, awards) are public: they show, with their year, on the
        # timeline of the project's public page.
        if "label.public." not in permissions.PUBLIC_EVENT_PREFIXES:
            permissions.PUBLIC_EVENT_PREFIXES.append("label.public.")

        scheduler.register(
            "use_phase_reminders",
            _("Trois ans après « livré » : ouverture des évaluations en phase d’usage"),
            "ecoquartier.labels.services.send_due_reminders",
            scheduler.daily(at=datetime.time(6, 0)),
        )
