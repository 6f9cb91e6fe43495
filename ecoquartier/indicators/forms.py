from django import forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DateInput, DsfrForm
from ecoquartier.core.uploads import UploadField
from ecoquartier.indicators.models import IndicatorValue


class ValueForm(DsfrForm):
    """A baseline, a target (with its year) or a measurement (with its date). The value is typed
    as text so that « 22,5 » is read and the service answers in French about bounds."""

    kind = forms.ChoiceField(label=_("Nature"), choices=IndicatorValue.Kind.choices)
    value = forms.CharField(label=_("Valeur"), max_length=40)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput(),
        help_text=_("Pour une situation de départ ou une mesure."),
    )
    year = forms.IntegerField(
        label=_("Année cible"), required=False, help_text=_("Pour un objectif, par exemple 2030.")
    )
    quality = forms.ChoiceField(
        label=_("Qualité"),
        choices=IndicatorValue.Quality.choices,
        initial=IndicatorValue.Quality.MEASURED,
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    method = forms.CharField(label=_("Méthode"), max_length=500, required=False)
    comment = forms.CharField(
        label=_("Commentaire"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = UploadField("evidence", label=_("Justificatif"), required=False)
    visibility = forms.ChoiceField(
        label=_("Confidentialité"),
        choices=IndicatorValue.Visibility.choices,
        initial=IndicatorValue.Visibility.PUBLIC,
    )


class ImportForm(DsfrForm):
    file = UploadField(
        "export",
        extensions=("xlsx",),
        label=_("Tableur des valeurs (XLSX)"),
        help_text=_(
            "Partez du modèle du projet : une ligne par valeur. Rien n'est enregistré si "
            "une ligne est refusée ; le rapport dit pourquoi."
        ),
    )
