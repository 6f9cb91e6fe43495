from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from ecoquartier.accounts.models import User
from ecoquartier.core.forms import DsfrFormMixin


class LoginForm(DsfrFormMixin, auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label=_("Adresse électronique"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
        help_text=_("Format attendu : nom@domaine.fr"),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_username(self):
        # E-mails are case-insensitive: one spelling for the backend and for axes' lockout count,
        # so "Nom@X.fr" and "nom@x.fr" share the same failure counter.
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "phone"]
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}
        help_texts = {"phone": _("Format attendu : 01 22 33 44 55")}
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }


class PasswordResetForm(DsfrFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetPasswordForm(DsfrFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(DsfrFormMixin, auth_forms.PasswordChangeForm):
    pass
