import copy

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecoquartier.accounts import forms
from ecoquartier.accounts.services import after_password_reset, update_profile


def _reset_crumbs(title):
    return [
        (gettext_lazy("Se connecter"), reverse_lazy("accounts:login")),
        (title, None),
    ]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True
    extra_context = {"breadcrumb": [(gettext_lazy("Se connecter"), None)]}


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    title = gettext_lazy("Mot de passe oublié")
    extra_context = {"breadcrumb": _reset_crumbs(title)}
    form_class = forms.PasswordResetForm
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    title = gettext_lazy("Vérifiez votre messagerie")
    extra_context = {"breadcrumb": _reset_crumbs(title)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    title = gettext_lazy("Choisir un nouveau mot de passe")
    extra_context = {"breadcrumb": _reset_crumbs(title)}
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_context_data(self, **kwargs):
        # The same title for a link no longer valid (the page says so below it).
        return {**super().get_context_data(**kwargs), "title": self.title}

    def form_valid(self, form):
        response = super().form_valid(form)
        after_password_reset(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = gettext_lazy("Mot de passe modifié")
    extra_context = {"breadcrumb": _reset_crumbs(title)}


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")
    extra_context = {
        "breadcrumb": [
            (gettext_lazy("Mon profil"), reverse_lazy("accounts:profile")),
            (gettext_lazy("Changer de mot de passe"), None),
        ]
    }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Votre mot de passe a été modifié."))
        return response


def profile(request):
    user = request.user
    # The form validates on a copy so that the service sees what actually changed.
    form = forms.ProfileForm(request.POST or None, instance=copy.copy(user))
    if request.method == "POST" and form.is_valid():
        update_profile(user, user, form.cleaned_data)
        messages.success(request, _("Votre profil a été mis à jour."))
        return redirect("accounts:profile")
    memberships = user.memberships.select_related("organisation__territory")
    title = _("Mon profil")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": memberships,
            "title": title,
            "breadcrumb": [(title, None)],
        },
    )
