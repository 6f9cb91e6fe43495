from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "ecoquartier.calls"
    label = "calls"
    verbose_name = _("Programmes et appels")

    def ready(self):
        import datetime

        from ecoquartier.calls import (  # noqa: F401 (forms' reference lists listen)
            forms,
            models,
            workflow,  # noqa: F401 (registers the workflow, ADR 20)
        )
        from ecoquartier.core import scheduler
        from ecoquartier.core.extensions import register_project_section
        from ecoquartier.core.generations import track

        # What visitors see of calls is cached by generation (calls/visitors.py); bulk writes
        # (CallQuerySet.refresh_deadlines) bump it themselves.
        track(
            models.GENERATION,
            models.Programme,
            models.Call,
            models.CallStep,
            models.CallBenefit,
            models.CallPriorityTheme,
            models.CallDocument,
        )

        # The project page links to the finder, pre-filled for the project.
        register_project_section(
            _("Aides pour ce projet"),
            "calls:for_project",
            order=30,
            icon="fr-icon-money-euro-circle-line",
        )

        # Publishing a call queues its alerts; this daily sweep sends what a lost task missed.
        scheduler.register(
            "call_alerts",
            _("Alertes des appels publiés dans la semaine"),
            "ecoquartier.calls.alerts.deliver_recent",
            scheduler.daily(at=datetime.time(7, 0)),
        )
