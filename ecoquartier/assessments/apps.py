from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "ecoquartier.assessments"
    label = "assessments"
    verbose_name = _("Évaluations")

    def ready(self):
        from ecoquartier.core.extensions import register_project_section

        register_project_section(
            _("Évaluations"), "assessments:project", order=20, icon="fr-icon-survey-line"
        )
