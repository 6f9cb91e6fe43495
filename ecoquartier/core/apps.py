from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ecoquartier.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self):
        import datetime

        from ecoquartier.core import lookups, observability, scheduler  # noqa: F401 (receivers)

        lookups.register()

        scheduler.register(
            "recover_jobs",
            _("Reprise des tâches interrompues (rapports, exports)"),
            "ecoquartier.core.jobs.recover_stale",
            scheduler.every(minutes=5),
        )
        scheduler.register(
            "prune_task_history",
            _("Purge de l’historique des tâches de plus de 30 jours"),
            "ecoquartier.core.jobs.prune_history",
            scheduler.daily(at=datetime.time(3, 30)),
        )
