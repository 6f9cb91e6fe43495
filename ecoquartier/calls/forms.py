"""Forms of the aid finder, the alerts and the call editor: they parse and check input;
search.py and services.py decide."""

from datetime import datetime, time
from hashlib import sha256
from zoneinfo import ZoneInfo

from django import forms
from django.core.cache import cache
from django.forms import inlineformset_factory
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ecoquartier.calls.models import (
    SECTIONS,
    Call,
    CallBenefit,
    CallDocument,
    CallPriorityTheme,
    CallStep,
    Programme,
)
from ecoquartier.calls.permissions import ownable_organisations
from ecoquartier.calls.search import FinderQuery
from ecoquartier.core.forms import DsfrForm, DsfrModelForm, FixedChoiceField, StyledOnceMixin
from ecoquartier.core.reference import ReferenceList
from ecoquartier.core.uploads import UploadField
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Project, Theme
from ecoquartier.territories.forms import TerritoryChoiceField

PARIS = ZoneInfo("Europe/Paris")
# A deadline given as a bare date means the end of that day in Paris.
END_OF_DAY = time(23, 59)


def _themes():
    return Theme.objects.filter(kind=Theme.Kind.THEME)


# Every finder page lists the themes: cached, forgotten when a theme changes (core/reference.py).
theme_choices = ReferenceList(
    "calls:finder-themes", lambda: list(_themes().values_list("slug", "label")), models=[Theme]
)


class ThemeChoiceField(forms.ChoiceField):
    """An optional theme, by slug: the Theme, or None. Its choices come from the cache, so a
    finder page runs no query for them; only a chosen theme is read (as ModelChoiceField did)."""

    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"],
    }

    def __init__(self, *, empty_label, **kwargs):
        super().__init__(choices=lambda: [("", empty_label), *theme_choices()], **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        theme = _themes().filter(slug=str(value)).first()
        if theme is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], "invalid_choice")
        return theme

    def validate(self, value):
        forms.Field.validate(self, value)


# --- Aid finder -------------------------------------------------------------------------------


class FinderForm(StyledOnceMixin, DsfrForm):
    """The finder's filters. Field names are the French URL parameters, so that a results page
    can be shared or saved as an alert."""

    q = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : friche, ÉcoQuartier, entrée de ville"),
    )
    territoire = TerritoryChoiceField(
        label=_("Territoire"),
        required=False,
        help_text=_("Votre commune, intercommunalité, département ou région"),
    )
    public = FixedChoiceField(
        label=_("Type d'organisation"),
        required=False,
        choices=[("", _("Tous"))] + Organisation.Kind.choices,
    )
    avancement = FixedChoiceField(
        label=_("État d'avancement du projet"),
        required=False,
        choices=[("", _("Tous"))] + Project.Stage.choices,
    )
    thematique = ThemeChoiceField(label=_("Thématique"), required=False, empty_label=_("Toutes"))
    avantage = FixedChoiceField(
        label=_("Type d'aide"),
        required=False,
        choices=[("", _("Tous"))] + CallBenefit.Kind.choices,
    )
    avant = forms.DateField(
        label=_("Date limite au plus tard le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date, par exemple 31/12/2026.")},
    )
    clos = forms.BooleanField(label=_("Inclure les appels clos et archivés"), required=False)

    PARAMETERS = ["q", "territoire", "public", "avancement", "thematique", "avantage", "avant"]

    def to_query(self):
        data = self.cleaned_data
        return FinderQuery(
            territory=data.get("territoire"),
            audience=data.get("public") or "",
            stage=data.get("avancement") or "",
            theme=data.get("thematique"),
            benefit=data.get("avantage") or "",
            closes_before=data.get("avant"),
            text=(data.get("q") or "").strip(),
            include_closed=bool(data.get("clos")),
        )

    def querystring(self):
        """The search as normalised URL parameters: the key of a saved alert, and the base of
        shareable result URLs."""
        data = self.cleaned_data
        values = {
            "q": (data.get("q") or "").strip(),
            "territoire": data["territoire"].token if data.get("territoire") else "",
            "public": data.get("public"),
            "avancement": data.get("avancement"),
            "thematique": data["thematique"].slug if data.get("thematique") else "",
            "avantage": data.get("avantage"),
            "avant": data["avant"].isoformat() if data.get("avant") else "",
            "clos": "1" if data.get("clos") else "",
        }
        return urlencode([(key, value) for key, value in values.items() if value])


