"""Helpers shared by the label pages."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import visible_projects


def crumbs(*items):
    return [(_("Label ÉcoQuartier"), reverse("labels:index")), *items]


def errors(form, error):
    """A service's refusal on the form: next to its field when it names one of the form's."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
        return
    for message in error.messages:
        form.add_error(None, message)


def visible_project(request, slug):
    project = visible_projects(request.user, Project.objects.filter(slug=slug)).first()
    if project is None:
        raise Http404
    return project
