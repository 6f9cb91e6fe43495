"""Project pages (F-03) and their timeline (F-04). Thin: rules live in permissions.py and
services.py, reads in reads.py; every page runs a fixed number of queries whatever the data size,
and what visitors see of the public pages is computed once per data generation (core/visitors)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoquartier.core.activity import event_rows, timeline
from ecoquartier.core.extensions import project_sections
from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate
from ecoquartier.core.visitors import for_visitors
from ecoquartier.projects.forms import ProjectFilterForm, ProjectForm
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import (
    can_create_project,
    can_edit_project,
    can_view_project,
    visible_events,
    visible_projects,
)
from ecoquartier.projects.reads import (
    card_queryset,
    card_rows,
    project_relations,
    unfiltered_count,
)
from ecoquartier.projects.services import (
    StaleProjectError,
    conflicts,
    create_project,
    update_project,
)

PAGE_SIZE = 20
TIMELINE_SIZE = 10
TIMELINE_PAGE_SIZE = 30


def _visible_project_or_404(request, slug):
    """A project the user may not see does not exist for them: 404, never 403. The holders and
    communes the permission checks need are read only when needed (never for a public project)."""
    project = get_object_or_404(Project, slug=slug)
    if not can_view_project(request.user, project):
        raise Http404
    return project


def _territory_url(territory):
    # The organisations app owns territory pages; link to them once they exist.
    try:
        return reverse(
            "organisations:territory",
            kwargs={"kind": territory["kind"], "code": territory["code"]},
        )
    except NoReverseMatch:
        return None


def _breadcrumb(*items):
    return [(_("Projets"), reverse("projects:list")), *items]


# What the public project pages read: a change to any of these shows at the next request.
PUBLIC_DATA = ("projects", "organisations", "territories", "activity")


@login_not_required
@require_safe
def project_list(request):
    form = ProjectFilterForm(request.GET or None)

    def content():
        projects = visible_projects(request.user)
        criteria = {}
        if form.is_bound:
            form.is_valid()  # Valid criteria apply even when another one is in error.
            criteria = form.criteria()
            projects = projects.filtered(**criteria)
        # Unfiltered, the number of projects is known without counting them all.
        count = None if any(criteria.values()) else unfiltered_count(request.user)
        page = paginate(request, card_queryset(projects), PAGE_SIZE, count=count)
        page.object_list = card_rows(page.object_list)
        context = {"form": form, "page_obj": page, "request": request}
        return render_to_string("projects/includes/list_content.html", context)

    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "content": for_visitors(request, "projects:list", PUBLIC_DATA, content),
            "can_create": can_create_project(request.user),
            "breadcrumb": [(_("Projets"), None)],
        },
    )


@login_not_required
@require_safe
def project_detail(request, slug):
    def content():
        project = _visible_project_or_404(request, slug)
        if request.user.is_authenticated:
            # Read once for both checks below (who may edit, which events they see).
            prefetch_related_objects([project], "holders")
        relations = project_relations(project)
        events = visible_events(request.user, project, timeline(project))
        events = event_rows(events[: TIMELINE_SIZE + 1])
        context = {
            "project": project,
            "relations": relations,
            "communes": [(c, _territory_url(c)) for c in relations["communes"]],
            "can_edit": can_edit_project(request.user, project),
            "sections": [(s, s.url(project)) for s in project_sections()],
            "events": events[:TIMELINE_SIZE],
            "more_events": len(events) > TIMELINE_SIZE,
            "map_tiles_url": settings.MAP_TILES_URL,
        }
        html = render_to_string("projects/includes/detail_content.html", context)
        return {"name": project.name, "content": html}

    page = for_visitors(request, ("projects:detail", slug), PUBLIC_DATA, content)
    return render(
        request,
        "projects/project_detail.html",
        {
            "page": page,
            "map_tiles_url": settings.MAP_TILES_URL,
            "breadcrumb": _breadcrumb((page["name"], None)),
        },
    )


@login_not_required
@require_safe
def project_timeline(request, slug):
    def content():
        project = _visible_project_or_404(request, slug)
        events = visible_events(request.user, project, timeline(project))
        page = paginate(request, events, TIMELINE_PAGE_SIZE)
        page.object_list = event_rows(page.object_list)
        context = {
            "name": project.name,
            "url": project.get_absolute_url(),
            "page_obj": page,
            "request": request,
        }
        html = render_to_string("projects/includes/timeline_content.html", context)
        return {"name": project.name, "url": context["url"], "content": html}

    page = for_visitors(request, ("projects:timeline", slug), PUBLIC_DATA, content)
    return render(
        request,
        "projects/project_timeline.html",
        {
            "page": page,
            "breadcrumb": _breadcrumb((page["name"], page["url"]), (_("Historique"), None)),
        },
    )


def _render_form(request, form, project=None, *, conflict_rows=None, status=200):
    title = _("Modifier le projet") if project else _("Créer un projet")
    crumbs = [(project.name, project.get_absolute_url())] if project else []
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "project": project,
            "title": title,
            "conflicts": conflict_rows,
            "map_tiles_url": settings.MAP_TILES_URL,
            "breadcrumb": _breadcrumb(*crumbs, (title, None)),
        },
        status=status,
    )


def _attach_service_errors(form, error):
    for field, messages_ in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def project_create(request):
    if not can_create_project(request.user):
        context = {"title": _("Créer un projet")}
        return render(request, "projects/project_create_forbidden.html", context, status=403)
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as key:
                project = create_project(request.user, form.project_data())
                key.done(project)
        except ValidationError as error:
            _attach_service_errors(form, error)
        else:
            messages.success(
                request, _("Le projet « %(name)s » a été créé.") % {"name": project.name}
            )
            return redirect(project)
    return _render_form(request, form)


def project_edit(request, slug):
    project = _visible_project_or_404(request, slug)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user, project=project)
    if request.method != "POST" or not form.is_valid():
        return _render_form(request, form, project)
    try:
        update_project(request.user, project, form.project_data(), form.cleaned_data["version"])
    except StaleProjectError as stale:
        return _render_stale(request, form, stale.current)
    except ValidationError as error:
        _attach_service_errors(form, error)
        return _render_form(request, form, project)
    messages.success(request, _("Les modifications ont été enregistrées."))
    return redirect(project)


def _render_stale(request, form, current):
    """Show the user's input again, with the saved values that differ from it.

    The hidden version moves to the saved one: submitting again is a deliberate overwrite.
    """
    rows = conflicts(current, form.project_data())
    data = request.POST.copy()
    data["version"] = current.version
    again = ProjectForm(data, user=request.user, project=current)
    again.is_valid()
    again.add_error(None, str(StaleProjectError.message))
    return _render_form(request, again, current, conflict_rows=rows, status=409)
