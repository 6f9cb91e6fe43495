"""Territory form fields other apps reuse, and the public search form.

    communes = TerritoryMultipleChoiceField(kinds=("commune",), label=_("Communes"))
    perimeter = TerritoryChoiceField(label=_("Périmètre"))  # any level

Without JavaScript the widget is a text input taking codes separated by commas (INSEE for
communes, départements and régions, SIREN for EPCI; "region:84" when a code is shared by two
levels). With autocomplete.js it becomes a combobox that adds DSFR tags backed by hidden inputs.
Both post the same name, so the field cleans them the same way.
"""

import functools

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import BoundField
from ecoquartier.core.renderers import render_attrs
from ecoquartier.territories.models import Territory
from ecoquartier.territories.services import resolve_tokens, split_tokens


def _kind_labels(kinds):
    return [str(Territory.Kind(kind).label).lower() for kind in kinds or Territory.Kind.values]


class TerritoryWidget(forms.Widget):
    """Rendered in Python (render_picker below): it sits in every filter form, and as a template
    its nine translations and attributes cost more than the rest of a filter form."""

    template_name = None  # See render().

    class Media:
        js = ("territories/autocomplete.js",)
        css = {"all": ("territories/territories.css",)}

    def __init__(self, kinds=(), multiple=True, attrs=None):
        super().__init__(attrs)
        self.kinds = tuple(kinds)
        self.multiple = multiple
        self.queryset = None  # set by the field
        self.resolve = None  # the field's resolve(), which remembers what clean() resolved

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            values = data.getlist(name)
        else:
            values = data.get(name)
            values = values if isinstance(values, list | tuple) else [values]
        return [value for value in values if value]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def selection(self, value):
        """(territories to show as tags, text for the no-JS input). At most one query."""
        items = value if isinstance(value, list | tuple) else [value]
        items = [item for item in items if item not in (None, "")]
        if all(isinstance(item, Territory) for item in items):
            return items, ", ".join(self.display_code(t) for t in items)
        pks = [item for item in items if isinstance(item, int)]
        if pks:  # initial values from a model instance
            territories = self._queryset().filter(pk__in=pks).order_by("name")
            territories = list(territories)
            return territories, ", ".join(self.display_code(t) for t in territories)
        raw = [str(item.token if isinstance(item, Territory) else item) for item in items]
        if self.resolve is not None:  # a bound form: clean() has resolved these codes already
            return self.resolve(raw).territories, ", ".join(raw)
        resolution = resolve_tokens(split_tokens(raw), self.kinds, self._queryset())
        return resolution.territories, ", ".join(raw)

    def display_code(self, territory):
        """The bare code when the field's kinds cannot confuse it, else kind:code."""
        return territory.code if len(self.kinds) == 1 else territory.token

    def _queryset(self):
        return self.queryset if self.queryset is not None else Territory.objects.active()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        territories, text = self.selection(value)
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        query = urlencode([("kind", kind) for kind in self.kinds])
        widget["attrs"]["class"] = "fr-input"
        widget.update(
            {
                "territories": territories,
                "text": text,
                "multiple": self.multiple,
                "base_id": widget_id,
                "search_url": reverse("territories:autocomplete") + (f"?{query}" if query else ""),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        return render_picker(self.get_context(name, value, attrs)["widget"])


# Without JavaScript only the text input is live. autocomplete.js gives its id to the combobox,
# removes it, shows the enhanced part and enables the hidden inputs behind the tags.
PICKER = """\
<div class="eq-picker" data-eq-picker data-multiple="{multiple}" data-name="{name}" \
data-msg-none="{msg_none}" data-msg-some="{msg_some}" data-msg-added="{msg_added}" \
data-msg-removed="{msg_removed}" data-msg-remove="{msg_remove}">
  <input type="text"{attrs} name="{name}" value="{text}" autocomplete="off" spellcheck="false" \
data-eq-picker-fallback>
  <div class="eq-picker__enhanced" data-eq-picker-enhanced hidden>
    <ul class="fr-tags-group eq-picker__tags" data-eq-picker-tags aria-label="{chosen}">{tags}</ul>
    <div class="eq-picker__combobox">
      <input type="text" class="fr-input" role="combobox" aria-autocomplete="list" \
aria-expanded="false" aria-controls="{base_id}-listbox" autocomplete="off" spellcheck="false" \
data-eq-picker-search hx-get="{search_url}" hx-trigger="input changed delay:200ms" \
hx-sync="this:replace" hx-target="#{base_id}-listbox" hx-swap="innerHTML">
      <ul class="eq-picker__listbox" role="listbox" id="{base_id}-listbox" aria-label="{options}" \
hidden></ul>
    </div>
    <p class="fr-sr-only" role="status" data-eq-picker-status></p>
  </div>
</div>"""
TAG = """
      <li>
        <button type="button" class="fr-tag fr-tag--dismiss" aria-label="{remove}" \
data-eq-picker-remove>{label}</button>
        <input type="hidden" name="{name}" value="{token}" disabled>
      </li>"""


def render_picker(widget):
    """The picker's HTML for a widget context (TerritoryWidget.get_context)."""
    name = widget["name"]
    remove = gettext("Retirer %(label)s")
    tags = "".join(
        format_html(
            TAG,
            remove=remove % {"label": territory},
            label=territory,
            name=name,
            token=territory.token,
        )
        for territory in widget["territories"]
    )
    return format_html(
        _picker_template(get_language()),
        multiple="true" if widget["multiple"] else "false",
        name=name,
        attrs=mark_safe(render_attrs(widget["attrs"])),
        text=widget["text"],
        tags=mark_safe(tags),
        base_id=widget["base_id"],
        search_url=widget["search_url"],
    )


@functools.cache
def _picker_template(language):
    """PICKER with its messages in `language` written in, escaped (the same on every page)."""
    messages = {
        "msg_none": gettext("Aucun territoire ne correspond."),
        "msg_some": gettext(
            "{n} proposition(s) : flèches haut et bas pour parcourir, Entrée pour choisir, "
            "Échap pour fermer."
        ),
        "msg_added": gettext("{label} ajouté à la sélection."),
        "msg_removed": gettext("{label} retiré de la sélection."),
        "msg_remove": gettext("Retirer {label}"),
        "chosen": gettext("Territoires choisis"),
        "options": gettext("Propositions"),
    }
    template = PICKER
    for key, message in messages.items():
        # Braces in a message ({n}, {label}) are the script's placeholders: kept literal.
        escaped = str(conditional_escape(message)).replace("{", "{{").replace("}", "}}")
        template = template.replace("{" + key + "}", escaped)
    return template


class TerritoryBoundField(BoundField):
    @property
    def aria_describedby(self):
        """The hints are always there (they say what to type), errors when any."""
        if not self.auto_id:
            return None
        ids = [f"{self.auto_id}_helptext"]
        if self.errors:
            ids.append(f"{self.auto_id}_error")
        return " ".join(ids)


class TerritoryMultipleChoiceField(forms.Field):
    """Several territories of `kinds`; cleans to a list of Territory, in the order given."""

    widget = TerritoryWidget
    bound_field_class = TerritoryBoundField
    multiple = True
    default_error_messages = {
        "unknown": ngettext_lazy(
            "Code inconnu : %(codes)s. Vérifiez-le (niveaux acceptés : %(kinds)s).",
            "Codes inconnus : %(codes)s. Vérifiez-les (niveaux acceptés : %(kinds)s).",
            "count",
        ),
        "ambiguous": _(
            "Code ambigu : %(codes)s. Précisez le niveau, par exemple « region:%(example)s » "
            "ou « departement:%(example)s »."
        ),
        "too_many": _("Choisissez un seul territoire."),
        "max_count": _("Choisissez au plus %(max)s territoires."),
    }

    def __init__(self, kinds=(), *, queryset=None, max_count=None, **kwargs):
        self.kinds = tuple(kinds)
        self.queryset = queryset
        self.max_count = max_count
        kwargs.setdefault("widget", TerritoryWidget(kinds=self.kinds, multiple=self.multiple))
        kwargs.setdefault("template_name", "territories/widgets/territory_field.html")
        super().__init__(**kwargs)
        self.widget.kinds = self.kinds
        self.widget.multiple = self.multiple
        self.widget.queryset = queryset
        self.widget.resolve = self.resolve
        self._resolved = {}

    def fallback_hint(self):
        """What to type when JavaScript is off; the widget hides it once enhanced."""
        if self.multiple:
            return format_lazy(
                _("Saisissez les codes séparés par des virgules ({codes}), par exemple {example}."),
                codes=self._codes_name(),
                example=self._example(", "),
            )
        return format_lazy(
            _("Saisissez un code ({codes}), par exemple {example}."),
            codes=self._codes_name(),
            example=self._example(),
        )

    def _codes_name(self):
        if tuple(self.kinds) == (Territory.Kind.EPCI,):
            return _("SIREN de l’EPCI")
        if Territory.Kind.EPCI in self.kinds or not self.kinds:
            return _("code INSEE, ou SIREN pour un EPCI")
        return _("code INSEE")

    def _example(self, separator=None):
        examples = {"epci": ("200054781", "200040715"), "departement": ("93", "04")}
        examples["region"] = ("11", "93")
        pair = examples.get(self.kinds[0] if len(self.kinds) == 1 else "", ("93070", "04160"))
        return separator.join(pair) if separator else pair[0]

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._resolved = {}
        result.widget.resolve = result.resolve
        return result

    def resolve(self, value):
        """Resolve once per bound form: `clean` and `has_changed` both need it."""
        tokens = tuple(split_tokens(value if isinstance(value, list | tuple) else [value]))
        if tokens not in self._resolved:
            self._resolved[tokens] = resolve_tokens(tokens, self.kinds, self.queryset)
        return self._resolved[tokens]

    def to_python(self, value):
        return self.territories(value)

    def territories(self, value):
        """The territories `value` designates, in order; ValidationError for bad codes."""
        if not value:
            return []
        # Before any lookup: PostgreSQL refuses a NUL byte in a query (a 500, not a message).
        for item in value if isinstance(value, list | tuple) else [value]:
            ProhibitNullCharactersValidator()(item)
        resolution = self.resolve(value)
        if resolution.unknown:
            raise forms.ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={
                    "codes": ", ".join(resolution.unknown),
                    "kinds": ", ".join(_kind_labels(self.kinds)),
                    "count": len(resolution.unknown),
                },
            )
        if resolution.ambiguous:
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={
                    "codes": ", ".join(resolution.ambiguous),
                    "example": resolution.ambiguous[0],
                },
            )
        return resolution.territories

    def validate(self, value):
        super().validate(value)
        if self.max_count and len(value) > self.max_count:
            raise forms.ValidationError(
                self.error_messages["max_count"], code="max_count", params={"max": self.max_count}
            )

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        before = {self._pk(item) for item in (initial or [])}
        try:
            after = {t.pk for t in self.territories(data)}
        except forms.ValidationError:
            return True
        if None in before:  # codes as initial values: compare as codes
            before = {t.pk for t in self.resolve(initial).territories}
        return before != after

    @staticmethod
    def _pk(item):
        if isinstance(item, Territory):
            return item.pk
        return item if isinstance(item, int) else None


class TerritoryChoiceField(TerritoryMultipleChoiceField):
    """One territory of `kinds` (or None when not required); same widget, single selection."""

    multiple = False

    def to_python(self, value):
        territories = self.territories(value)
        if len(territories) > 1:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        return territories[0] if territories else None

    def has_changed(self, initial, data):
        initial = [] if initial in (None, "") else [initial]
        return super().has_changed(initial, data if isinstance(data, list) else [data])

    def validate(self, value):
        forms.Field.validate(self, value)


class TerritorySearchForm(forms.Form):
    """The public territory search page."""

    KIND_CHOICES = [("", _("Tous les niveaux"))] + [
        choice for choice in Territory.Kind.choices if choice[0] != Territory.Kind.CUSTOM
    ]

    q = forms.CharField(label=_("Nom, code postal ou code INSEE"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Niveau"), choices=KIND_CHOICES, required=False)

    def kinds(self):
        kind = self.cleaned_data.get("kind")
        return (kind,) if kind else ()
