"""Lookups shared by the views: each fetches what the permission checks need in one go, and
turns "may not read this" into 404 and "may read this, not do that" into 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ecoquartier.assessments import permissions
from ecoquartier.assessments.models import Assessment
from ecoquartier.projects.models import Project


def assessments_with_context():
    return Assessment.objects.select_related(
        "project", "version", "lead_expert", "created_by"
    ).prefetch_related("project__holders", "co_experts")


def readable_assessment(request, pk):
    """An assessment the user may not read does not exist for them (permissions.py)."""
    assessment = get_object_or_404(assessments_with_context(), pk=pk)
    if not permissions.can_read_assessment(request.user, assessment):
        raise Http404
    return assessment


def writable_assessment(request, pk):
    assessment = readable_assessment(request, pk)
    if not permissions.can_write_assessment(request.user, assessment):
        raise PermissionDenied
    return assessment


def visible_project(request, slug):
    project = get_object_or_404(Project.objects.prefetch_related("holders"), slug=slug)
    if not permissions.can_view_project_assessments(request.user, project):
        raise Http404
    return project


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"
