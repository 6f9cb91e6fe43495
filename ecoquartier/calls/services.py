"""Operations that change programmes and calls: atomic, permission-checked, logged (F-04).

The editor hands over validated Django forms (a ModelForm and its inline formsets); the service
checks the permission and the version, saves, and logs — in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.calls.models import Call, Programme
from ecoquartier.calls.permissions import (
    can_create_programme,
    can_manage_call,
    can_manage_programme,
    managing_organisation_ids,
)
from ecoquartier.core import workflows
from ecoquartier.core.activity import record

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
def create_programme(user, form):
    """Create a programme owned by one of the organisations `user` manages programmes for."""
    if not can_create_programme(user):
        raise PermissionDenied
    programme = form.save(commit=False)
    if not user.is_superuser and programme.owner_id not in managing_organisation_ids(user):
        raise PermissionDenied
    programme.slug = unique_slug(Programme, programme.name, "programme")
    programme.save()
    form.save_m2m()
    record(
        user,
        "programme.created",
        _("Programme créé : %s") % programme,
        targets=[programme, programme.owner],
    )
    return programme


@transaction.atomic
def update_programme(user, programme, form):
    if not can_manage_programme(user, programme):
        raise PermissionDenied
    programme = form.save()
    record(
        user,
        "programme.updated",
        _("Programme modifié : %s") % programme,
        targets=[programme],
        changes={"fields": form.changed_data},
    )
    return programme


# --- Calls ------------------------------------------------------------------------------------


@transaction.atomic
def create_call(user, programme, form, formsets=()):
    """A new call starts as a draft: only the programme's managers see it."""
    if not can_manage_programme(user, programme):
        raise PermissionDenied
    call = form.save(commit=False)
    call.programme = programme
    call.created_by = user
    call.slug = unique_slug(Call, call.title, "appel")
    call.save()
    form.save_m2m()
    _save_children(call, formsets)
    record(user, "call.created", _("Appel créé : %s") % call, targets=[call, programme])
    return call


@transaction.atomic
def update_call(user, call, form, formsets=(), *, expected_version):
    """Save the editor's changes unless someone saved the call since `expected_version`."""
    if not can_manage_call(user, call):
        raise PermissionDenied
    bumped = Call.objects.filter(pk=call.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise StaleCallError
    call = form.save(commit=False)
    call.version = expected_version + 1
    call.save()
    form.save_m2m()
    changed = form.changed_data + [name for name, formset in formsets if formset.has_changed()]
    _save_children(call, formsets)
    record(
        user,
        "call.updated",
        _("Appel modifié : %s") % call,
        targets=[call],
        changes={"fields": changed},
    )
    return call


def _save_children(call, formsets):
    for _name, formset in formsets:
        formset.instance = call
        try:
            formset.save()
        except ProtectedError as error:
            # e.g. a step that applications already answer (applications app): keep it.
            raise ValidationError(
                _(
                    "« %s » est déjà utilisé (par exemple par des candidatures) : "
                    "il ne peut pas être supprimé."
                )
                % next(iter(error.protected_objects), "")
            ) from error
    # Steps may have been saved in bulk by the formset: recompute the deadline once more.
    Call.objects.filter(pk=call.pk).refresh_deadlines()
    call.refresh_from_db(fields=["closes_at"])


def publish_call(user, call):
    """Draft → published (calls/workflow.py). Matching alerts are e-mailed once the
    transaction commits."""
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
