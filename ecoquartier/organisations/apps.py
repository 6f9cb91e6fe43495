from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "ecoquartier.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from ecoquartier.core.generations import track
        from ecoquartier.organisations import notifying
        from ecoquartier.organisations.models import Organisation

        track("organisations", Organisation)  # Bulk seeding bumps itself.
        notifying.register_rules()
