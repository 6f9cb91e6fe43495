from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DsfrFormMixin


class PreferencesForm(DsfrFormMixin, forms.Form):
    frequency = forms.ChoiceField(
        label=_("Recevoir les notifications par courriel"),
        choices=get_user_model().NotificationFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Le récapitulatif part chaque matin à 7 h et regroupe les notifications de la veille. "
            "Toutes restent consultables sur la page « Mes notifications »."
        ),
    )
