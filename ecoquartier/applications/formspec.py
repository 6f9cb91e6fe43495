"""What a form version asks, judged against a set of answers. Pure functions: no queries.

Answers are stored as {field key: value}, values JSON-friendly: strings, numbers as strings,
dates as ISO strings, lists for multiple choice, "yes"/"no", territory tokens ("commune:04160"),
project primary keys. Files live in `AnswerFile` rows and count as answered when present.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify
from django.utils.translation import gettext as _

from ecoquartier.applications.models import FormField

Kind, Op = FormField.Kind, FormField.Operator


def _number(value):
    try:
        return Decimal(str(value).replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        return None


def condition_holds(field, data):
    """Display condition on an earlier answer: equals / includes / greater than."""
    if not field.has_condition:
        return True
    answer = data.get(field.condition_key)
    expected = field.condition_value
    if answer in (None, "", []):
        return False
    if field.condition_operator == Op.EQUALS:
        return str(answer) == expected
    if field.condition_operator == Op.INCLUDES:
        if isinstance(answer, list):
            return expected in answer
        return expected.lower() in str(answer).lower()
    if field.condition_operator == Op.GREATER:
        left, right = _number(answer), _number(expected)
        return left is not None and right is not None and left > right
    return True


def field_key(label, taken, max_length=60):
    """A field's key made from its label (« Date de début » → "date-de-debut"), unique among
    the `taken` keys of the form version ("-2", "-3"… when needed)."""
    base = slugify(label)[:max_length].strip("-") or "champ"
    key, number = base, 1
    while key in taken:
        number += 1
        suffix = f"-{number}"
        key = base[: max_length - len(suffix)] + suffix
    return key


def condition_values(field):
    """[(value, label)] an answer to `field` can take, for the conditions of later fields:
    its choices, or yes and no; none for the other kinds."""
    if field.kind in (Kind.CHOICE, Kind.MULTIPLE):
        return [(choice, choice) for choice in field.choices]
    if field.kind == Kind.YES_NO:
        return [("yes", _("Oui")), ("no", _("Non"))]
    return []


def visible_fields(fields, data):
    """Fields shown for these answers. A field hidden by its condition hides what depends on it."""
    shown, keys = [], set()
    for field in fields:
        if field.has_condition and field.condition_key not in keys:
            continue
        if condition_holds(field, data):
            shown.append(field)
            keys.add(field.key)
    return shown


def is_answered(field, data, file_keys):
    if field.kind == Kind.FILE:
        return field.key in file_keys
    value = data.get(field.key)
    return value not in (None, "", [])


@dataclass(frozen=True)
class Missing:
    key: str
    label: str
    section: str


def missing_answers(fields, data, file_keys=frozenset()):
    """Required visible fields without an answer, in form order: what blocks submission."""
    return [
        Missing(f.key, f.label, f.section.title)
        for f in visible_fields(fields, data)
        if f.required and not is_answered(f, data, file_keys)
    ]


def display(field, value, names=None):
    """A readable French rendering of an answer (for pages and exports)."""
    return displayer(names)(field, value)


def displayer(names=None):
    """`display`, with its words translated once: for an export's hundreds of thousands of
    answers, in the language active when it is made. `names` ({(kind, stored value): name},
    reads.answer_names) names the projects and territories answered: never a raw key."""
    yes_no = {"yes": _("Oui"), "no": _("Non")}
    names = names or {}

    def display(field, value):
        if value in (None, "", []):
            return ""
        if field.kind == Kind.YES_NO:
            return str(yes_no.get(value, value))
        if field.kind in (Kind.PROJECT, Kind.TERRITORY):
            return names.get((field.kind, str(value)), "")
        if field.kind == Kind.MULTIPLE and isinstance(value, list):
            return ", ".join(value)
        return str(value)

    return display
