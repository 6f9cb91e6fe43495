"""Forms of the support days: logging (or changing) an activity, filing an expertise request and
answering one. They parse; `followup.days` decides."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DateInput, DsfrForm
from ecoquartier.followup.days import MAX_HALF_DAYS
from ecoquartier.followup.models import Deliverable, Domain, ExpertiseRequest, SupportActivity
from ecoquartier.referentiel.models import Commitment

DATE = {"widget": DateInput()}


class ExpertChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class CommitmentChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ActivityForm(DsfrForm):
    date = forms.DateField(label=_("Date"), **DATE)
    expert = ExpertChoice(label=_("Expert"), queryset=None, empty_label=None)
    half_days = forms.TypedChoiceField(
        label=_("Durée"),
        coerce=int,
        choices=[
            (
                n,
                _("%(n)d demi-journée(s) — %(days)s j")
                % {"n": n, "days": f"{n / 2:g}".replace(".", ",")},
            )
            for n in range(1, MAX_HALF_DAYS + 1)
        ],
        help_text=_("Une demi-journée compte 0,5 jour."),
    )
    domain = forms.ChoiceField(label=_("Domaine"), choices=Domain.choices)
    kind = forms.ChoiceField(label=_("Type d'intervention"), choices=SupportActivity.Kind.choices)
    commitments = CommitmentChoice(
        label=_("Engagements du référentiel servis"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deliverable = forms.ModelChoiceField(
        label=_("Livrable lié"), queryset=None, required=False, empty_label=_("Aucun")
    )
    request = forms.ModelChoiceField(
        label=_("Demande d'expertise servie"),
        queryset=None,
        required=False,
        empty_label=_("Aucune"),
        help_text=_("Une demande acceptée devient planifiée."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, follow_up, actor, current_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        team = Q(followed_supports=follow_up) | Q(pk=actor.pk)
        self.fields["expert"].queryset = (
            get_user_model().objects.filter(team).distinct().order_by("last_name", "first_name")
        )
        self.fields["commitments"].queryset = Commitment.objects.filter(
            dimension__version__is_current=True
        ).order_by("number")
        self.fields["deliverable"].queryset = Deliverable.objects.filter(follow_up=follow_up)
        requests = Q(state__in=(ExpertiseRequest.State.ACCEPTED, ExpertiseRequest.State.PLANNED))
        if current_request is not None:
            requests |= Q(pk=current_request.pk)
        self.fields["request"].queryset = ExpertiseRequest.objects.filter(
            requests, follow_up=follow_up
        )


class RequestForm(DsfrForm):
    subject = forms.CharField(label=_("Objet de la demande"), max_length=300)
    domain = forms.ChoiceField(label=_("Domaine"), choices=Domain.choices)
    wished_on = forms.DateField(label=_("Date souhaitée"), required=False, **DATE)
    details = forms.CharField(
        label=_("Précisions"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class AnswerForm(DsfrForm):
    answer = forms.CharField(
        label=_("Réponse"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour décliner la demande."),
    )  # fmt: skip
