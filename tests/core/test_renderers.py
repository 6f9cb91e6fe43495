"""The Python select rendering writes exactly what Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from ecoquartier.core.renderers import FormRenderer
from ecoquartier.projects.models import Theme

CHOICES = [
    ("", "Tous"),
    ("a", "Alpha & <b>"),
    ("b", mark_safe("<em>Bêta</em>")),
    (3, 2026),
    ("Groupe « x »", [("x1", "X un"), ("x2", 'X "deux"')]),
]


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    chosen = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "fr-select", "required": True})
    )
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True, required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.all(), required=False, empty_label="—")


@pytest.mark.parametrize(
    "data", [None, {"plain": "a", "chosen": "x2", "many": ["b", "3"], "theme": "1"}]
)
@pytest.mark.django_db
def test_selects_render_like_the_templates(data):
    Theme.objects.create(kind=Theme.Kind.THEME, slug="t", label="Eau & <nature>")
    reference, fast = TemplatesSetting(), FormRenderer()
    assert fast._builtin_select  # The Python path is the one compared.
    form = Sample(data)
    for name in form.fields:
        field = form[name]
        assert field.as_widget() != ""
        expected = field.field.widget.render(
            field.html_name, field.value(), field.build_widget_attrs({}), reference
        )
        actual = field.field.widget.render(
            field.html_name, field.value(), field.build_widget_attrs({}), fast
        )
        assert actual == expected, name
