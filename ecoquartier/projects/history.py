"""What changed on a project, as plain JSON for the activity log (F-04), and how to show it.

The log stores neutral values (codes, numbers as strings, lists of labels); wording and number
formatting happen when the timeline is displayed, so they follow the reader's language.
"""

from decimal import Decimal

from django.utils import formats
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from ecoquartier.projects.models import Project

SCALAR_FIELDS = (
    "name",
    "summary",
    "description",
    "latitude",
    "longitude",
    "stage",
    "area_ha",
    "dwellings",
    "social_dwellings",
    "inhabitants",
    "jobs",
    "is_public",
)
RELATION_FIELDS = ("holders", "communes", "operation_types", "themes", "hooks")
TRACKED_FIELDS = SCALAR_FIELDS + RELATION_FIELDS


def _scalar(value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _relation(objects):
    # Keyed by pk so that two organisations with the same name still count as a change.
    return {obj.pk: str(obj) for obj in objects}


def snapshot(project):
    """The tracked state of a saved project (one query per relation)."""
    state = {name: _scalar(getattr(project, name)) for name in SCALAR_FIELDS}
    for name in RELATION_FIELDS:
        state[name] = _relation(getattr(project, name).all())
    return state


def apply_to_snapshot(state, data):
    """`state` with the values of `data` (cleaned form or API data) laid over it."""
    result = dict(state)
    for name in TRACKED_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in RELATION_FIELDS:
            result[name] = _relation(value)
        else:
            result[name] = _scalar(value)
    return result


def _jsonable(name, value):
    if name in RELATION_FIELDS:
        return sorted(value.values())
    return value


def diff(before, after):
    """Field-level changes: {field: {"before": …, "after": …}}, only for fields that changed."""
    changes = {}
    for name in TRACKED_FIELDS:
        old, new = before.get(name), after.get(name)
        # Relations compare by primary key, scalars by value.
        same = set(old or {}) == set(new or {}) if name in RELATION_FIELDS else old == new
        if not same:
            changes[name] = {"before": _jsonable(name, old), "after": _jsonable(name, new)}
    return changes


def creation_changes(after):
    """The initial values of a new project, in the same shape as `diff`."""
    empty = {name: ({} if name in RELATION_FIELDS else None) for name in TRACKED_FIELDS}
    return diff(empty, after)


def field_label(name):
    try:
        return capfirst(Project._meta.get_field(name).verbose_name)
    except Exception:  # A key written by another app: show it as it is.
        return name


def display_value(name, value):
    if value is None or value == [] or value == "":
        return _("non renseigné")
    if name == "stage":
        try:
            return str(Project.Stage(value).label)
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if name in ("latitude", "longitude", "area_ha"):
        return formats.localize(Decimal(value))
    # Long texts stay readable on a timeline; the full text is on the project page.
    return Truncator(str(value)).chars(160)


def change_rows(changes):
    """[(label, before, after)] for display; ignores entries not shaped like ours."""
    if not isinstance(changes, dict):
        return []
    rows = []
    for name, change in changes.items():
        if isinstance(change, dict) and {"before", "after"} <= change.keys():
            rows.append(
                (
                    field_label(name),
                    display_value(name, change["before"]),
                    display_value(name, change["after"]),
                )
            )
    return rows
