"""The form renderer: Django's TemplatesSetting, with the most used form templates in Python.

A select renders one `{% include %}` per option through the template engine, and every DSFR field
group goes through three templates (group, widget, attributes); the filter forms of the list
pages spent more time there than in their queries. This renderer writes the same HTML as those
templates in plain Python — Django's `select.html`, `select_option.html`, `input.html` (and the
text, number, date… templates that include it) and django-dsfr's `input_snippet.html`
(tests/core/test_renderers.py compares both) — and falls back to the templates whenever a
project or a package overrides one of them or an option uses another template.
"""

from functools import cached_property

import django.forms
import dsfr
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext
from dsfr.utils import dsfr_input_class_attr

from ecoquartier.core.forms import BoundField

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
INPUT = "django/forms/widgets/input.html"
INPUTS = {
    f"django/forms/widgets/{kind}.html"
    for kind in ("text", "number", "email", "url", "password", "search", "date", "datetime", "time")
} | {INPUT}
FIELD_GROUP = "dsfr/form_field_snippets/input_snippet.html"


class FormRenderer(TemplatesSetting):
    # Help texts escaped for every form that does not choose its own bound field class.
    bound_field_class = BoundField

    def render(self, template_name, context, request=None):
        if template_name == SELECT and self._builtin(SELECT, OPTION):
            html = render_select(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUTS and self._builtin(template_name, INPUT):
            return render_input(context["widget"])
        elif template_name == FIELD_GROUP and self._builtin(FIELD_GROUP):
            return render_field_group(context["field"])
        return super().render(template_name, context, request)

    def _builtin(self, *names):
        """True when every template resolves to the file of the package that ships it."""
        return all(name in self._builtin_templates for name in names)

    @cached_property
    def _builtin_templates(self):
        roots = {"django/": django.forms.__path__[0], "dsfr/": dsfr.__path__[0]}
        names = {SELECT, OPTION, FIELD_GROUP, *INPUTS}
        return {
            name
            for name in names
            if str(self.get_template(name).origin.name).startswith(roots[name.split("/")[0] + "/"])
        }


def _value(value, context):
    return render_value_in_context(value, context)


def _string(value):
    # `value|stringformat:'s'`: the filter is_safe, so a safe value stays safe.
    text = stringformat(value, "s")
    return mark_safe(text) if isinstance(value, SafeData) else text


def render_attrs(attrs, context=None):
    """django/forms/widgets/attrs.html: ` name="value"` for each attribute, escaped."""
    context = Context() if context is None else context
    return "".join(
        f" {_value(name, context)}"
        + ("" if value is True else f'="{_value(_string(value), context)}"')
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget):
    """django/forms/widgets/select.html, or None when an option uses another template."""
    context = Context()  # Autoescaping, like the template engine's own context.
    attrs = render_attrs(widget["attrs"], context)
    parts = [f'<select name="{_value(widget["name"], context)}"{attrs}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name, context)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            value = _value(_string(option["value"]), context)
            attrs = render_attrs(option["attrs"], context)
            label = _value(_empty_choice(option["label"]), context)
            parts.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def _empty_choice(label):
    # Django's "---------" empty choice, for forms that do not use core.forms.french_fields.
    return gettext("Sélectionner une option") if label == "---------" else label


def render_input(widget):
    """django/forms/widgets/input.html"""
    context = Context()
    value = widget["value"]
    html = (
        f'<input type="{_value(widget["type"], context)}" name="{_value(widget["name"], context)}"'
    )
    if value is not None:
        html += f' value="{_value(_string(value), context)}"'
    return mark_safe(f"{html}{render_attrs(widget['attrs'], context)}>")


def render_field_group(field):
    """django-dsfr's input_snippet.html: label, hint, widget and errors of one field."""
    group = getattr(field.field.widget, "group_class", "") or "fr-input-group"
    classes = group + (f" {group}--error" if field.errors else "")
    if field.field.disabled:
        classes += " fr-input-group--disabled"
    label_for = conditional_escape(field.id_for_label)
    hint = ""
    if field.help_text:
        # A no-op for core.forms.BoundField (escaped already); any other bound field is escaped.
        help_text = conditional_escape(field.help_text)
        hint = f'<span class="fr-hint-text" id="{label_for}_helptext">{help_text}</span>'
    errors = ""
    if field.errors:
        errors = f'<div id="{conditional_escape(field.auto_id)}-desc-error">{field.errors}</div>'
    widget = conditional_escape(dsfr_input_class_attr(field))
    return mark_safe(
        f'<div class="{conditional_escape(classes)}">'
        f'<label for="{label_for}" class="fr-label">'
        f"{conditional_escape(field.label)}{_optional_mark(field)}{hint}</label>"
        f"{widget}{errors}</div>"
    )


def _optional_mark(field):
    # dsfr_tags.dsfr_mark_optionnal_fields
    marking = getattr(settings, "DSFR_MARK_OPTIONAL_FIELDS", False)
    if field.field.required and not marking:
        return '<span class="fr-required-marker" aria-hidden="true"> *</span>'
    if not field.field.required and marking:
        return conditional_escape(f"\N{NO-BREAK SPACE}{gettext('(Optional)')}")
    return ""
