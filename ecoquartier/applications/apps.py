from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "ecoquartier.applications"
    label = "applications"
    verbose_name = _("Candidatures, instruction et jury")
