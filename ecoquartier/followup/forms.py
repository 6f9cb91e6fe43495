"""Forms of the follow-up's core (opening, changing). Each part keeps its forms beside its views
(`views/<part>.py` imports `forms_<part>.py`) so that the parts stay independent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DateInput, DsfrForm
from ecoquartier.followup.models import FollowUp


def expert_choices():
    """People who may be named on a support's team: the experts of any organisation."""
    from django.contrib.auth import get_user_model

    from ecoquartier.organisations.models import Membership

    return (
        get_user_model()
        .objects.filter(memberships__role=Membership.Role.EXPERT, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


class FollowUpForm(DsfrForm):
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=250,
        required=False,
        help_text=_("Par défaut, le nom du projet."),
    )
    coordinator = forms.ModelChoiceField(
        label=_("Opérateur de l'accompagnement"),
        queryset=None,
        required=False,
        help_text=FollowUp._meta.get_field("coordinator").help_text,
    )
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts de l'accompagnement"),
        queryset=None,
        required=False,
        help_text=_("Ils consignent les interventions et instruisent les demandes d'expertise."),
    )
    starts_on = forms.DateField(label=_("Début"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin prévue"), widget=DateInput())
    days_budget = forms.DecimalField(
        label=_("Jours d'accompagnement prévus"),
        min_value=0,
        max_digits=6,
        decimal_places=1,
        help_text=_("Par exemple 36 jours sur 3 ans ; les demi-journées comptent 0,5."),
    )

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators
        self.fields["experts"].queryset = expert_choices()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin prévue doit suivre le début."))
        return data


class ChangeFollowUpForm(FollowUpForm):
    """The managers' form of an open follow-up, with the days planned for each calendar year of
    its period when the programme splits its budget (all years or none)."""

    def __init__(self, *args, years, planned, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for year in self.years:
            self.fields[f"year_{year}"] = forms.DecimalField(
                label=_("Jours prévus en %(year)s") % {"year": year}, required=False,
                min_value=0, max_digits=6, decimal_places=1, initial=planned.get(year),
                help_text=_("Laissez toutes les années vides si le budget n'est pas réparti."),
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        split = {year: data.get(f"year_{year}") for year in self.years}
        given = {year: days for year, days in split.items() if days is not None}
        if given and len(given) < len(split):
            for year, days in split.items():
                if days is None:
                    self.add_error(f"year_{year}", _("Renseignez chaque année, ou aucune."))
        self.split = given
        return data


class OpenForProjectForm(FollowUpForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    beneficiary = forms.ModelChoiceField(label=_("Collectivité accompagnée"), queryset=None)

    field_order = [
        "programme",
        "beneficiary",
        "title",
        "coordinator",
        "starts_on",
        "ends_on",
        "days_budget",
    ]

    def __init__(self, *args, programmes, beneficiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["beneficiary"].queryset = beneficiaries
