"""The use-phase evaluation's own fields (F-43)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecoquartier.labels import permissions, services
from ecoquartier.labels.forms import UsePhaseForm
from ecoquartier.labels.models import UsePhaseEvaluation
from ecoquartier.labels.views.common import crumbs, errors


@require_http_methods(["GET", "POST"])
def use_phase(request, pk):
    evaluation = get_object_or_404(
        UsePhaseEvaluation.objects.select_related(
            "assessment__project", "project"
        ).prefetch_related("assessment__co_experts", "project__holders"),
        pk=pk,
    )
    if not permissions.can_view_use_phase(request.user, evaluation):
        raise Http404
    can_edit = permissions.can_edit_use_phase(request.user, evaluation)
    form = UsePhaseForm(
        request.POST if request.method == "POST" else None,
        initial={f: getattr(evaluation, f) for f in UsePhaseEvaluation.FIELDS},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_use_phase(request.user, evaluation, form.cleaned_data)
            except ValidationError as error:
                errors(form, error)
            else:
                messages.success(request, _("Évaluation en phase d'usage enregistrée."))
                return redirect(evaluation)
    return render(
        request,
        "labels/use_phase.html",
        {
            "evaluation": evaluation,
            "form": form if can_edit else None,
            "breadcrumb": crumbs(
                (
                    evaluation.project.name,
                    reverse("labels:project", args=[evaluation.project.slug]),
                ),
                (_("Évaluation en phase d'usage"), None),
            ),
        },
        status=400 if form.errors else 200,
    )
