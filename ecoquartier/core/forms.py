"""Form plumbing shared by every app."""

from django import forms
from django.forms.utils import ErrorList
from django.utils.html import conditional_escape
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
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

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


class DsfrModelForm(DsfrFormMixin, forms.ModelForm):
    pass