FIELD_CACHE_SECONDS = 600


def render_filter_fields(form, version=None):
    """The finder form's field groups, in order, as one string: what `{% for field in form %}
    {{ field.as_field_group }}{% endfor %}` renders. Given a `version` (calls/visitors.py: the
    data generations and the next change), the group of a field with no error and a value from
    a short list (a choice, a box, or nothing typed) is cached under it and that value: most
    searches share them, and a select of themes or organisation kinds costs more to render than
    the search's query. What visitors type (words, a territory, a date) changes only the
    widget: the group around it (label, hints) is cached as the two strings on either side of
    the widget, which alone is rendered each time."""
    fields = list(form)
    keys, frames = {}, {}
    if version is not None:
        prefix = f"calls:finder-field:{get_language()}:{version}:"
        for field in fields:
            if field.errors:
                continue
            value = field.value()
            if _bounded(field.field) or value in field.field.empty_values:
                keys[field.name] = f"{prefix}{field.name}:{value!r}"
            else:
                frames[field.name] = f"{prefix}{field.name}:frame"
    found = cache.get_many([*keys.values(), *frames.values()]) if keys or frames else {}
    parts, missing = [], {}
    for field in fields:
        key = keys.get(field.name)
        html = found.get(key) if key else None
        if html is None and field.name in frames:
            html = _framed(field, frames[field.name], found, missing)
        if html is None:
            html = str(field.as_field_group())
            if key:
                missing[key] = html
        parts.append(html)
    if missing:
        cache.set_many(missing, FIELD_CACHE_SECONDS)
    return mark_safe("".join(parts))


FIELDS_SLOT = mark_safe("<!--eq-finder-fields-->")
_FILTERS_FRAMES = {}


def render_filters(form, version=None):
    """The filters block (calls/includes/finder_filters.html) with the fields
    (`render_filter_fields`): the template around them is rendered once per language, notice of
    errors or not, and URL prefix, then only filled."""
    key = (get_language(), bool(form.errors), get_script_prefix())
    if key not in _FILTERS_FRAMES:
        html = render_to_string(
            "calls/includes/finder_filters.html", {"form": form, "fields": FIELDS_SLOT}
        )
        before, _slot, after = html.partition(FIELDS_SLOT)
        _FILTERS_FRAMES[key] = (before, after)
    before, after = _FILTERS_FRAMES[key]
    return mark_safe(before + render_filter_fields(form, version) + after)


def _framed(field, key, found, missing):
    """The group of `field` from its cached frame and its widget rendered now; the first time,
    the group rendered whole, its frame kept when the widget stands in it exactly once."""
    widget = str(field.as_widget())
    frame = found.get(key)
    if frame is not None:
        before, after = frame
        return before + widget + after
    html = str(field.as_field_group())
    if html.count(widget) == 1:
        before, _widget, after = html.partition(widget)
        missing[key] = (before, after)
    return html


def _bounded(field):
    """Does `field` take its values from a short list?"""
    return isinstance(field, forms.ChoiceField | forms.BooleanField)


class AlertForm(DsfrForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Format attendu : nom@domaine.fr"),
        error_messages={
            "required": _("Indiquez l'adresse à laquelle envoyer l'alerte."),
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@domaine.fr."),
        },
    )
    recherche = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        """Re-validate the saved search: an alert must hold a search the finder accepts. The
        error is the form's own: the search is a hidden field."""
        cleaned = super().clean()
        finder = FinderForm(QueryDict(cleaned.get("recherche") or ""))
        if not finder.is_valid():
            raise forms.ValidationError(_("La recherche à enregistrer n'est pas valide."))
        self.finder = finder
        cleaned["recherche"] = finder.querystring()
        return cleaned


SEARCH_PLACEHOLDER = "eq-alert-search"


