"""Forms of the roadmap section: the assessment whose gaps become actions, and an action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DateInput, DsfrForm
from ecoquartier.followup.models import RoadmapAction


class ConvertForm(DsfrForm):
    assessment = forms.TypedChoiceField(label=_("Évaluation"), coerce=int)

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [
            (a.pk, f"{a} ({a.assessed_on:%d/%m/%Y}) — {a.open_gaps}") for a in assessments
        ]


class ActionForm(DsfrForm):
    title = forms.CharField(label=_("Action"), max_length=500, widget=forms.Textarea({"rows": 3}))
    owner = forms.CharField(label=_("Pilote"), max_length=200, required=False)
    partners = forms.CharField(label=_("Partenaires"), max_length=500, required=False)
    funding = forms.CharField(
        label=_("Financement"), max_length=500, required=False,
        help_text=_("Financeurs, dispositifs, montants envisagés."),
    )  # fmt: skip
    starts_on = forms.DateField(label=_("Début"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Échéance"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Avancement"), choices=RoadmapAction.Status.choices)

    def __init__(self, *args, status_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if status_only:  # the beneficiary's members say how it goes, nothing else
            for name in list(self.fields):
                if name != "status":
                    del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("L'échéance doit suivre le début."))
        return data
