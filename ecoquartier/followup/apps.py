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
        # The experts on a support's team see the project they support.
        from ecoquartier.followup.cached import GENERATION
        from ecoquartier.projects.permissions import register_viewer_relation

        register_viewer_relation(
            permissions.is_expert_of_project, permissions.support_expert_relation, GENERATION
        )

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

        # --- conventions: the workflow (ADR 20), who is told (ADR 21), the daily reminder.
        from ecoquartier.followup import conventions

        conventions.register_rules()
        scheduler.register(
            "followup_signature_reminders",
            _("Conventions d'accompagnement : rappel aux parties qui n'ont pas signé"),
            "ecoquartier.followup.conventions.send_signature_reminders",
            scheduler.daily(at=datetime.time(7, 0)),
        )

        # roadmap and programme dashboard (deliverables 6, 7): the gaps' progress on an
        # assessment's page, the roadmap catching up on each finished assessment, the dashboard
        # offered to programme managers.
        from ecoquartier.followup import dashboard, roadmap  # noqa: F401 (reference lists)
        from ecoquartier.notifications.registry import on_event

        register_panel(
            "assessment_detail", "followup/roadmap/panel.html", roadmap.assessment_panel,
            with_request=True,
        )  # fmt: skip
        for verb in ("assessment.submitted", "assessment.validated"):
            on_event(verb, roadmap.on_assessment_finished)
        register_link(
            "dashboard", _("Tableau de bord des accompagnements"), "followup:index", order=48,
            icon="fr-icon-dashboard-3-line", visible=permissions.sees_programme_dashboard,
        )  # fmt: skip

        # days: the expertise requests' workflow (registered on import) and who hears of them
        from ecoquartier.followup import days

        days.register_rules()

        # grants (issue 14, part 4): the instalment's workflow and who hears of it.
        from ecoquartier.followup import grants, grants_notifying  # noqa: F401 (registers)

        grants_notifying.register_rules()

        # What the dashboard and the days page cache is keyed by this counter (cached.py).
        from ecoquartier.core.generations import track
        from ecoquartier.followup import cached, models

        track(
            cached.GENERATION, models.FollowUp, models.DaysBudgetYear, models.Convention,
            models.ConventionParty, models.SupportActivity, models.ExpertiseRequest, models.Grant,
            models.Instalment, models.Milestone, models.Deliverable, models.RoadmapAction,
        )  # fmt: skip