def render_alert_form(email, search):
    """What `{{ AlertForm(initial={"email": email, "recherche": search}) }}` renders, from the
    markup of that form with a placeholder for the search, made once per language and address
    (an unbound form's markup depends on nothing else; the search goes in escaped, as the
    hidden input's template escapes it)."""
    digest = sha256(email.encode()).hexdigest()[:32]
    key = f"calls:alert-form:{get_language()}:{digest}:{'1' if search else '0'}"
    markup = cache.get(key)
    if markup is None:
        # An empty search renders no value attribute: that markup has a key of its own.
        placeholder = SEARCH_PLACEHOLDER if search else ""
        markup = str(AlertForm(initial={"email": email, "recherche": placeholder}))
        cache.set(key, markup, FIELD_CACHE_SECONDS)
    return mark_safe(markup.replace(SEARCH_PLACEHOLDER, escape(search)))


# --- Call editor ------------------------------------------------------------------------------


class ParisDateTimeWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        widgets = [
            forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            forms.TimeInput(attrs={"type": "time", "aria-label": _("Heure (heure de Paris)")}),
        ]
        super().__init__(widgets, attrs)

    def id_for_label(self, id_):
        # The field's label names the date input; the time input has its own aria-label.
        return f"{id_}_0" if id_ else id_

    def decompress(self, value):
        if not value:
            return [None, None]
        local = value.astimezone(PARIS)
        return [local.date(), local.time().replace(second=0, microsecond=0)]


class ParisDateTimeField(forms.MultiValueField):
    """A date and an optional time, in Europe/Paris whatever the server's zone; a bare date
    means 23:59 that day."""

    widget = ParisDateTimeWidget

    def __init__(self, **kwargs):
        fields = [
            forms.DateField(error_messages={"invalid": _("Saisissez une date valide.")}),
            forms.TimeField(
                required=False, error_messages={"invalid": _("Saisissez une heure valide.")}
            ),
        ]
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.error_messages["incomplete"] = _("Saisissez au moins la date.")

    def compress(self, data_list):
        if not data_list or data_list[0] is None:
            return None
        day, hour = data_list[0], data_list[1] or END_OF_DAY
        return datetime.combine(day, hour, tzinfo=PARIS)


