"""Forms of the « Convention » section: prepare or edit a draft, sign for a party. They parse;
`followup.conventions` decides."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DateInput, DsfrForm
from ecoquartier.core.uploads import UploadField
from ecoquartier.followup.conventions import FIELDS, STATE_PARTY_KINDS
from ecoquartier.followup.models import ConventionParty
from ecoquartier.organisations.models import Organisation

Role = ConventionParty.Role
Kind = Organisation.Kind
OPERATOR_KINDS = (Kind.PUBLIC_OPERATOR, Kind.DDT, Kind.DREAL, Kind.OTHER, Kind.DESIGN_TEAM)
COFUNDER_KINDS = (Kind.REGION, Kind.DEPARTEMENT, Kind.EPCI, Kind.PUBLIC_OPERATOR, Kind.DREAL,
                  Kind.DDT, Kind.DGALN, Kind.DEVELOPER, Kind.OTHER)  # fmt: skip
# (prefix of the form's fields, role, label of the organisation field, required)
PARTY_ROWS = (
    ("beneficiary", Role.BENEFICIARY, _("Collectivité bénéficiaire"), True),
    ("state", Role.STATE, _("État : service représentant le préfet (DDT(M), DREAL)"), False),
    ("operator", Role.OPERATOR, _("Opérateur de l'accompagnement"), False),
    ("cofunder_1", Role.COFUNDER, _("Cofinanceur"), False),
    ("cofunder_2", Role.COFUNDER, _("Autre cofinanceur"), False),
)


class ConventionForm(DsfrForm):
    object = forms.CharField(
        label=_("Objet"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives = forms.CharField(
        label=_("Objectifs"), max_length=8000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    starts_on = forms.DateField(
        label=_("Prise d'effet"), widget=DateInput(), help_text=_("Format attendu : JJ/MM/AAAA.")
    )
    duration_months = forms.IntegerField(label=_("Durée (mois)"), min_value=1, max_value=240)
    days_budget = forms.DecimalField(
        label=_("Jours d'expertise"), min_value=0, max_digits=6, decimal_places=1,
        help_text=_("Par exemple 36 jours sur 3 ans ; les demi-journées comptent 0,5."),
    )  # fmt: skip
    amount = forms.DecimalField(
        label=_("Montant (€)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )

    def __init__(self, *args, follow_up, **kwargs):
        super().__init__(*args, **kwargs)
        beneficiaries = Organisation.objects.filter(
            pk__in=[
                follow_up.beneficiary_id,
                *follow_up.project.holders.values_list("pk", flat=True),
            ]
        )
        querysets = {
            "beneficiary": beneficiaries,
            "state": Organisation.objects.filter(kind__in=STATE_PARTY_KINDS),
            "operator": Organisation.objects.filter(kind__in=OPERATOR_KINDS),
        }
        for prefix, _role, label, required in PARTY_ROWS:
            queryset = querysets.get(prefix) or Organisation.objects.filter(kind__in=COFUNDER_KINDS)
            self.fields[prefix] = forms.ModelChoiceField(
                label=label, queryset=queryset.order_by("name"), required=required
            )
            self.fields[f"{prefix}_signatory"] = forms.CharField(
                label=format_lazy("{} — {}", label, _("nom et qualité du signataire")),
                max_length=200, required=required,
                help_text=_("Par exemple : Jeanne Martin, maire."),
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        for prefix, _role, _label, _required in PARTY_ROWS:
            if data.get(prefix) and not data.get(f"{prefix}_signatory"):
                self.add_error(f"{prefix}_signatory", _("Nommez le signataire de cette partie."))
        return data

    def values(self):
        return {name: self.cleaned_data.get(name) for name in FIELDS}

    def parties(self):
        return [
            {"role": role, "organisation": self.cleaned_data.get(prefix),
             "signatory": self.cleaned_data.get(f"{prefix}_signatory", "")}
            for prefix, role, _label, _required in PARTY_ROWS
            if self.cleaned_data.get(prefix) is not None
        ]  # fmt: skip

    @staticmethod
    def initial_for(follow_up, convention=None):
        """The form's initial data: the convention's, or the follow-up's defaults."""
        if convention is None:
            initial = {
                "object": _("Accompagnement du projet « %(project)s » dans le cadre du programme "
                            "« %(programme)s ».") % {"project": follow_up.project.name,
                                                     "programme": follow_up.programme.name},
                "starts_on": follow_up.starts_on, "duration_months": 36,
                "days_budget": follow_up.days_budget, "beneficiary": follow_up.beneficiary_id,
                "operator": follow_up.coordinator_id,
            }  # fmt: skip
            return initial
        initial = {name: getattr(convention, name) for name in FIELDS}
        cofunders = iter(("cofunder_1", "cofunder_2"))
        for party in convention.parties.all():
            prefix = party.role if party.role != Role.COFUNDER else next(cofunders, None)
            if prefix:
                initial[prefix] = party.organisation_id
                initial[f"{prefix}_signatory"] = party.signatory
        return initial


class SignForm(DsfrForm):
    party = forms.ModelChoiceField(label=_("Vous signez pour"), queryset=None, empty_label=None)
    signed_on = forms.DateField(
        label=_("Date de la signature"), widget=DateInput(),
        help_text=_("Format attendu : JJ/MM/AAAA."),
    )  # fmt: skip
    scan = UploadField("charter", label=_("Exemplaire signé (scan)"))

    def __init__(self, *args, parties, **kwargs):
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["party"].label_from_instance = lambda party: (
            f"{party.organisation} — {party.get_role_display()}"
        )
