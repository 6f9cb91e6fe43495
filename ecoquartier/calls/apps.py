from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "ecoquartier.calls"
    label = "calls"
    verbose_name = _("Programmes et appels")

    def ready(self):
        from ecoquartier.calls import models
        from ecoquartier.calls.forms import forget_theme_choices
        from ecoquartier.core.extensions import register_project_section
        from ecoquartier.core.generations import track
        from ecoquartier.projects.models import Theme

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

        # The finder's theme choices are cached (forms.theme_choices).
        for signal in (post_save, post_delete):
            signal.connect(
                forget_theme_choices, sender=Theme, dispatch_uid=f"calls-themes-{signal}"
            )

        # The project page links to the finder, pre-filled for the project.
        register_project_section(
            _("Aides pour ce projet"),
            "calls:for_project",
            order=30,
            icon="fr-icon-money-euro-circle-line",
        )
