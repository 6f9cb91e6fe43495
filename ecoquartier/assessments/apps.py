from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

EXPERTS_GENERATION = "assessment-experts"


class AssessmentsConfig(AppConfig):
    name = "ecoquartier.assessments"
    label = "assessments"
    verbose_name = _("Évaluations")

    def ready(self):
        from ecoquartier.assessments import (
            notifying,
            workflow,  # noqa: F401 (registers the workflow, ADR 20)
        )
        from ecoquartier.assessments.models import Assessment
        from ecoquartier.assessments.permissions import expert_relation, is_expert_on_project
        from ecoquartier.core.extensions import register_project_section
        from ecoquartier.core.generations import track
        from ecoquartier.projects.permissions import register_viewer_relation

        # An expert named on one of a project's assessments sees the project; the counter moves
        # with every assessment saved (its lead expert) and its co-experts.
        track(EXPERTS_GENERATION, Assessment)
        register_viewer_relation(is_expert_on_project, expert_relation, EXPERTS_GENERATION)
        notifying.register_rules()

        register_project_section(
            _("Évaluations"), "assessments:project", order=20, icon="fr-icon-survey-line"
        )
