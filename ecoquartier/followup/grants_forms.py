"""Forms of the grants section: a grant, a budget line, an instalment request, a decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DsfrForm
from ecoquartier.core.uploads import UploadField
from ecoquartier.followup.grants import MAX_DOCUMENTS
from ecoquartier.followup.models import SIRET, Grant, Instalment

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}
MONEY = {"max_digits": 12, "decimal_places": 2}


class GrantForm(DsfrForm):
    funder = forms.ModelChoiceField(label=_("Financeur"), queryset=None)
    budget_line = forms.ModelChoiceField(
        label=_("Ligne budgétaire"), queryset=None, required=False,
        help_text=_("Les enveloppes du programme (page « Budget du programme »)."),
    )  # fmt: skip
    purpose = forms.CharField(label=_("Objet"), max_length=500)
    eligible_costs = forms.CharField(
        label=_("Dépenses éligibles"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    amount = forms.DecimalField(label=_("Montant (€)"), min_value=0, **MONEY)
    rate = forms.DecimalField(
        label=_("Taux de subvention (%)"), min_value=0, max_value=100, max_digits=5,
        decimal_places=2, required=False, help_text=_("Part des dépenses éligibles financée."),
    )  # fmt: skip
    nature = forms.ChoiceField(label=_("Nature"), choices=Grant.Nature.choices)
    payment = forms.ChoiceField(label=_("Conditions de versement"), choices=Grant.Payment.choices)
    decision_reference = forms.CharField(
        label=_("Référence de la décision"), max_length=100, required=False
    )
    convention_date = forms.DateField(
        label=_("Date de la convention"), required=False,
        help_text=_("Une subvention est publiée en données ouvertes une fois sa convention datée."),
        **DATE,
    )  # fmt: skip
    funder_siret = forms.CharField(
        label=_("SIRET du financeur"), max_length=14, required=False, validators=[SIRET],
        help_text=_("14 chiffres ; requis pour la publication en données ouvertes."),
    )  # fmt: skip
    beneficiary_siret = forms.CharField(
        label=_("SIRET du bénéficiaire"), max_length=14, required=False, validators=[SIRET],
        help_text=_("14 chiffres."),
    )  # fmt: skip

    def __init__(self, *args, funders, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders
        self.fields["budget_line"].queryset = budget_lines


class BudgetLineForm(DsfrForm):
    funder = forms.ModelChoiceField(label=_("Financeur"), queryset=None)
    label = forms.CharField(label=_("Ligne budgétaire"), max_length=200)
    year = forms.IntegerField(label=_("Exercice"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Enveloppe (€)"), min_value=0, **MONEY)

    def __init__(self, *args, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(UploadField):
    """Several supporting documents, each checked like the model's field."""

    def __init__(self, **kwargs):
        super().__init__("evidence", **kwargs)
        self.widget = MultipleFileInput(attrs=self.widget.attrs)

    def clean(self, data, initial=None):
        uploads = (
            [d for d in data if d] if isinstance(data, list | tuple) else [data] if data else []
        )
        if len(uploads) > MAX_DOCUMENTS:
            raise forms.ValidationError(_("Joignez au plus %(n)s fichiers.") % {"n": MAX_DOCUMENTS})
        if not uploads:
            raise forms.ValidationError(_("Joignez au moins une pièce justificative."))
        return [super(DocumentsField, self).clean(upload, initial) for upload in uploads]


class InstalmentRequestForm(DsfrForm):
    grant = forms.ModelChoiceField(label=_("Subvention"), queryset=None)
    kind = forms.ChoiceField(label=_("Nature du versement"), choices=Instalment.Kind.choices)
    amount = forms.DecimalField(label=_("Montant demandé (€)"), min_value=0, **MONEY)
    documents = DocumentsField(label=_("Pièces justificatives"))

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = grants
        if len(grants) == 1:
            self.fields["grant"].initial = grants[0]


class DecisionForm(forms.Form):
    """What a transition's button carries: the version seen, the date paid, the reason."""

    version = forms.IntegerField(required=False)
    paid_on = forms.DateField(required=False)
    comment = forms.CharField(max_length=2000, required=False)
