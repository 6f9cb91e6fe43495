"""Forms of the « Jalons et livrables » section and of a programme's phase plan."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DateInput, DsfrForm
from ecoquartier.core.uploads import UploadField

DATE = DateInput()


class MilestoneForm(DsfrForm):
    title = forms.CharField(label=_("Jalon"), max_length=200)
    due_on = forms.DateField(label=_("Échéance"), widget=DATE)
    reached = forms.BooleanField(label=_("Jalon atteint"), required=False)

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["reached"]


class DeliverableForm(DsfrForm):
    title = forms.CharField(label=_("Livrable"), max_length=250)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea({"rows": 3})
    )
    due_on = forms.DateField(label=_("Échéance"), widget=DATE)
    milestone = forms.ModelChoiceField(label=_("Jalon"), queryset=None, required=False)
    owner = forms.ModelChoiceField(
        label=_("Responsable"),
        queryset=None,
        required=False,
        help_text=_("Par défaut, la collectivité accompagnée."),
    )

    def __init__(self, *args, milestones, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones
        self.fields["owner"].queryset = owners


class UploadForm(DsfrForm):
    prefix = "depot"  # unique ids beside the review form on the same page
    file = UploadField("evidence", label=_("Fichier du livrable"))
    comment = forms.CharField(
        label=_("Commentaire"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Ce qui a changé depuis la version précédente, par exemple."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(DsfrForm):
    prefix = "avis"
    DECISIONS = (
        ("accept", _("Accepter le livrable")),
        ("request_changes", _("Demander des modifications")),
    )
    decision = forms.ChoiceField(label=_("Décision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Commentaire"),
        max_length=2000,
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("Obligatoire pour demander des modifications."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "request_changes" and not data.get("comment", "").strip():
            self.add_error("comment", _("Dites ce qu'il faut modifier."))
        return data


class DueFilterForm(DsfrForm):
    late = forms.BooleanField(label=_("En retard seulement"), required=False)
    region = forms.ModelChoiceField(
        label=_("Région de l'accompagnement"), queryset=None, required=False
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class PhaseForm(DsfrForm):
    title = forms.CharField(label=_("Phase"), max_length=200)
    offset_months = forms.IntegerField(
        label=_("Échéance (mois après le début)"), min_value=0, max_value=240
    )
    deliverables = forms.CharField(
        label=_("Livrables attendus"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Un livrable par ligne."),
    )

    def clean_deliverables(self):
        lines = self.cleaned_data["deliverables"].splitlines()
        titles = [line.strip()[:250] for line in lines if line.strip()]
        return titles


PhaseFormSet = formset_factory(PhaseForm, extra=2, can_delete=True, max_num=30, validate_max=True)
