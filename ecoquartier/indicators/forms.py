from django import forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DateInput, DsfrForm
from ecoquartier.core.uploads import UploadField
from ecoquartier.indicators.models import Challenge, Direction, IndicatorValue


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


class CustomIndicatorForm(DsfrForm):
    """An indicator of the project's own: what it measures, in what unit, which way is better."""

    name = forms.CharField(label=_("Nom de l'indicateur"), max_length=200)
    unit = forms.CharField(
        label=_("Unité"), max_length=40, help_text=_("Par exemple : %, m², places, kWh/an.")
    )
    challenge = forms.ChoiceField(label=_("Défi"), choices=Challenge.choices)
    direction = forms.ChoiceField(label=_("Sens"), choices=Direction.choices[:2])
    precision = forms.IntegerField(
        label=_("Décimales"), min_value=0, max_value=4, initial=0,
        help_text=_("Nombre de décimales des valeurs saisies."),
    )  # fmt: skip
    min_value = forms.DecimalField(label=_("Minimum"), required=False, max_digits=14,
                                   decimal_places=4)  # fmt: skip
    max_value = forms.DecimalField(label=_("Maximum"), required=False, max_digits=14,
                                   decimal_places=4)  # fmt: skip
    definition = forms.CharField(
        label=_("Définition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    method = forms.CharField(
        label=_("Méthode de calcul"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
