from django import forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.forms import DsfrForm
from ecoquartier.organisations.models import ContactMessage, Membership

ROLE_PLACEHOLDER = [("", _("Choisir un rôle"))]


def _role_choices(roles):
    return ROLE_PLACEHOLDER + [(role.value, role.label) for role in roles]


class InviteForm(DsfrForm):
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    role = forms.ChoiceField(label=_("Rôle"), choices=())
    is_admin = forms.BooleanField(
        label=_("Administrateur de l’organisation"),
        required=False,
        help_text=_("Il pourra inviter, modifier et retirer des membres."),
    )

    def __init__(self, *args, roles, **kwargs):
        kwargs.setdefault("auto_id", "invite_%s")
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
        self.fields["role"].initial = Membership.Role.MEMBER


class MemberForm(DsfrForm):
    """One row of the member list: its role and administrator flag (prefixed by the row)."""

    role = forms.ChoiceField(label=_("Rôle"), choices=())
    is_admin = forms.BooleanField(label=_("Administrateur"), required=False)

    def __init__(self, *args, roles, current_role=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A role the manager may not give stays offered to whoever already holds it.
        allowed = list(roles)
        if current_role is not None and current_role not in allowed:
            allowed.append(Membership.Role(current_role))
        self.fields["role"].choices = _role_choices(allowed)


class JoinForm(DsfrForm):
    """A person without an account creates it from an invitation's link."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Au moins 8 caractères, ni trop courant, ni proche de votre nom, "
            "pas seulement des chiffres."
        ),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        return cleaned


class ContactForm(DsfrForm):
    subject = forms.CharField(
        label=_("Objet"), max_length=ContactMessage._meta.get_field("subject").max_length
    )
    body = forms.CharField(
        label=_("Votre message"),
        max_length=ContactMessage._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Le service vous répondra à l’adresse électronique de votre compte."),
    )
