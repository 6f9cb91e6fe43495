from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "ecoquartier.applications"
    label = "applications"
    verbose_name = _("Candidatures, instruction et jury")

    def ready(self):
        import datetime

        from django.db.models.signals import post_migrate

        from ecoquartier.applications import (
            inbox,
            instruction_link,
            notifying,
            opinion_inbox,
            reads,
            workflow,  # noqa: F401 (registers the workflow, ADR 20)
        )

        post_migrate.connect(_ensure_count_triggers, sender=self)
        notifying.register_rules()
        inbox.register()
        _register_links()
        opinion_inbox.register()  # "Avis demandés" in the inbox, "Mes avis à donner" in the menu
        instruction_link.register()  # the call page links its instructors to the dashboard
        from ecoquartier.applications import letters
        from ecoquartier.core import scheduler
        from ecoquartier.core.extensions import (
            register_card_actions,
            register_panel,
            register_project_section,
            register_tasks,
        )

        scheduler.register(
            "deadline_reminders",
            _("Rappels d’échéance des candidatures (J-14, J-7, J-1)"),
            "ecoquartier.applications.reminders.send_deadline_reminders",
            scheduler.daily(at=datetime.time(8, 0)),
        )

        # The call page (calls app, a lower layer) lists the laureates once decided.
        register_panel(
            "call_detail",
            "applications/includes/laureates.html",
            lambda call: {"laureates": reads.laureates(call)},
        )

        # The project page lists the project's published selections (public information).
        register_panel(
            "project_public", "applications/panels/project_selections.html",
            reads.public_selections, order=20,
        )  # fmt: skip

        # The call page's aside: sign in, resume or see one's applications, or "Candidater".
        register_panel(
            "call_aside",
            "applications/includes/call_actions.html",
            reads.call_actions,
            order=10,
            with_request=True,
        )

        # A call's managers find its applications' counts and where to work on them, on the
        # call page and on the list of the calls they manage (calls:manage).
        register_panel(
            "call_aside",
            "applications/includes/call_management.html",
            reads.call_management,
            order=5,
            with_request=True,
        )
        register_panel(
            "calls_manage",
            "applications/includes/calls_management.html",
            reads.calls_management,
        )

        # The finder's and programme page's cards: "Candidater", resume or see (outside their
        # cache, two queries a page).
        register_card_actions("call_card", "applications", reads.card_actions)

        # The jury's inbox: decision letters waiting to be signed and sent.
        register_tasks("applications.letters", letters.inbox, order=40)

        # The project page links to the applications made for the project.
        register_project_section(
            _("Candidatures du projet"),
            "applications:project",
            order=35,
            icon="fr-icon-draft-line",
        )


def _register_links():
    """The menu and the dashboard offer each role its applications' pages."""
    from ecoquartier.applications.permissions import instructs_applications, reviews_applications
    from ecoquartier.core.extensions import register_link
    from ecoquartier.projects.permissions import holds_projects

    register_link(
        "main_nav", _("Mes candidatures"), "applications:mine", order=25, visible=holds_projects
    )
    register_link(
        "main_nav", _("Instruction"), "applications:instructing", order=26,
        visible=instructs_applications,
    )  # fmt: skip
    register_link(
        "main_nav", _("Évaluations"), "applications:reviews", order=27,
        visible=reviews_applications,
    )  # fmt: skip
    register_link(
        "dashboard", _("Mes candidatures"), "applications:mine", 25, "fr-icon-draft-line",
        visible=holds_projects,
    )  # fmt: skip
    register_link(
        "dashboard", _("Candidatures à instruire"), "applications:instructing", 26,
        "fr-icon-folder-2-line", visible=instructs_applications,
    )  # fmt: skip
    register_link(
        "dashboard", _("Mes évaluations"), "applications:reviews", 27, "fr-icon-survey-line",
        visible=reviews_applications,
    )  # fmt: skip


def _ensure_count_triggers(using, **kwargs):
    """On SQLite, altering the applications table rebuilds it without its triggers: put them
    back (and recount) after every migration run, so the counters never silently stop."""
    from django.db import connections

    from ecoquartier.applications import counts

    counts.ensure_triggers(connections[using])
