"""The form renderer: Django's TemplatesSetting, with <select> widgets rendered in Python.

A select renders one `{% include %}` per option through the template engine; the filter forms
of the list pages (themes, kinds, stages…) spent more time there than in their queries. This
renderer writes the same HTML as Django's own `select.html` and `select_option.html`, character
for character (tests/core/test_renderers.py compares both), and falls back to the templates
whenever a project or a package overrides one of them or an option uses another template.
"""

from functools import cached_property

from django.forms.renderers import TemplatesSetting
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and self._builtin_select:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)

    @cached_property
    def _builtin_select(self):
        """True when both templates resolve to Django's own files."""
        import django.forms

        root = django.forms.__path__[0]
        return all(
            str(self.get_template(name).origin.name).startswith(root) for name in (SELECT, OPTION)
        )


def _value(value, context):
    return render_value_in_context(value, context)


def _string(value):
    # `value|stringformat:'s'`: the filter is_safe, so a safe value stays safe.
    text = stringformat(value, "s")
    return mark_safe(text) if isinstance(value, SafeData) else text


def _attrs(attrs, context):
    # django/forms/widgets/attrs.html
    return "".join(
        f" {_value(name, context)}"
        + ("" if value is True else f'="{_value(_string(value), context)}"')
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget):
    """django/forms/widgets/select.html, or None when an option uses another template."""
    context = Context()  # Autoescaping, like the template engine's own context.
    parts = [f'<select name="{_value(widget["name"], context)}"{_attrs(widget["attrs"], context)}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name, context)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            value = _value(_string(option["value"]), context)
            attrs = _attrs(option["attrs"], context)
            label = _value(option["label"], context)
            parts.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))
