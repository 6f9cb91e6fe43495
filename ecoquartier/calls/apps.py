from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "ecoquartier.calls"
    label = "calls"
    verbose_name = _("Programmes et appels")

    def ready(self):
        import datetime

        from django.db.models.signals import post_migrate

        from ecoquartier.calls import (  # noqa: F401 (forms' reference lists listen)
            forms,
            models,
            notifying,
            workflow,  # registers the workflow, ADR 20
        )
        from ecoquartier.core import scheduler
        from ecoquartier.core.extensions import register_link, register_project_section
        from ecoquartier.core.generations import track

        # SQLite's full-text index loses its triggers when a migration rebuilds calls_call.
        post_migrate.connect(_ensure_full_text_index, sender=self)

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
        # The header, the home page and the dashboard link to the finder.
        register_link("main_nav", _("Trouver une aide"), "calls:finder", order=40)
        register_link(
            "home", _("Tout public"), "calls:finder", order=40, icon="map/location-france",
            text=_("Trouvez les aides ouvertes à votre territoire et vos contacts dans les "
                   "services."),
        )  # fmt: skip
        register_link("dashboard", _("Trouver une aide"), "calls:finder", 30, "fr-icon-search-line")
        # Programme managers reach their programmes and calls from the menu and the dashboard.
        from ecoquartier.organisations.permissions import is_programme_manager

        register_link(
            "main_nav", _("Gestion des appels"), "calls:manage", order=28,
            visible=is_programme_manager,
        )  # fmt: skip
        register_link(
            "dashboard", _("Gestion des appels"), "calls:manage", 28, "fr-icon-settings-5-line",
            visible=is_programme_manager,
        )  # fmt: skip

        notifying.register_rules()
        # Publishing a call queues its alerts; this daily sweep sends what a lost task missed.
        scheduler.register(
            "call_alerts",
            _("Alertes des appels publiés dans la semaine"),
            "ecoquartier.calls.alerts.deliver_recent",
            scheduler.daily(at=datetime.time(7, 0)),
        )
        # The finder's index of open calls forgets, each night, the calls closed since (fts.py).
        scheduler.register(
            "calls_open_index",
            _("Index de recherche des appels ouverts : retrait des appels clos"),
            "ecoquartier.calls.fts.advance_horizon",
            scheduler.daily(at=datetime.time(3, 30)),
        )


def _ensure_full_text_index(using, **kwargs):
    """On SQLite, altering the calls table rebuilds it without the triggers that keep its
    full-text index (calls/fts.py): put them back, and rebuild the index, after every migration
    run."""
    from django.db import connections

    from ecoquartier.calls import fts

    fts.ensure(connections[using])
