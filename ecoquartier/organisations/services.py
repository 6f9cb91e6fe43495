"""Changes to an organisation's members and messages to State services: plain functions taking
plain data, each atomic, permission-checked (permissions.py) and logged (core.activity.record).

The e-mails (an invitation's link, a message to a service) follow the recorded events through
the notification path (notifying.py, ADR 21).
"""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.core.activity import record
from ecoquartier.organisations import permissions
from ecoquartier.organisations.models import ContactMessage, Invitation, Membership

INVITATION_SALT = "organisations.invitation"
INVITATION_VALIDITY = datetime.timedelta(days=14)
CONTACT_LIMIT = 5  # messages to State services per person…
CONTACT_WINDOW = datetime.timedelta(hours=1)  # …in this window


def _refuse(field, message):
    raise ValidationError({field: message})


# --- Invitations --------------------------------------------------------------------------------


def invitation_token(invitation):
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


def _check_role(actor, organisation, role, field="role"):
    if role not in permissions.assignable_roles(actor, organisation):
        _refuse(field, _("Ce rôle ne peut pas être donné dans cette organisation."))


@transaction.atomic
def invite_member(actor, organisation, email, role, is_admin=False):
    """Invite `email` into `organisation`; the notification path e-mails it the link."""
    if not permissions.can_manage_members(actor, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    _check_role(actor, organisation, role)
    if organisation.memberships.filter(user__email__iexact=email).exists():
        _refuse("email", _("Cette personne est déjà membre de l’organisation."))
    if organisation.invitations.pending().filter(email__iexact=email).exists():
        _refuse(
            "email",
            _(
                "Une invitation est déjà en attente pour cette adresse : "
                "renvoyez-la depuis la liste."
            ),
        )
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        is_admin=is_admin,
        invited_by=actor,
        nonce=secrets.token_hex(16),
        sent_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    record(
        actor,
        "organisation.member_invited",
        _("%(email)s invité dans %(organisation)s")
        % {"email": email, "organisation": organisation},
        targets=[organisation, invitation],  # the e-mail (notifying.py) reads the invitation
        changes={"role": role, "is_admin": is_admin},
    )
    return invitation


def _pending(actor, invitation):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not permissions.can_manage_members(actor, invitation.organisation):
        raise PermissionDenied
    if invitation.accepted_at or invitation.cancelled_at:
        raise ValidationError(_("Cette invitation n’est plus en attente."))
    return invitation


@transaction.atomic
def resend_invitation(actor, invitation):
    """A new link (the former one stops working) valid for another full period."""
    invitation = _pending(actor, invitation)
    now = timezone.now()
    invitation.nonce = secrets.token_hex(16)
    invitation.sent_at, invitation.expires_at = now, now + INVITATION_VALIDITY
    invitation.save(update_fields=["nonce", "sent_at", "expires_at"])
    record(
        actor,
        "organisation.invitation_resent",
        _("Invitation renvoyée à %s") % invitation.email,
        targets=[invitation.organisation, invitation],
    )
    return invitation


@transaction.atomic
def cancel_invitation(actor, invitation):
    invitation = _pending(actor, invitation)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(
        actor,
        "organisation.invitation_cancelled",
        _("Invitation de %s annulée") % invitation.email,
        targets=[invitation.organisation, invitation],
    )
    return invitation


def invitation_from_token(token, *, lock=False):
    """The pending, unexpired invitation a link names; ValidationError with the reason."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_VALIDITY)
        pk, nonce = int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationError(_("Ce lien d’invitation n’est pas valide.")) from error
    rows = Invitation.objects.select_related("organisation", "invited_by")
    invitation = (rows.select_for_update(of=("self",)) if lock else rows).filter(pk=pk).first()
    if invitation is None or invitation.cancelled_at or invitation.nonce != nonce:
        raise ValidationError(
            _("Cette invitation a été annulée ou remplacée par un envoi plus récent.")
        )
    if invitation.accepted_at:
        raise ValidationError(_("Cette invitation a déjà été acceptée."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("Cette invitation a expiré : demandez à l’administrateur de vous la renvoyer.")
        )
    return invitation


def invited_account(invitation):
    """The existing account of the invited address, or None."""
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


def _join(user, invitation):
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        defaults={"role": invitation.role, "is_admin": invitation.is_admin},
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record(
        user,
        "organisation.member_joined",
        _("%(user)s a rejoint %(organisation)s")
        % {"user": user, "organisation": invitation.organisation},
        targets=[invitation.organisation, invitation],
    )
    return membership


@transaction.atomic
def accept_invitation(user, token):
    """The signed link proves the e-mail was received; only the account of the invited address
    accepts it (whoever else holds the link is refused, and nothing changes)."""
    invitation = invitation_from_token(token, lock=True)
    if not permissions.may_accept_invitation(user, invitation):
        raise ValidationError(
            _(
                "Cette invitation a été adressée à une autre adresse électronique que celle de "
                "votre compte : connectez-vous avec le compte de cette adresse pour l’accepter."
            )
        )
    return _join(user, invitation)


@transaction.atomic
def create_account_and_join(token, first_name, last_name, password):
    """A person without an account creates it from the invitation's link (its address is the
    invited one, proven by the link) and joins the organisation."""
    invitation = invitation_from_token(token, lock=True)
    if invited_account(invitation) is not None:
        raise ValidationError(
            _("Un compte existe déjà pour cette adresse : connectez-vous pour accepter.")
        )
    user_model = get_user_model()
    user = user_model(email=invitation.email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    user.save()
    record(
        user,
        "accounts.created_from_invitation",
        _("Compte de %s créé depuis une invitation") % user,
        targets=[user, invitation.organisation],
    )
    return user, _join(user, invitation)


# --- Members ------------------------------------------------------------------------------------


def _locked_member(actor, membership):
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=membership.pk)
    )
    if not permissions.can_manage_members(actor, membership.organisation):
        raise PermissionDenied
    return membership


def _is_last_admin(membership):
    admins = Membership.objects.select_for_update().filter(
        organisation_id=membership.organisation_id, is_admin=True
    )
    return membership.is_admin and list(admins.values_list("pk", flat=True)) == [membership.pk]


@transaction.atomic
def change_member(actor, membership, role, is_admin):
    """Set a member's role and administrator flag. An organisation with administrators keeps at
    least one: its last administrator cannot be demoted (by anyone, itself included)."""
    membership = _locked_member(actor, membership)
    if role != membership.role:
        _check_role(actor, membership.organisation, role)
    if not is_admin and _is_last_admin(membership):
        _refuse(
            "is_admin",
            _("C’est le dernier administrateur : nommez-en un autre avant de retirer ce droit."),
        )
    changes = {}
    if role != membership.role:
        changes["role"] = [membership.role, role]
    if is_admin != membership.is_admin:
        changes["is_admin"] = [membership.is_admin, is_admin]
    if not changes:
        return membership
    membership.role, membership.is_admin = role, is_admin
    membership.save(update_fields=["role", "is_admin"])
    record(
        actor,
        "organisation.member_changed",
        _("Rôle de %(user)s dans %(organisation)s : %(role)s%(admin)s")
        % {
            "user": membership.user,
            "organisation": membership.organisation,
            "role": membership.get_role_display(),
            "admin": _(", administrateur") if is_admin else "",
        },
        targets=[membership.organisation, membership.user],
        changes=changes,
    )
    return membership


@transaction.atomic
def remove_member(actor, membership):
    """Remove a member at once: every right they had through the organisation goes with the
    membership (rights are read from memberships on each request)."""
    membership = _locked_member(actor, membership)
    if _is_last_admin(membership):
        raise ValidationError(
            _("C’est le dernier administrateur : nommez-en un autre avant de le retirer.")
        )
    organisation, user = membership.organisation, membership.user
    record(
        actor,
        "organisation.member_removed",
        _("%(user)s retiré(e) de %(organisation)s") % {"user": user, "organisation": organisation},
        targets=[organisation, user],
        changes={"role": membership.role, "is_admin": membership.is_admin},
    )
    membership.delete()
    return organisation


# --- Messages to State services -----------------------------------------------------------------


def contact_recipients(organisation):
    """The service's active referents, else nobody (its contact address is used then)."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__role=Membership.Role.STATE_REFERENT,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )


