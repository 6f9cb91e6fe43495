from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ecoquartier.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self):
        from ecoquartier.core import lookups

        lookups.register()
