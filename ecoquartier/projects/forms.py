"""Project forms: they collect and check input; services.py decides and saves."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DsfrForm
from ecoquartier.organisations.models import Organisation
from ecoquartier.organisations.permissions import organisation_ids
from ecoquartier.projects.history import RELATION_FIELDS, SCALAR_FIELDS
from ecoquartier.projects.models import OperationType, Project, Theme
from ecoquartier.projects.permissions import can_hold_project
from ecoquartier.projects.taxonomy import taxonomy_choices
from ecoquartier.territories.forms import TerritoryChoiceField, TerritoryMultipleChoiceField
from ecoquartier.territories.models import Territory


class TaxonomyChoiceField(forms.TypedChoiceField):
    """An optional filter on one operation type or theme: its pk, or None. The choices come from
    the cached taxonomy (taxonomy.py), so a filter form runs no query for them."""

    def __init__(self, name, *, empty_label, **kwargs):
        super().__init__(
            choices=lambda: [("", empty_label), *taxonomy_choices(name)],
            coerce=int,
            empty_value=None,
            required=False,
            **kwargs,
        )


class CoordinateField(forms.DecimalField):
    """Decimal degrees; accepts a French decimal comma and rounds to the stored precision."""

    widget = forms.TextInput

    def __init__(self, *, limit, example, **kwargs):
        self.limit = limit
        message = _(
            "Saisissez un nombre entre -%(limit)s et %(limit)s degrés, par exemple %(example)s."
        ) % {"limit": limit, "example": example}
        super().__init__(
            required=False,
            error_messages={"invalid": message, "min_value": message, "max_value": message},
            min_value=-limit,
            max_value=limit,
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        value = super().to_python(value)
        if value is None:
            return None
        if not value.is_finite() or abs(value) > self.limit:
            # Refused before rounding: 10**26 or 1e309 cannot be quantized to six places.
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}


class ProjectForm(DsfrForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Nom du projet"), max_length=200)
    summary = forms.CharField(
        label=_("Résumé"),
        max_length=300,
        required=False,
        help_text=_("Une ou deux phrases, affichées dans la liste des projets."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    holders = forms.ModelMultipleChoiceField(
        label=_("Organisations porteuses"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les membres des organisations porteuses peuvent modifier la fiche."),
    )
    other_holders = forms.ModelMultipleChoiceField(
        label=_("Autres organisations porteuses"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Facultatif. Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    communes = TerritoryMultipleChoiceField(
        kinds=(Territory.Kind.COMMUNE,),
        queryset=Territory.objects.active(),
        label=_("Communes"),
        help_text=_("Une ou plusieurs communes."),
    )
    latitude = CoordinateField(label=_("Latitude"), limit=90, example="48,9118", max_digits=12)
    longitude = CoordinateField(label=_("Longitude"), limit=180, example="2,3325", max_digits=12)
    stage = forms.ChoiceField(
        label=_("État d'avancement"),
        choices=Project.Stage.choices,
        initial=Project.Stage.REFLECTION,
        widget=forms.RadioSelect,
    )
    operation_types = forms.ModelMultipleChoiceField(
        label=_("Types d'opération"),
        queryset=OperationType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thématiques"),
        queryset=Theme.objects.filter(kind=Theme.Kind.THEME),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hooks = forms.ModelMultipleChoiceField(
        label=_("Objets d'accroche"),
        queryset=Theme.objects.filter(kind=Theme.Kind.HOOK),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Situations concrètes auxquelles le projet se rattache."),
    )
    area_ha = forms.DecimalField(
        label=_("Surface (ha)"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    dwellings = forms.IntegerField(label=_("Logements"), required=False, min_value=0)
    social_dwellings = forms.IntegerField(
        label=_("Dont logements sociaux"), required=False, min_value=0
    )
    inhabitants = forms.IntegerField(label=_("Habitants"), required=False, min_value=0)
    jobs = forms.IntegerField(label=_("Emplois"), required=False, min_value=0)
    is_public = forms.BooleanField(
        label=_("Fiche publique"),
        required=False,
        help_text=_("Une fiche publique est visible de tous, sans connexion."),
    )

    def __init__(self, *args, user, project=None, **kwargs):
        if project is not None:
            kwargs.setdefault("initial", initial_from(project))
        super().__init__(*args, **kwargs)
        self.user = user
        mine = organisation_ids(user)
        current = set(kwargs.get("initial", {}).get("holders_ids", ()))
        self.fields["holders"].queryset = Organisation.objects.filter(pk__in=mine | current)
        self.fields["other_holders"].queryset = Organisation.objects.exclude(
            pk__in=mine | current
        ).exclude(kind__in=Organisation.STATE_KINDS)
        self.fields["version"].required = project is not None
        if project is None and len(mine) == 1:
            self.fields["holders"].initial = list(mine)  # The obvious choice, pre-checked.

    def clean(self):
        cleaned = super().clean()
        holders = [*(cleaned.get("holders") or []), *(cleaned.get("other_holders") or [])]
        if not holders and "holders" not in self.errors:
            self.add_error("holders", _("Choisissez au moins une organisation porteuse."))
        elif holders and not can_hold_project(self.user, holders):
            self.add_error(
                "holders",
                _("Gardez au moins une de vos organisations parmi les porteuses du projet."),
            )
        cleaned["all_holders"] = holders
        self._check_coordinates(cleaned)
        self._check_dwellings(cleaned)
        return cleaned

    def _check_coordinates(self, cleaned):
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not self.has_error("latitude"):
            missing = "longitude" if longitude is None else "latitude"
            if not self.has_error(missing):
                self.add_error(
                    missing, _("Renseignez la latitude et la longitude, ou aucune des deux.")
                )

    def _check_dwellings(self, cleaned):
        dwellings, social = cleaned.get("dwellings"), cleaned.get("social_dwellings")
        if dwellings is not None and social is not None and social > dwellings:
            self.add_error(
                "social_dwellings",
                _(
                    "Le nombre de logements sociaux (%(social)s) ne peut pas dépasser le nombre "
                    "de logements (%(dwellings)s)."
                )
                % {"social": social, "dwellings": dwellings},
            )

    def project_data(self):
        """The cleaned values in the shape services.py expects."""
        data = {name: self.cleaned_data.get(name) for name in SCALAR_FIELDS}
        data.update({name: self.cleaned_data.get(name) or [] for name in RELATION_FIELDS})
        data["holders"] = self.cleaned_data["all_holders"]
        return data


def initial_from(project):
    initial = {name: getattr(project, name) for name in SCALAR_FIELDS}
    initial.update({name: list(getattr(project, name).all()) for name in RELATION_FIELDS})
    initial["holders_ids"] = [o.pk for o in initial["holders"]]
    initial["version"] = project.version
    return initial


FILTER_KINDS = (
    Territory.Kind.REGION,
    Territory.Kind.DEPARTEMENT,
    Territory.Kind.EPCI,
    Territory.Kind.COMMUNE,
)


class ProjectFilterForm(DsfrForm):
    """The list filters; the filtering itself is ProjectQuerySet.filtered()."""

    q = forms.CharField(label=_("Nom du projet"), required=False, max_length=100)
    territory = TerritoryChoiceField(
        kinds=FILTER_KINDS,
        queryset=Territory.objects.active(),
        label=_("Territoire"),
        required=False,
        help_text=_("Région, département, intercommunalité ou commune."),
    )
    stage = forms.ChoiceField(
        label=_("État d'avancement"),
        choices=[("", _("Tous les états"))] + Project.Stage.choices,
        required=False,
    )
    operation_type = TaxonomyChoiceField(
        "operation_types", label=_("Type d'opération"), empty_label=_("Tous les types")
    )
    theme = TaxonomyChoiceField(
        "themes", label=_("Thématique"), empty_label=_("Toutes les thématiques")
    )

    def criteria(self):
        """Keyword arguments for ProjectQuerySet.filtered()."""
        data = self.cleaned_data
        return {
            "text": data.get("q") or "",
            "territory": data.get("territory"),
            "stage": data.get("stage") or "",
            "operation_type": data.get("operation_type"),
            "theme": data.get("theme"),
        }