def reachable_ids(organisations):
    """Ids of the State services among `organisations` one may write to: with a contact address
    or an active referent (one query for them all)."""
    state = [org for org in organisations if org.is_state_service]
    found = {org.pk for org in state if org.email}
    rest = [org.pk for org in state if org.pk not in found]
    if rest:
        found |= set(
            Membership.objects.filter(
                organisation_id__in=rest,
                role=Membership.Role.STATE_REFERENT,
                user__is_active=True,
            )
            .exclude(user__email="")
            .values_list("organisation_id", flat=True)
        )
    return found


def reachable(organisation):
    return organisation.pk in reachable_ids([organisation])


@transaction.atomic
def contact_service(sender, organisation, subject, body):
    """Send a message to a State service: e-mailed to its referents (or its contact address),
    with the sender's address to reply to. At most CONTACT_LIMIT per person per hour."""
    if not permissions.can_contact(sender, organisation):
        raise PermissionDenied
    since = timezone.now() - CONTACT_WINDOW
    # Locks the sender's row: two simultaneous messages cannot both pass the count.
    get_user_model().objects.select_for_update().filter(pk=sender.pk).exists()
    if ContactMessage.objects.filter(sender=sender, created_at__gte=since).count() >= CONTACT_LIMIT:
        _refuse(
            "body",
            _("Vous avez envoyé %(n)d messages en une heure : réessayez plus tard.")
            % {"n": CONTACT_LIMIT},
        )
    if not reachable(organisation):
        raise ValidationError(_("Ce service n’a pas encore de destinataire sur la plateforme."))
    message = ContactMessage.objects.create(
        organisation=organisation, sender=sender, subject=subject.strip(), body=body.strip()
    )
    record(
        sender,
        "organisation.contacted",
        _("Message à %s") % organisation,
        targets=[organisation, message],  # the e-mail (notifying.py) reads the message
    )
    return message
