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
    values = {field: data[field] for field in PROFILE_FIELDS if field in data}
    message = "Profil de {user} modifié"
    return change_fields(actor, user, values, "accounts.profile_updated", message)


def change_fields(actor, user, values, verb, message):
    """Set the fields of `values` that differ on `user`, save them and log it (`message`, with
    `{user}` as the account once changed); nothing when none differs."""
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    if changed:
        for field in changed:
            setattr(user, field, values[field])
        user.save(update_fields=changed)
        # Field names only: the append-only log must not keep old personal data forever.
        record(actor, verb, message.format(user=user), targets=[user], changes={"fields": changed})
    return user


@transaction.atomic
def after_password_reset(user):
    """A successful reset proves control of the mailbox: lift any login lockout on the account."""
    from axes.utils import reset as axes_reset

    axes_reset(username=user.email)
    record(user, "accounts.password_reset", f"Mot de passe de {user} réinitialisé", targets=[user])
