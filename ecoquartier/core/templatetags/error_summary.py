"""The DSFR error summary shown above a form refused by the server (core/static/core/forms.js
moves the focus to it): the form's own errors, then one link per field in error."""

from django import forms as django_forms
from django import template

register = template.Library()


def _field_href(field):
    # A radio or checkbox group has no element with the field's id: link to its first input.
    widget = field.field.widget
    if isinstance(widget, (django_forms.RadioSelect, django_forms.CheckboxSelectMultiple)):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def summary_items(*forms):
    """(non-field errors, [(anchor, label, message)]) of forms and formsets, in page order."""
    general, items = [], []
    for form in _flat(forms):
        if not form or not getattr(form, "is_bound", False):
            continue
        if isinstance(form, django_forms.BaseFormSet):
            general.extend(form.non_form_errors())
            nested = form.forms
        else:
            nested = [form]
        for each in nested:
            general.extend(each.non_field_errors())
            for field in each.visible_fields():
                for message in list(field.errors)[:1]:  # list(): messages, not ValidationErrors
                    items.append((_field_href(field), field.label, message))
    return general, items


def _flat(forms):
    for form in forms:
        if isinstance(form, (list, tuple)):
            yield from _flat(form)
        else:
            yield form


@register.inclusion_tag("core/forms/error_summary.html")
def error_summary(*forms, title=None, note=None):
    """`{% error_summary form formset title=_("Le projet n'a pas été enregistré") %}`"""
    general, items = summary_items(*forms)
    return {"general": general, "items": items, "title": title, "note": note}
