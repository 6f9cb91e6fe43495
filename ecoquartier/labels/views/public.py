"""Public pages: the label home, the key figures, a project's label history and its
certificates."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoquartier.calls.models import Call
from ecoquartier.core.visitors import for_visitors
from ecoquartier.labels import certificates, figures, performance, permissions, rules
from ecoquartier.labels.models import (
    AWAITING_EXPERTISE,
    Campaign,
    Charter,
    LabelFile,
    LabelStep,
    UsePhaseEvaluation,
)
from ecoquartier.labels.views.common import crumbs, visible_project
from ecoquartier.projects.permissions import can_edit_project

# What a project's label history shows: its steps and the schemes' stages (labels), and the
# project (projects, for its name).
PUBLIC_DATA = ("labels", "projects")


@login_not_required
@require_safe
def index(request):
    campaigns = (
        Campaign.objects.filter(call__state=Call.State.PUBLISHED)
        .select_related("call__programme", "scheme", "file_step")
        .prefetch_related("call__programme__partners")
    )
    manageable = [c for c in campaigns if permissions.can_view_dashboard(request.user, c)]
    return render(
        request,
        "labels/index.html",
        {
            "campaigns": campaigns,
            "expertises": _expertises(request.user),
            "manageable": {c.pk for c in manageable},
            "can_open_campaign": permissions.can_open_campaign(request.user),
            "breadcrumb": [(_("Label ÉcoQuartier"), None)],
        },
    )


MAX_EXPERTISES = 50  # an expert is given a handful of files per campaign


def _expertises(user):
    """The files `user` is one of the two experts of, still in expertise (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        LabelFile.objects.filter(
            Q(coordinator=user) | Q(second_expert=user), state__in=AWAITING_EXPERTISE
        ).select_related("project", "target_stage", "campaign__expertise_step")[:MAX_EXPERTISES]
    )


@login_not_required
@require_safe
def key_figures(request):
    return render(
        request,
        "labels/key_figures.html",
        {
            **figures.cached_key_figures(),
            "title": _("Chiffres clés du label ÉcoQuartier"),
            "breadcrumb": crumbs((_("Chiffres clés"), None)),
        },
    )


@login_not_required
@require_safe
def project_label(request, slug):
    """A project's label history, the same for every visitor, hence cached for them by data
    generation (core.visitors); what signed-in people may do or follow is added per request."""
    project = visible_project(request, slug)

    def history():
        steps = list(
            LabelStep.objects.filter(project=project)
            .select_related("stage__scheme", "stage__maps_to")
            .order_by("decided_on", "pk")
        )
        context = {"steps": steps, "current": rules.History(steps=steps).current()}
        return {
            part: render_to_string(f"labels/includes/{part}.html", context)
            for part in ("current_stage", "history")
        }

    label = for_visitors(request, ("labels:project", project.pk), PUBLIC_DATA, history)
    context = _label_work(request.user, project) if request.user.is_authenticated else {}
    return render(
        request,
        "labels/project.html",
        {
            "project": project,
            "label": label,
            **context,
            "breadcrumb": crumbs((project.name, project.get_absolute_url()), (_("Label"), None)),
        },
    )


def _label_work(user, project):
    """What signed-in people may do or follow on the project's label page."""
    charter = Charter.objects.filter(project=project).first()
    can_edit = can_edit_project(user, project)
    files = LabelFile.objects.filter(project=project).select_related(
        "campaign__call__programme", "target_stage", "application"
    )
    evaluations = (
        UsePhaseEvaluation.objects.filter(project=project)
        .select_related("assessment__project", "project")
        .prefetch_related("assessment__co_experts")
    )
    open_campaigns = []
    if can_edit and charter:
        open_campaigns = list(
            Campaign.objects.filter(call__in=Call.objects.open())
            .select_related("call")
            .exclude(files__project=project)
        )
    visible_charter = charter and permissions.can_view_charter(user, charter)
    return {
        "charter": charter if visible_charter else None,
        "can_sign": can_edit and charter is None,
        "files": [f for f in files if permissions.can_view_file(user, f)],
        "evaluations": [e for e in evaluations if permissions.can_view_use_phase(user, e)],
        "open_campaigns": open_campaigns,
        # From ÉcoProjet (the charter signed) the holders fix the project's targets.
        "targets": performance.target_summary(project) if can_edit and charter else None,
    }


@login_not_required
@require_safe
def certificate(request, pk):
    step = get_object_or_404(LabelStep.objects.select_related("project", "stage__scheme"), pk=pk)
    visible_project(request, step.project.slug)
    response = HttpResponse(certificates.render(step), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(step)}"'
    return response
