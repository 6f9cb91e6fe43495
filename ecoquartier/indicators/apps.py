from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "ecoquartier.indicators"
    label = "indicators"
    verbose_name = _("Indicateurs")

    def ready(self):
        from ecoquartier.core.extensions import register_project_section
        from ecoquartier.core.generations import track
        from ecoquartier.indicators.models import (
            GENERATION,
            Indicator,
            IndicatorSet,
            IndicatorValue,
        )

        track(GENERATION, IndicatorSet, Indicator, IndicatorValue)

        register_project_section(
            _("Indicateurs : objectifs et mesures"), "indicators:board", order=25,
            icon="fr-icon-line-chart-line",
        )  # fmt: skip
