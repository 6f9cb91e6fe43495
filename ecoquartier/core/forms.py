"""Form plumbing shared by every app."""

from django import forms
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


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


class DsfrForm(DsfrFormMixin, forms.Form):
    pass


class DsfrModelForm(DsfrFormMixin, forms.ModelForm):
    pass
