"""ProConnect (the State's OpenID Connect identity federation for public agents).

Active only when PROCONNECT_CLIENT_ID is set (see config/settings.py). A ProConnect identity is
matched to an account by e-mail address, case-insensitively; a new account is created otherwise,
without a usable password. Memberships are never granted from claims: an organisation's
administrator (or platform staff) adds people to it.
"""

from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ecoquartier.accounts.services import change_fields
from ecoquartier.core.activity import record

# ProConnect claims → User fields. "usual_name" is ProConnect's family name.
CLAIM_FIELDS = {"given_name": "first_name", "usual_name": "last_name"}


def _email(claims):
    return (claims.get("email") or "").strip().lower()


def _names(claims):
    names = {}
    for claim, field in CLAIM_FIELDS.items():
        value = (claims.get(claim) or "").strip()
        if value:
            names[field] = value[:150]
    return names


class ProConnectBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        return bool(_email(claims))

    def filter_users_by_claims(self, claims):
        email = _email(claims)
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    @transaction.atomic
    def create_user(self, claims):
        user = self.UserModel.objects.create_user(email=_email(claims), **_names(claims))
        record(
            user,
            "accounts.proconnect_created",
            f"Compte créé via ProConnect : {user}",
            targets=[user],
        )
        return user

    @transaction.atomic
    def update_user(self, user, claims):
        """Keep the names ProConnect knows in step with the account."""
        return change_fields(
            user,
            user,
            _names(claims),
            "accounts.proconnect_updated",
            "Profil de {user} mis à jour par ProConnect",
        )
