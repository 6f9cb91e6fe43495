"""Operations that change programmes and calls: atomic, permission-checked, logged (F-04).

Services take plain data: the editor's forms validate, then hand over their values
({field: value}, core.forms.model_values) and the changed rows of each inline list
({prefix: rows}, core.forms.formset_rows); the service checks the permission and the version,
writes (core.children), and logs — in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.calls.models import (
    Call,
    CallBenefit,
    CallDocument,
    CallPriorityTheme,
    CallStep,
    Programme,
)
from ecoquartier.calls.permissions import can_manage_call, can_manage_programme, can_own_programme
from ecoquartier.core import workflows
from ecoquartier.core.activity import record
from ecoquartier.core.children import assign, save_children, set_many

# Slugs that would collide with the app's own URLs (/aides/gestion/, /aides/alertes/…).
RESERVED_SLUGS = {"gestion", "alertes", "programmes", "nouveau"}


class StaleCallError(Exception):
    """Someone saved the call after the editor loaded it; their change must not be lost."""

    message = gettext_lazy(
        "Cet appel a été modifié par une autre personne depuis que vous avez ouvert le "
        "formulaire. Vos modifications n'ont pas été enregistrées, mais votre saisie est "
        "conservée ci-dessous : vérifiez la version enregistrée, puis enregistrez à nouveau."
    )

    def __init__(self):
        super().__init__(str(self.message))


def unique_slug(model, text, fallback):
    base = slugify(text)[:200].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Programmes -------------------------------------------------------------------------------


@transaction.atomic
def create_programme(user, values):
    """Create a programme (`values`: its fields, partners included) owned by one of the
    organisations `user` manages programmes for."""
    if not can_own_programme(user, values["owner"]):
        raise PermissionDenied
    programme = Programme()
    _changed, many = assign(programme, values)
    programme.slug = unique_slug(Programme, programme.name, "programme")
    programme.save()
    set_many(programme, many)
    record(
        user,
        "programme.created",
        _("Programme créé : %s") % programme,
        targets=[programme, programme.owner],
    )
    return programme


@transaction.atomic
def update_programme(user, programme, values):
    if not can_manage_programme(user, programme):
        raise PermissionDenied
    owner = values.get("owner")
    if owner is not None and owner.pk != programme.owner_id and not can_own_programme(user, owner):
        raise PermissionDenied
    changed, many = assign(programme, values)
    programme.save()
    set_many(programme, many)
    record(
        user,
        "programme.updated",
        _("Programme modifié : %s") % programme,
        targets=[programme],
        changes={"fields": changed},
    )
    return programme


# --- Calls ------------------------------------------------------------------------------------

# The lists edited with a call: prefix of its rows → model.
CHILDREN = {
    "steps": CallStep,
    "benefits": CallBenefit,
    "priorities": CallPriorityTheme,
    "documents": CallDocument,
}


@transaction.atomic
def create_call(user, programme, values, children=None):
    """A new call starts as a draft: only the programme's managers see it. `children` maps a
    prefix of CHILDREN to its rows (core.forms.formset_rows)."""
    if not can_manage_programme(user, programme):
        raise PermissionDenied
    call = Call(programme=programme, created_by=user)
    _changed, many = assign(call, _editable(values))
    call.slug = unique_slug(Call, call.title, "appel")
    call.save()
    set_many(call, many)
    _save_children(call, children or {})
    record(user, "call.created", _("Appel créé : %s") % call, targets=[call, programme])
    return call


@transaction.atomic
def update_call(user, call, values, children=None, *, expected_version):
    """Save the editor's changes unless someone saved the call since `expected_version`."""
    if not can_manage_call(user, call):
        raise PermissionDenied
    bumped = Call.objects.filter(pk=call.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise StaleCallError
    changed, many = assign(call, _editable(values))
    call.version = expected_version + 1
    call.save()
    set_many(call, many)
    changed += _save_children(call, children or {})
    record(
        user,
        "call.updated",
        _("Appel modifié : %s") % call,
        targets=[call],
        changes={"fields": changed},
    )
    return call


def _editable(values):
    # The version is the service's to raise, never a value to copy.
    return {name: value for name, value in values.items() if name != "version"}


def _save_children(call, children):
    """Returns the prefixes of the lists that changed."""
    changed = []
    for prefix, rows in children.items():
        try:
            if save_children(call, CHILDREN[prefix], "call", rows):
                changed.append(prefix)
        except ProtectedError as error:
            # e.g. a step that applications already answer (applications app): keep it.
            raise ValidationError(
                _(
                    "« %s » est déjà utilisé (par exemple par des candidatures) : "
                    "il ne peut pas être supprimé."
                )
                % next(iter(error.protected_objects), "")
            ) from error
    # Steps may have been saved one by one: recompute the deadline once more.
    Call.objects.filter(pk=call.pk).refresh_deadlines()
    call.refresh_from_db(fields=["closes_at"])
    return changed


def publish_call(user, call):
    """Draft → published (calls/workflow.py). Matching alerts are e-mailed once the transaction
    commits, by the handler subscribed to "call.published" (calls/notifying.py)."""
    return workflows.fire(call, "publish", user)


@transaction.atomic
def archive_call(user, call, reason=""):
    """Archive now (e.g. a cancelled call): its page stays readable with a notice."""
    if not can_manage_call(user, call):
        raise PermissionDenied
    call.archived_at = timezone.now()
    call.save(update_fields=["archived_at", "updated_at"])
    record(user, "call.archived", _("Appel archivé : %s") % call, targets=[call], reason=reason)
    return call
