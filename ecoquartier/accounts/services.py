"""State changes on people. Views call these; each is atomic and logged (F-04)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ecoquartier.core.activity import record

PROFILE_FIELDS = ("first_name", "last_name", "job_title", "phone")


@transaction.atomic
def update_profile(actor, user, data):
    """Change a person's name, job title or phone. Only the person (or an administrator) may."""
    if not actor.is_authenticated or (actor.pk != user.pk and not actor.is_superuser):
        raise PermissionDenied
    changed = [f for f in PROFILE_FIELDS if f in data and getattr(user, f) != data[f]]
    if not changed:
        return user
    for field in changed:
        setattr(user, field, data[field])
    user.save(update_fields=changed)
    # Field names only: the append-only log must not keep old personal data forever.
    record(
        actor,
        "accounts.profile_updated",
        f"Profil de {user} modifié",
        targets=[user],
        changes={"fields": changed},
    )
    return user


@transaction.atomic
def after_password_reset(user):
    """A successful reset proves control of the mailbox: lift any login lockout on the account."""
    from axes.utils import reset as axes_reset

    axes_reset(username=user.email)
    record(user, "accounts.password_reset", f"Mot de passe de {user} réinitialisé", targets=[user])
