"""Forms of the label pages: parse and validate input, then views call the services."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DsfrFormMixin
from ecoquartier.core.uploads import UploadField
from ecoquartier.labels.models import CommissionSession, Deliberation, LabelFile

CHARTER_VERSIONS = [("Charte ÉcoQuartier 2023", _("Charte ÉcoQuartier (version 2023)"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CharterForm(DsfrFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Collectivité signataire"), queryset=None, empty_label=None
    )
    text_version = forms.ChoiceField(label=_("Texte de la charte"), choices=CHARTER_VERSIONS)
    signatory_name = forms.CharField(label=_("Nom du signataire"), max_length=150)
    signatory_office = forms.CharField(
        label=_("Qualité du signataire"),
        max_length=150,
        help_text=_("Par exemple : maire, président de l'intercommunalité."),
    )
    deliberation_date = forms.DateField(
        label=_("Date de la délibération du conseil"),
        widget=DateInput(),
        help_text=_("Format attendu : JJ/MM/AAAA."),
    )
    document = UploadField("charter", label=_("Charte signée ou délibération"))
    commitment = forms.BooleanField(
        label=_("La collectivité s'engage à respecter les principes de la charte ÉcoQuartier."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ApplyForm(DsfrFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation candidate"), queryset=None, empty_label=None
    )
    target_stage = forms.ModelChoiceField(label=_("Étape visée"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, stages, commitments, prefill, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["target_stage"].queryset = stages
        for commitment in commitments:
            self.fields[f"engagement-{commitment.number}"] = forms.CharField(
                label=str(commitment),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=3000,
                initial=prefill.get(commitment.number, ""),
                help_text=_(
                    "Prérempli depuis la dernière auto-évaluation du projet, s'il y en a une."
                ),
            )

    def commitments(self):
        return {
            int(name.split("-", 1)[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("engagement-")
        }

    def commitment_fields(self):
        return [self[name] for name in self.fields if name.startswith("engagement-")]


class IndicatorCommentForm(DsfrFormMixin, forms.Form):
    """An expert's comment on one indicator of the file's performance check."""

    indicator = forms.ModelChoiceField(label=_("Indicateur commenté"), queryset=None)
    text = forms.CharField(
        label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].label_from_instance = lambda i: f"{i.code} — {i.name}"


class ExpertsForm(DsfrFormMixin, forms.Form):
    coordinator = forms.ModelChoiceField(label=_("Expert coordinateur"), queryset=None)
    second = forms.ModelChoiceField(label=_("Second expert"), queryset=None)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer(experts)
        for name in ("coordinator", "second"):
            self.fields[name].label_from_instance = _expert_label

    def offer(self, experts):
        """The experts both lists offer (and accept)."""
        for name in ("coordinator", "second"):
            self.fields[name].queryset = experts


def _expert_label(user):
    return f"{user.get_full_name() or user.email} ({user.email})"


class VisitForm(DsfrFormMixin, forms.Form):
    visit_on = forms.DateField(label=_("Date de la visite de site"), widget=DateInput())


class OpinionForm(DsfrFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("Avis des experts"), choices=LabelFile.Verdict.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(label=_("Avis motivé"), widget=forms.Textarea(attrs={"rows": 5}))


class SessionForm(DsfrFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Service organisateur"), queryset=None, empty_label=None
    )
    level = forms.ChoiceField(label=_("Commission"), choices=CommissionSession.Level.choices)
    held_on = forms.DateField(label=_("Date de la séance"), widget=DateInput())
    members = forms.CharField(
        label=_("Membres"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un membre par ligne."),
    )

    def __init__(self, *args, organisations, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["level"].choices = [
            c for c in CommissionSession.Level.choices if c[0] in levels
        ]


class DeliberationForm(DsfrFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Décision"), widget=forms.RadioSelect)
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 3}))
    support_offer = forms.CharField(
        label=_("Accompagnement proposé (en cas d'ajournement)"), max_length=300, required=False
    )
    support_provider = forms.CharField(
        label=_("Accompagnement assuré par"), max_length=200, required=False
    )
    decision_reference = forms.CharField(
        label=_("Référence de la décision"),
        max_length=100,
        required=False,
        help_text=_("Laissée vide, elle est attribuée automatiquement."),
    )

    def __init__(self, *args, national, **kwargs):
        super().__init__(*args, **kwargs)
        outcomes = Deliberation.NATIONAL_OUTCOMES if national else Deliberation.LOCAL_OUTCOMES
        self.fields["outcome"].choices = [(o.value, o.label) for o in outcomes]
        if national:
            del self.fields["support_offer"], self.fields["support_provider"]
        else:
            del self.fields["decision_reference"]


class MinutesForm(DsfrFormMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu de la séance"), widget=forms.Textarea(attrs={"rows": 6})
    )


class UsePhaseForm(DsfrFormMixin, forms.Form):
    key_events = forms.CharField(
        label=_("Événements marquants depuis la livraison"), widget=forms.Textarea, required=False
    )
    priority_objectives = forms.CharField(
        label=_("Objectifs prioritaires"), widget=forms.Textarea, required=False
    )
    residents_feedback = forms.CharField(
        label=_("Retours des habitants"), widget=forms.Textarea, required=False
    )
    managers_feedback = forms.CharField(
        label=_("Retours des gestionnaires"), widget=forms.Textarea, required=False
    )
    leverage_effect = forms.CharField(
        label=_("Effet levier sur le territoire"), widget=forms.Textarea, required=False
    )


class CampaignForm(DsfrFormMixin, forms.Form):
    """The annual campaign opened by the label's programme managers: its year, when files are
    accepted from, the stages open and the calendar (services.CALENDAR)."""

    year = forms.IntegerField(label=_("Année de la campagne"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(
        label=_("Ouverture du dépôt des dossiers"),
        widget=DateInput(),
        required=False,
        help_text=_("Laissée vide, la campagne est ouverte dès sa création."),
    )
    stages = forms.ModelMultipleChoiceField(
        label=_("Étapes ouvertes"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une étape.")},
    )

    def __init__(self, *args, stages, calendar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stages"].queryset = stages
        self.fields["stages"].initial = list(stages)
        self.calendar_keys = [key for key, _kind, _label in calendar]
        for key, _kind, label in calendar:
            self.fields[key] = forms.DateField(label=label, widget=DateInput())

    def calendar_fields(self):
        return [self[key] for key in self.calendar_keys]

    def clean(self):
        data = super().clean()
        deadline = data.get("file_deadline")
        if deadline and deadline < timezone.localdate():
            self.add_error(
                "file_deadline", _("La date limite de dépôt des dossiers est déjà passée.")
            )
        opens_on = data.get("opens_on")
        if opens_on and deadline and opens_on > deadline:
            self.add_error(
                "opens_on", _("L'ouverture doit précéder la date limite de dépôt des dossiers.")
            )
        return data

    def calendar(self):
        """{key: the day's end, Paris time} for the service."""
        return {key: end_of_day(self.cleaned_data[key]) for key in self.calendar_keys}

    def opens_at(self):
        day = self.cleaned_data.get("opens_on")
        return start_of_day(day) if day else None


def end_of_day(day):
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time(0, 0)))
