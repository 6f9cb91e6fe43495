"""Form plumbing shared by every app."""

import copy
import re

from django import forms
from django.forms.utils import ErrorList
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBoundField as _DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class EscapedHelpTextMixin:
    """Django and django-dsfr print `help_text` with `|safe`: it is meant for the developer's
    HTML. Here help texts are also written by people (a form builder's field help, a review
    criterion's description), so the bound field escapes them once, for every template and for
    the renderer alike; a developer's HTML, built with format_html or mark_safe, stays HTML."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.help_text = conditional_escape(self.help_text)


class BoundField(EscapedHelpTextMixin, forms.BoundField):
    """Every form's bound field (the renderer's default, core.renderers.FormRenderer)."""


class DsfrBoundField(EscapedHelpTextMixin, _DsfrBoundField):
    pass


EMPTY_CHOICE = _("Sélectionner une option")
_DASHES = "---------"
_OPTIONAL = re.compile(r"\s*\(optionnel(le)?\)\s*$", re.IGNORECASE)


def french_fields(form):
    """Django's "---------" empty choice becomes a French placeholder, and a label that says
    « (optionnel) » itself loses it: the DSFR marks optional fields already
    (DSFR_MARK_OPTIONAL_FIELDS)."""
    for field in form.fields.values():
        if getattr(field, "empty_label", None) == _DASHES:
            field.empty_label = EMPTY_CHOICE
        choices = getattr(field, "choices", None)
        # Django's dashes are a plain string: comparing only those leaves the translated labels
        # lazy (comparing one would translate it, on every form made).
        if isinstance(choices, list) and any(
            type(label) is str and label == _DASHES for _v, label in choices
        ):
            field.choices = [
                (v, EMPTY_CHOICE if label == _DASHES else label) for v, label in choices
            ]
        if not field.required and field.label and _OPTIONAL.search(str(field.label)):
            field.label = _OPTIONAL.sub("", str(field.label))


def dsfr_style(form):
    """DSFR classes on every visible field (a form adding fields after __init__ calls it
    again): French choices and labels, the DSFR upload component for files."""
    french_fields(form)
    for field in form.fields.values():
        if isinstance(field.widget, forms.FileInput):
            field.widget.attrs.setdefault("class", "fr-upload")
            field.widget.group_class = "fr-upload-group"
    for visible in form.visible_fields():
        dsfr_input_class_attr(visible)


class FixedChoiceField(forms.ChoiceField):
    """A choice field whose choices are a fixed list, shared by every form made rather than
    copied into each (Django deep-copies them, lazy labels and all, for every form: half the
    cost of making the finder's filter form). Safe as long as nobody changes the list in place:
    `french_fields` and forms replace it whole."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class DateInput(forms.DateInput):
    """The browser's date picker (`type="date"`): it reads and writes ISO dates whatever the
    language, so the value must be written as one — a French "04/12/2026" would show empty and
    be lost at the next submission."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 — Django's own name
        super().__init__(attrs, format=format)


class DsfrFormMixin:
    """DSFR rendering for any Django form, ModelForms included.

    django-dsfr's DsfrBaseForm only fits plain forms, and its get_context() warns about a
    transitional setting on every render, which our strict test run turns into errors; this mixin
    renders the same templates without it.
    """

    template_name = "dsfr/form_snippet.html"
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dsfr_style(self)

    def non_field_errors(self):
        """With the errors of hidden fields: django-dsfr renders a hidden field bare, so its
        errors (a tampered search, a NUL byte) would otherwise refuse the form silently."""
        errors = super().non_field_errors()
        hidden = [error for field in self.hidden_fields() for error in field.errors]
        if not hidden:
            return errors
        return ErrorList([*errors, *hidden], error_class="nonfield", renderer=self.renderer)


class DsfrForm(DsfrFormMixin, forms.Form):
    pass


class StyledOnceMixin:
    """For a DSFR form whose fields are its class's alone (no `__init__` adds or changes one):
    its fields are styled once, on its class, rather than at every form made — making one then
    only copies them, as Django does. The aid finder's filters are made at every search nobody
    made before, and styling them was a fifth of their cost. Styling depends on the fields alone
    (no form has errors while it is being made), so every form gets the same fields as before."""

    def __init__(self, *args, **kwargs):
        cls = type(self)
        if cls.__dict__.get("_styled_fields"):
            forms.BaseForm.__init__(self, *args, **kwargs)
            return
        super().__init__(*args, **kwargs)  # DsfrFormMixin styles this form's copies.
        cls.base_fields = copy.deepcopy(self.fields)
        cls._styled_fields = True


class DsfrModelForm(DsfrFormMixin, forms.ModelForm):
    pass


# --- From forms to services: plain data ---------------------------------------------------------


def model_values(form):
    """A valid ModelForm's cleaned values that are fields of its model, as plain data for a
    service ({field name: value}), the primary key left out. A form that computes a model
    field from another input puts it in `cleaned_data` under the model field's name."""
    opts = form._meta.model._meta
    names = {f.name for f in opts.get_fields() if f.concrete and not f.primary_key}
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def formset_rows(formset):
    """A valid model formset's changes as plain rows for a service, in the order Django's
    formset would save them: {"pk": id or None (new), "delete": bool, "values": {...}}.
    Unchanged rows and new rows ticked for deletion are left out."""
    rows = []
    for form in formset.initial_forms:
        if form.instance.pk is None:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            rows.append({"pk": form.instance.pk, "delete": True, "values": {}})
        elif form.has_changed():
            rows.append(
                {"pk": form.instance.pk, "delete": False, "values": _row_values(formset, form)}
            )
    for form in formset.extra_forms:
        if not form.has_changed() or (formset.can_delete and formset._should_delete_form(form)):
            continue
        rows.append({"pk": None, "delete": False, "values": _row_values(formset, form)})
    return rows


def _row_values(formset, form):
    values = model_values(form)
    fk = getattr(formset, "fk", None)
    if fk is not None:
        values.pop(fk.name, None)
    return values
