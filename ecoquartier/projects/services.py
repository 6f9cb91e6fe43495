"""Operations that change projects (F-03): atomic, permission-checked and logged (F-04).

Views and the API call these functions with cleaned data: a dict whose keys are project field
names (relations as iterables of model instances). Missing keys are left unchanged on update.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.core.activity import record
from ecoquartier.projects import history
from ecoquartier.projects.history import RELATION_FIELDS, SCALAR_FIELDS
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import (
    can_create_project,
    can_edit_project,
    can_hold_project,
)
from ecoquartier.territories.models import Territory

# Slugs that would collide with the app's own URLs (/projets/nouveau/).
RESERVED_SLUGS = {"nouveau"}
TEXT_FIELDS = {"name", "summary", "description"}


class StaleProjectError(Exception):
    """Someone saved the project after the editor loaded it; their change must not be lost."""

    message = gettext_lazy(
        "Ce projet a été modifié par une autre personne depuis que vous avez ouvert le "
        "formulaire. Vos modifications n'ont pas été enregistrées, mais votre saisie est "
        "conservée ci-dessous : vérifiez les valeurs enregistrées entre-temps, puis enregistrez "
        "à nouveau."
    )

    def __init__(self, current):
        self.current = current
        super().__init__(str(self.message))


def slug_base(name):
    return slugify(name)[:200].strip("-") or "projet"


def unique_slug(name):
    base = slug_base(name)
    taken = set(Project.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply_scalars(project, data):
    for name in SCALAR_FIELDS:
        if name in data:
            value = data[name]
            # Text columns are NOT NULL: an emptied text is stored as "".
            setattr(project, name, "" if value is None and name in TEXT_FIELDS else value)


def _set_relations(project, data):
    for name in RELATION_FIELDS:
        if name in data:
            getattr(project, name).set(data[name])


def _validate(project, data, *, creating):
    errors = {}
    for name, message in (
        ("holders", _("Choisissez au moins une organisation porteuse.")),
        ("communes", _("Indiquez au moins une commune.")),
    ):
        if (creating or name in data) and not data.get(name):
            errors[name] = message
    if any(c.kind != Territory.Kind.COMMUNE for c in data.get("communes") or []):
        errors["communes"] = _("Seules des communes peuvent être choisies.")
    try:
        project.full_clean(exclude={"slug", "created_by", "version"}, validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _summary(verb_text, project, changes):
    labels = ", ".join(str(history.field_label(name)).lower() for name in changes)
    return f"{verb_text} « {project.name} » : {labels}" if labels else verb_text


def create_project(user, data):
    """Create a project held by `data["holders"]`, one of which must be the user's."""
    if not can_create_project(user):
        raise PermissionDenied(_("Vous devez appartenir à une organisation pour créer un projet."))
    if data.get("holders") and not can_hold_project(user, data["holders"]):
        raise PermissionDenied(_("Choisissez au moins une de vos organisations comme porteuse."))
    project = Project(created_by=user)
    _apply_scalars(project, data)
    _validate(project, data, creating=True)
    with transaction.atomic():
        project.slug = unique_slug(project.name)
        project.save()
        _set_relations(project, data)
        changes = history.creation_changes(history.snapshot(project))
        record(
            user,
            "project.created",
            _("Création du projet « %(name)s »") % {"name": project.name},
            targets=[project, *project.holders.all()],
            changes=changes,
        )
    return project


def update_project(user, project, data, expected_version):
    """Apply `data` if nobody saved the project since `expected_version`; log what changed.

    Raises PermissionDenied, ValidationError, or StaleProjectError (nothing is saved then).
    Saving without any change writes nothing and keeps the version.
    """
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if not can_edit_project(user, current):
            raise PermissionDenied(_("Seuls les membres des organisations porteuses modifient."))
        if current.version != expected_version:
            raise StaleProjectError(current)
        if "holders" in data and not can_hold_project(user, data["holders"]):
            raise PermissionDenied(_("Gardez au moins une de vos organisations comme porteuse."))
        before = history.snapshot(current)
        _apply_scalars(current, data)
        _validate(current, data, creating=False)
        changes = history.diff(before, history.apply_to_snapshot(before, data))
        if not changes:
            return current
        # Compare-and-swap on the version: refuses a concurrent save even where the database
        # does not lock rows (SQLite).
        if not Project.objects.filter(pk=current.pk, version=expected_version).update(
            version=expected_version + 1
        ):
            raise StaleProjectError(Project.objects.get(pk=current.pk))
        current.version = expected_version + 1
        current.save()
        _set_relations(current, data)
        record(
            user,
            "project.updated",
            _summary(_("Modification du projet"), current, changes),
            targets=[current, *current.holders.all()],
            changes=changes,
        )
    return current


def conflicts(current, data):
    """[(label, saved value)] where the saved project differs from what the user typed."""
    saved = history.snapshot(current)
    typed = history.apply_to_snapshot(saved, data)
    return [
        (label, saved_value)
        for label, _typed, saved_value in history.change_rows(history.diff(typed, saved))
    ]
