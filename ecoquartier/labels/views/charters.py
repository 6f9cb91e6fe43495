"""Charter signature by the holder and acknowledgement by the State (F-41)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once
from ecoquartier.labels import permissions, services
from ecoquartier.labels.forms import CharterForm
from ecoquartier.labels.models import Charter
from ecoquartier.labels.views.common import crumbs, errors, visible_project
from ecoquartier.organisations.models import Organisation


@require_http_methods(["GET", "POST"])
def sign_charter(request, slug):
    project = visible_project(request, slug)
    if not permissions.can_sign_charter(request.user, project):
        raise PermissionDenied
    existing = Charter.objects.filter(project=project).first()
    if existing and request.method != "POST":  # A POST is refused below, or was a repeat.
        return redirect(existing)
    organisations = Organisation.objects.filter(
        pk__in=[o.pk for o in permissions.applicant_organisations(request.user, project)]
    )
    form = CharterForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "commitment"}
        try:
            with once(request) as key:
                charter = services.sign_charter(request.user, project, **data)
                key.done(charter)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(
                request, _("La charte est signée : le référent de l'État en est informé.")
            )
            return redirect(charter)
    return render(
        request,
        "labels/charter_form.html",
        {
            "project": project,
            "form": form,
            "breadcrumb": crumbs(
                (project.name, reverse("labels:project", args=[project.slug])),
                (_("Signer la charte"), None),
            ),
        },
        status=400 if form.errors else 200,
    )


def _charter_or_404(request, pk):
    charter = get_object_or_404(
        Charter.objects.select_related(
            "project", "organisation", "scheme", "signed_by", "acknowledged_by"
        ),
        pk=pk,
    )
    if not permissions.can_view_charter(request.user, charter):
        raise Http404
    return charter


@require_http_methods(["GET", "POST"])
def charter(request, pk):
    charter = _charter_or_404(request, pk)
    can_acknowledge = permissions.can_acknowledge_charter(request.user, charter)
    if request.method == "POST":
        if not can_acknowledge:
            raise PermissionDenied
        try:
            services.acknowledge_charter(request.user, charter)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Charte prise en compte : le projet entre dans la démarche.")
            )
        return redirect(charter)
    return render(
        request,
        "labels/charter.html",
        {
            "charter": charter,
            "can_acknowledge": can_acknowledge and not charter.is_acknowledged,
            "breadcrumb": crumbs(
                (charter.project.name, reverse("labels:project", args=[charter.project.slug])),
                (_("Charte"), None),
            ),
        },
    )


@require_safe
def charter_document(request, pk):
    charter = _charter_or_404(request, pk)
    return serve_private_file(request, charter.document, charter.document_name)
