from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ecoquartier.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        import datetime

        from ecoquartier.core import activity, scheduler
        from ecoquartier.notifications import inbox, tasks

        inbox.register()

        activity.subscribe(tasks.schedule)
        scheduler.register(
            "notification_digest",
            _("Récapitulatif quotidien des notifications"),
            "ecoquartier.notifications.digest.send_digests",
            scheduler.daily(at=datetime.time(7, 0)),
        )
        scheduler.register(
            "notification_retry",
            _("Nouvel essai des notifications dont le courriel a échoué"),
            "ecoquartier.notifications.delivery.send_pending",
            scheduler.every(minutes=15),
        )
