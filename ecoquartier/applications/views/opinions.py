"""Opinions ("avis") and private annotations: ask, answer (with files), accept an e-mailed
request, list one's requests; a programme's usual experts. Thin: services in opinions.py."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoquartier.accounts.models import User
from ecoquartier.applications import opinions, permissions
from ecoquartier.applications.forms import (
    AnnotationForm,
    AnswerOpinionForm,
    AskOpinionForm,
    ExpertAccountForm,
    UsualExpertForm,
)
from ecoquartier.applications.models import Opinion, OpinionFile, UsualExpert
from ecoquartier.applications.views.applicant import _detail
from ecoquartier.applications.views.common import application_or_404, require
from ecoquartier.calls.models import Programme
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate


def _errors_to_form(form, error):
    """A service's refusal beside the field it names (else above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _anchor(application, anchor):
    return reverse("applications:detail", kwargs={"pk": application.pk}) + anchor


@require_POST
def ask(request, pk):
    application = application_or_404(request.user, pk)
    require(permissions.can_ask_opinion(request.user, application))
    form = AskOpinionForm(request.POST, choices=opinions.expert_choices(application))
    if form.is_valid():
        back = _anchor(application, "#avis")
        try:
            with once(request) as key:
                asked = opinions.ask_opinion(
                    request.user, application, form.cleaned_data["question"], form.addresses()
                )
                key.done(back)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Avis demandé à %s personne(s).") % len(asked))
            return redirect(back)
    return _detail(request, application, status=400, ask_form=form)


def _own_opinion(request, pk, opinion_pk):
    application = application_or_404(request.user, pk)
    opinion = get_object_or_404(Opinion, pk=opinion_pk, application=application)
    if opinion.expert_id != request.user.pk and not permissions.is_instructor(
        request.user, application
    ):
        raise Http404
    opinion.application = application
    return application, opinion


@require_POST
def answer(request, pk, opinion_pk):
    application, opinion = _own_opinion(request, pk, opinion_pk)
    require(opinion.expert_id == request.user.pk)
    if opinion.is_answered:
        messages.info(request, _("Cet avis est déjà donné."))
        return redirect(_anchor(application, "#avis"))
    form = AnswerOpinionForm(request.POST, request.FILES, prefix=f"avis{opinion.pk}")
    form.opinion_pk = opinion.pk
    if form.is_valid():
        try:
            opinions.answer_opinion(
                request.user, opinion, form.cleaned_data["answer"], form.cleaned_data["files"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Votre avis est enregistré. Merci."))
            return redirect(_anchor(application, "#avis"))
    return _detail(request, application, status=400, answer_form=form)


def opinion_file(request, pk, opinion_pk, file_pk):
    _application, opinion = _own_opinion(request, pk, opinion_pk)
    row = get_object_or_404(OpinionFile, pk=file_pk, opinion=opinion)
    return serve_private_file(request, row.file, row.name)


@require_POST
def annotate(request, pk):
    application = application_or_404(request.user, pk)
    require(permissions.can_annotate(request.user, application))
    form = AnnotationForm(request.POST)
    if form.is_valid():
        back = _anchor(application, "#annotations")
        try:
            with once(request) as key:
                opinions.annotate(request.user, application, form.cleaned_data["body"])
                key.done(back)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Annotation enregistrée."))
            return redirect(back)
    return _detail(request, application, status=400, annotation_form=form)


def mine(request):
    """Mes avis à donner: the requests addressed to the user, waiting ones first."""
    return render(
        request,
        "applications/opinions.html",
        {
            "page": paginate(request, _waiting_first(request.user), 20),
            "pending": opinions.pending_count(request.user),
            "breadcrumb": [(_("Mes avis à donner"), None)],
        },
    )


def _waiting_first(user):
    return (
        Opinion.objects.filter(expert=user)
        .select_related("application__call", "application__organisation", "asked_by")
        .defer("answer", "application__eligibility", "application__motivation")
        .order_by(F("answered_at").desc(nulls_first=True), "asked_at", "pk")
    )


@login_not_required
def accept(request, token):
    """The link e-mailed to an outside expert: signed in, the request is bound to the account
    (of the address asked only); otherwise sign in, or create the account of that address."""
    email = opinions.invited_address(token)
    if email is None:
        messages.error(request, _("Ce lien de demande d’avis n’est pas valide ou a expiré."))
        return redirect("core:home")
    if request.user.is_authenticated:
        try:
            opinion = opinions.accept_opinion(request.user, token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("applications:opinions")
        messages.success(request, _("La demande d’avis est dans votre liste."))
        return redirect(_anchor(opinion.application, "#avis"))
    if User.objects.filter(email__iexact=email).exists():
        messages.info(request, _("Connectez-vous avec le compte de %s pour répondre.") % email)
        return redirect_to_login(request.get_full_path())
    form = ExpertAccountForm(request.POST or None, email=email)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                opinion = opinions.create_expert_account(
                    token,
                    form.cleaned_data["password1"],
                    form.cleaned_data["first_name"],
                    form.cleaned_data["last_name"],
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                login(request, opinion.expert, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Votre compte est créé : donnez votre avis."))
                return redirect(_anchor(opinion.application, "#avis"))
        status = 400
    return render(
        request,
        "applications/opinion_account.html",
        {"form": form, "email": email, "breadcrumb": [(_("Demande d’avis"), None)]},
        status=status,
    )


def _managed_programme(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    if not permissions.can_manage_usual_experts(request.user, programme):
        raise PermissionDenied
    return programme


def usual_experts(request, slug):
    programme = _managed_programme(request, slug)
    form = UsualExpertForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with once(request) as key:
                    opinions.add_usual_expert(
                        request.user,
                        programme,
                        form.cleaned_data["email"],
                        form.cleaned_data["label"],
                    )
                    key.done(request.path)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Expert ajouté à la liste."))
                return redirect(request.path)
        status = 400
    return render(
        request,
        "applications/usual_experts.html",
        {
            "programme": programme,
            "experts": paginate(request, programme.usual_experts.all(), 50),
            "form": form,
            "breadcrumb": [
                (programme.name, programme.get_absolute_url()),
                (_("Experts habituels"), None),
            ],
        },
        status=status,
    )


@require_POST
def usual_expert_remove(request, slug, expert_pk):
    programme = _managed_programme(request, slug)
    usual = get_object_or_404(UsualExpert, pk=expert_pk, programme=programme)
    opinions.remove_usual_expert(request.user, usual)
    messages.success(request, _("%s est retiré de la liste.") % usual.email)
    return redirect("applications:usual_experts", slug=slug)
