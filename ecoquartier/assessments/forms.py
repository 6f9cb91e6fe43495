"""Forms validate input only; saving goes through services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoquartier.assessments.models import (
    NARRATIVE_MAX_LENGTH,
    SYNTHESIS_MAX_LENGTH,
    Assessment,
    Gap,
    Level,
)
from ecoquartier.core.forms import DsfrForm
from ecoquartier.core.uploads import UploadField
from ecoquartier.organisations.models import Membership


class LongTextField(forms.CharField):
    """Counts a line break as one character, as the browser's counter and `maxlength` do."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class AnswerForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Niveau de maturité"),
        choices=Level.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    narrative = LongTextField(
        label=_("Analyse"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Mise en forme possible : **gras**, *italique*, listes commençant par « - »."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class SynthesisForm(forms.Form):
    text = LongTextField(
        label=_("Synthèse de la dimension"),
        required=False,
        max_length=SYNTHESIS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de la pièce"), max_length=200, required=False)
    file = UploadField("evidence", label=_("Fichier"))


class GapForm(forms.ModelForm):
    class Meta:
        model = Gap
        fields = ["description", "proposal", "priority", "owner", "due_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "proposal": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class CreateAssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'évaluation"))
    title = forms.CharField(label=_("Intitulé"), max_length=200, required=False)
    assessed_on = forms.DateField(
        label=_("Date de l'évaluation"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    lead_expert = forms.ModelChoiceField(
        label=_("Expert référent (expertises)"),
        queryset=None,
        required=False,
        help_text=_("L'expert qui rédigera l'expertise ; il pourra désigner des co-experts."),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in Assessment.Kind.choices if value in kinds
        ]
        if any(kind != Assessment.Kind.SELF_ASSESSMENT for kind in kinds):
            self.fields["lead_expert"].queryset = expert_users()
        else:  # Holders open self-assessments only: no expert to name.
            del self.fields["lead_expert"]

    def clean(self):
        data = super().clean()
        expertise = data.get("kind") not in (None, Assessment.Kind.SELF_ASSESSMENT)
        if expertise and "lead_expert" in self.fields and not data.get("lead_expert"):
            self.add_error("lead_expert", _("Désignez l'expert référent de l'expertise."))
        return data


def expert_users():
    return (
        get_user_model()
        .objects.filter(memberships__role=Membership.Role.EXPERT, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


class ExpertsForm(forms.Form):
    lead_expert = forms.ModelChoiceField(
        label=_("Expert référent"), queryset=expert_users(), required=False
    )
    co_experts = forms.ModelMultipleChoiceField(
        label=_("Co-experts"),
        queryset=expert_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class GapFilterForm(DsfrForm):
    STATUS_CHOICES = [("", _("Tous")), *Gap.Status.choices]

    status = forms.ChoiceField(label=_("Statut"), choices=STATUS_CHOICES, required=False)
    priority = forms.ChoiceField(
        label=_("Priorité"), choices=[("", _("Toutes")), *Gap.Priority.choices], required=False
    )
    owner = forms.ChoiceField(label=_("Responsable"), required=False)
    commitment = forms.TypedChoiceField(
        label=_("Engagement"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, owners, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("Tous"))] + [(o, o) for o in owners]
        self.fields["commitment"].choices = [("", _("Tous"))] + [
            (number, f"{number}. {title}") for number, title in commitments
        ]

    def filter(self, gaps):
        data = self.cleaned_data
        if data.get("status"):
            gaps = gaps.filter(status=data["status"])
        if data.get("priority"):
            gaps = gaps.filter(priority=data["priority"])
        if data.get("owner"):
            gaps = gaps.filter(owner=data["owner"])
        if data.get("commitment"):
            gaps = gaps.filter(answer__commitment__number=data["commitment"])
        return gaps


class CompareForm(forms.Form):
    first = forms.TypedChoiceField(label=_("Première évaluation"), coerce=int)
    second = forms.TypedChoiceField(label=_("Seconde évaluation"), coerce=int)

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.pk, f"{a} ({a.assessed_on:%d/%m/%Y})") for a in assessments]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices
        if len(assessments) > 1:
            # Newest first: propose "the previous one against the latest one".
            self.initial.setdefault("first", assessments[1].pk)
            self.initial.setdefault("second", assessments[0].pk)

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            raise forms.ValidationError(_("Choisissez deux évaluations différentes."))
        return data
