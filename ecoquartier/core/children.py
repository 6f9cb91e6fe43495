"""Applying plain data to model rows, for services: the web layer validates with forms and
hands over values (core.forms.model_values, formset_rows); services write them here, never
through a form."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def assign(obj, values):
    """Set `values` ({field name: value}) on `obj` as a ModelForm would (files kept unless
    replaced). Returns (names of the fields that changed, many-to-many values to set once
    `obj` is saved)."""
    changed, many = [], {}
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
            before = set(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else set()
            if before != {item.pk for item in value}:
                changed.append(name)
            continue
        before = getattr(obj, field.attname)
        field.save_form_data(obj, value)
        if getattr(obj, field.attname) != before:
            changed.append(name)
    return changed, many


def set_many(obj, many):
    for name, value in many.items():
        getattr(obj, name).set(value)


def save_children(parent, model, fk_name, rows):
    """Apply row changes (core.forms.formset_rows) to `parent`'s children of `model`: only rows
    of this parent can be changed or deleted. Returns whether anything changed."""
    existing = model.objects.filter(
        **{fk_name: parent}, pk__in=[row["pk"] for row in rows if row["pk"] is not None]
    ).in_bulk()
    for row in rows:
        if row["pk"] is None:
            child = model(**{fk_name: parent})
        elif row["pk"] in existing:
            child = existing[row["pk"]]
        else:
            raise ValidationError(_("Cette ligne n'existe plus : rechargez la page."))
        if row["delete"]:
            child.delete()
            continue
        _changed, many = assign(child, row["values"])
        child.save()
        set_many(child, many)
    return bool(rows)
