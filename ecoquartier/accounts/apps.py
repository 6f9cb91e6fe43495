from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ecoquartier.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from ecoquartier.core.extensions import register_link, register_page

        for role in ("login", "logout", "profile", "password_reset"):
            register_page(role, f"accounts:{role}")

        register_link(
            "dashboard", _("Mon profil"), "accounts:profile", 50, "fr-icon-account-circle-line"
        )
