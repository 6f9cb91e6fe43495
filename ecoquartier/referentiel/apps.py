from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentielConfig(AppConfig):
    name = "ecoquartier.referentiel"
    label = "referentiel"
    verbose_name = _("Référentiel ÉcoQuartier")

    def ready(self):
        from ecoquartier.core.extensions import register_link

        register_link("main_nav", _("Référentiel"), "referentiel:index", order=30)
        register_link(
            "home", _("Experts et partenaires"), "referentiel:index", order=30,
            icon="environment/human-cooperation",
            text=_("Évaluez les projets au regard du référentiel et partagez vos retours "
                   "d’expérience."),
        )  # fmt: skip
        register_link(
            "dashboard", _("Le référentiel ÉcoQuartier"), "referentiel:index", 40,
            "fr-icon-book-2-line",
        )  # fmt: skip
