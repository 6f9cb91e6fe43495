from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "ecoquartier.calls"
    label = "calls"
    verbose_name = _("Programmes et appels")
