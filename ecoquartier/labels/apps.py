from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "ecoquartier.labels"
    label = "labels"
    verbose_name = _("Label ÉcoQuartier")

    def ready(self):
        import datetime

        from ecoquartier.core import scheduler
        from ecoquartier.core.extensions import register_link, register_project_section
        from ecoquartier.core.generations import track
        from ecoquartier.labels import (
            inbox,
            notifying,
            workflow,  # noqa: F401 (registers the workflow, ADR 20)
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
