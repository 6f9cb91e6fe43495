from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "ecoquartier.territories"
    label = "territories"
    verbose_name = _("Territoires")

    def ready(self):
        from ecoquartier.core.extensions import register_link

        register_link("main_nav", _("Territoires"), "territories:search", order=50)
        register_link("home_territories", _("Chercher un territoire"), "territories:search")
        from ecoquartier.core.generations import track
        from ecoquartier.territories.models import Territory

        track("territories", Territory)  # The importer writes in bulk and bumps itself.
