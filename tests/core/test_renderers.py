"""The Python rendering of selects, inputs and DSFR field groups writes what the templates write."""

import re

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from ecoquartier.core.forms import DsfrFormMixin
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
    assert fast._builtin("django/forms/widgets/select.html")  # The Python path is compared.
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


class Inputs(DsfrFormMixin, forms.Form):
    name = forms.CharField(label="Nom & <prénom>", max_length=20, help_text="Tel <b>quel</b>")
    count = forms.IntegerField(label="Nombre", required=False, min_value=0)
    when = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mail = forms.EmailField(label="Courriel", required=False, disabled=True)
    kind = forms.ChoiceField(label="Type", choices=CHOICES, required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": 'A "b" <c>', "count": "3", "when": "2026-11-29", "kind": "a"},
        {"name": "", "count": "-1", "when": "pas une date", "kind": "zz"},
    ],
)
def test_inputs_and_field_groups_render_like_the_templates(data):
    fast = FormRenderer()
    assert fast._builtin(
        "django/forms/widgets/text.html", "dsfr/form_field_snippets/input_snippet.html"
    )
    reference_form = Inputs(data, renderer=TemplatesSetting())
    fast_form = Inputs(data, renderer=fast)
    for name in fast_form.fields:
        expected = str(reference_form[name].as_field_group())
        actual = str(fast_form[name].as_field_group())
        assert _html(actual) == _html(expected), name
        assert actual.count("<input") + actual.count("<select") == 1
    if data and not data["name"]:
        assert "fr-input-group--error" in str(fast_form["name"].as_field_group())


def _html(text):
    """The parsed tree, without the indentation the templates put around tags (the label's
    text is trimmed by browsers and assistive technologies alike)."""
    return parse_html(re.sub(r"\s*([<>])\s*", r"\1", text))


def test_an_overridden_template_is_rendered_from_its_file(settings, tmp_path):
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "text.html").write_text('<input data-override name="{{ widget.name }}">')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    assert "data-override" in str(Inputs(renderer=FormRenderer())["name"])