class ProgrammeForm(DsfrModelForm):
    website = forms.URLField(label=_("Site internet"), required=False, assume_scheme="https")

    class Meta:
        model = Programme
        fields = ["kind", "name", "owner", "partners", "description", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = ownable_organisations(user, Organisation.objects.all())
        # Partners are institutions, never the thousands of communes.
        self.fields["partners"].queryset = Organisation.objects.exclude(
            kind=Organisation.Kind.COMMUNE
        )
        self.fields["partners"].required = False


class CallForm(DsfrModelForm):
    perimeter = TerritoryChoiceField(
        label=_("Périmètre"),
        help_text=_("Le territoire couvert : France, région, département, EPCI ou commune."),
        error_messages={"required": _("Indiquez le périmètre de l'appel (par exemple FR).")},
    )
    opens_at = ParisDateTimeField(
        label=_("Ouverture des candidatures (optionnel)"),
        required=False,
        help_text=_("Date et heure de Paris. Sans date, l'appel est ouvert dès sa publication."),
    )
    audience_kinds = forms.MultipleChoiceField(
        label=_("Organisations qui peuvent candidater"),
        required=False,
        choices=Organisation.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : toutes les organisations."),
    )
    project_stages = forms.MultipleChoiceField(
        label=_("États d'avancement acceptés"),
        required=False,
        choices=Project.Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : tous les états d'avancement."),
    )
    eligible_themes = forms.ModelMultipleChoiceField(
        label=_("Thématiques exigées"),
        required=False,
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le projet doit porter sur au moins une des thématiques cochées."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Call
        fields = [
            "kind",
            "title",
            "original_title",
            "summary",
            *(name for name, _label in SECTIONS),
            "perimeter",
            "opens_at",
            "capacity",
            "capacity_note",
            "audience_kinds",
            "population_min",
            "population_max",
            "project_stages",
            "requires_planning_competence",
            "eligible_themes",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 6}) for name, _label in SECTIONS},
        }
        labels = {"title": _("Titre de l'appel")}
        error_messages = {
            "title": {"required": _("Donnez un titre à l'appel.")},
            "kind": {"required": _("Choisissez le type d'appel.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligible_themes"].queryset = _themes()
        self.fields["version"].initial = self.instance.version
        for name, _label in SECTIONS:
            self.fields[name].help_text = _("Markdown : « - » pour une liste, **gras**, liens.")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("population_min"), cleaned.get("population_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "population_max",
                _("La population maximale doit être supérieure ou égale à la minimale."),
            )
        return cleaned


class CallStepForm(DsfrModelForm):
    deadline = ParisDateTimeField(
        label=_("Date limite"),
        help_text=_("Heure de Paris ; sans heure, la date limite est à 23 h 59."),
        error_messages={"required": _("Indiquez la date limite de cette étape.")},
    )

    class Meta:
        model = CallStep
        fields = ["kind", "label", "deadline", "description"]


class CallBenefitForm(DsfrModelForm):
    class Meta:
        model = CallBenefit
        fields = [
            "kind",
            "days",
            "amount",
            "rate",
            "period_months",
            "engineering_kind",
            "description",
        ]

    REQUIRED_BY_KIND = {
        CallBenefit.Kind.SUPPORT_DAYS: (
            ("days",),
            _("Indiquez le nombre de jours d'accompagnement."),
        ),
        CallBenefit.Kind.GRANT: (
            ("amount", "rate"),
            _("Indiquez un montant ou un taux de subvention."),
        ),
        CallBenefit.Kind.TEAM_FUNDING: (
            ("amount",),
            _("Indiquez le montant du financement de l'équipe."),
        ),
        CallBenefit.Kind.ENGINEERING: (
            ("engineering_kind", "description"),
            _("Précisez la nature de l'ingénierie apportée."),
        ),
    }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in self.REQUIRED_BY_KIND:
            fields, message = self.REQUIRED_BY_KIND[kind]
            if not any(cleaned.get(name) not in (None, "") for name in fields):
                self.add_error(fields[0], message)
        return cleaned


class CallPriorityThemeForm(DsfrModelForm):
    class Meta:
        model = CallPriorityTheme
        fields = ["theme", "bonus", "note"]
        labels = {"theme": _("Thématique")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = _themes()


class CallDocumentForm(DsfrModelForm):
    file = UploadField("call_document", label=_("Fichier"), required=False)
    url = forms.URLField(label=_("Lien"), required=False, assume_scheme="https")

    class Meta:
        model = CallDocument
        fields = ["title", "file", "url"]
        labels = {"title": _("Titre du document")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.file:
            # The input does not show the stored file: say which one is kept unless replaced.
            current = self.instance.file.name.rsplit("/", 1)[-1]
            self.fields["file"].help_text = _("Fichier actuel : %(name)s. %(formats)s") % {
                "name": current,
                "formats": self.fields["file"].help_text,
            }

    def clean(self):
        cleaned = super().clean()
        refused = "file" in self.errors  # a refused file already says why
        if not cleaned.get("file") and not cleaned.get("url") and not refused:
            self.add_error("file", _("Joignez un fichier ou indiquez un lien."))
        return cleaned


def _inline(form, prefix_label):
    formset = inlineformset_factory(Call, form.Meta.model, form=form, extra=1, can_delete=True)
    formset.legend = prefix_label
    return formset


CallStepFormSet = _inline(CallStepForm, _("Étape"))
CallBenefitFormSet = _inline(CallBenefitForm, _("Avantage"))
CallPriorityThemeFormSet = _inline(CallPriorityThemeForm, _("Thématique prioritaire"))
CallDocumentFormSet = _inline(CallDocumentForm, _("Document"))

# (prefix, formset class, heading) in editor order.
CALL_FORMSETS = [
    ("steps", CallStepFormSet, _("Calendrier : étapes et dates limites")),
    ("benefits", CallBenefitFormSet, _("Ce que reçoivent les lauréats")),
    ("priorities", CallPriorityThemeFormSet, _("Thématiques prioritaires (bonus)")),
    ("documents", CallDocumentFormSet, _("Documents")),
]
