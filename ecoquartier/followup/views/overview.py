"""The follow-up's own pages: the list of those one may see, opening one (from a selected
application, or for a project), its overview, changing and closing it."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.applications import permissions as application_permissions
from ecoquartier.applications.models import Application
from ecoquartier.calls.permissions import managed_programmes
from ecoquartier.core.activity import timeline
from ecoquartier.core.idempotency import once
from ecoquartier.followup import cached, permissions, reads, services
from ecoquartier.followup.forms import ChangeFollowUpForm, OpenForProjectForm
from ecoquartier.followup.models import (
    Convention,
    Deliverable,
    DeliverableState,
    FollowUp,
    Grant,
    RoadmapAction,
)
from ecoquartier.followup.views.common import errors, follow_up_or_404, section_context
from ecoquartier.followup.views.dashboard import export, index
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import visible_projects


def _coordinators():
    return Organisation.objects.filter(
        kind__in=(Organisation.Kind.PUBLIC_OPERATOR, Organisation.Kind.DDT,
                  Organisation.Kind.DREAL, Organisation.Kind.OTHER)
    ).order_by("name")  # fmt: skip


def _values(form):
    data = dict(form.cleaned_data)
    return {k: v for k, v in data.items() if v not in (None, "") or k == "coordinator"}


@require_POST
def open_from_application(request, pk):
    """ "Ouvrir l'accompagnement" on a selected application: one click, the programme's
    defaults (today, three years, the convention's days filled in later)."""
    application = get_object_or_404(
        Application.objects.select_related("call__programme", "project", "organisation"), pk=pk
    )
    if not application_permissions.can_view(request.user, application):
        raise Http404
    if not permissions.can_open_from(request.user, application):
        raise PermissionDenied
    existing = FollowUp.objects.filter(application=application).first()
    if existing is not None:
        return redirect("followup:detail", existing.pk)
    if application.project is None:
        messages.error(request, _("Rattachez d'abord un projet à cette candidature."))
        return redirect(application)
    try:
        with once(request) as key:
            follow_up = services.open_follow_up(
                request.user, programme=application.call.programme, project=application.project,
                beneficiary=application.organisation, application=application,
            )  # fmt: skip
            key.done(follow_up)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    messages.success(request, _("L'accompagnement est ouvert : préparez sa convention."))
    return redirect("followup:detail", follow_up.pk)


@require_http_methods(["GET", "POST"])
def open_for_project(request, slug):
    """Support outside a call: a programme manager opens a follow-up for a project."""
    project = visible_projects(request.user, Project.objects.filter(slug=slug)).first()
    programmes = managed_programmes(request.user)
    if project is None:
        raise Http404
    if not programmes.exists():
        raise PermissionDenied
    today = timezone.localdate()
    form = OpenForProjectForm(
        request.POST or None, coordinators=_coordinators(), programmes=programmes,
        beneficiaries=project.holders.all(),
        initial={"starts_on": today, "ends_on": today.replace(year=today.year + 3),
                 "days_budget": 36, "beneficiary": project.holders.first()},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        values = _values(form)
        try:
            with once(request) as key:
                follow_up = services.open_follow_up(
                    request.user, project=project, programme=values.pop("programme"),
                    beneficiary=values.pop("beneficiary"), **values,
                )  # fmt: skip
                key.done(follow_up)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("L'accompagnement est ouvert."))
            return redirect("followup:detail", follow_up.pk)
    return render(
        request, "followup/open.html",
        {"form": form, "project": project,
         "breadcrumb": [(project.name, project.get_absolute_url()),
                        (_("Ouvrir un accompagnement"), None)]},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _figures(follow_up):
    """The overview's figures: a fixed number of aggregate queries, made once per change of the
    follow-up's data and day (cached.py)."""
    today = timezone.localdate()
    return cached.value(
        "overview-figures", str(follow_up.pk), lambda: _count(follow_up, today),
        cached.stamp(today),
    )  # fmt: skip


def _count(follow_up, today):
    deliverables = Deliverable.objects.filter(follow_up=follow_up).aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(state=DeliverableState.ACCEPTED)),
        late=Count("pk", filter=Q(due_on__lt=today) & ~Q(state=DeliverableState.ACCEPTED)),
    )
    grants = Grant.objects.filter(follow_up=follow_up).aggregate(
        amount=Sum("amount"), paid=Sum("paid"), count=Count("pk")
    )
    actions = RoadmapAction.objects.filter(follow_up=follow_up).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=RoadmapAction.Status.DONE))
    )
    convention = Convention.objects.filter(follow_up=follow_up).order_by("-number").first()
    return {
        "days_left": follow_up.days_budget - follow_up.days_used,
        "deliverables": deliverables,
        "grants": grants,
        "actions": actions,
        "convention": convention,
    }


@require_safe
def detail(request, pk):
    follow_up = follow_up_or_404(request, pk, "application")
    context = section_context(request, follow_up, "followup:detail")
    context.update(
        figures=_figures(follow_up),
        events=timeline(follow_up, limit=20),
        can_edit=permissions.can_edit(request.user, follow_up),
        can_see_application=follow_up.application is not None
        and application_permissions.can_view(request.user, follow_up.application),
    )
    return render(request, "followup/detail.html", context)


def _calendar_years(follow_up):
    """The calendar years with at least a day of the period (its end is the day it stops)."""
    last = max(follow_up.starts_on, follow_up.ends_on - datetime.timedelta(days=1))
    return range(follow_up.starts_on.year, last.year + 1)


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    follow_up = follow_up_or_404(request, pk)
    if not permissions.can_edit(request.user, follow_up):
        raise PermissionDenied
    form = ChangeFollowUpForm(
        request.POST or None, coordinators=_coordinators(),
        years=_calendar_years(follow_up),
        planned=dict(follow_up.years.values_list("year", "days")),
        initial={**{name: getattr(follow_up, name) for name in services.EDITABLE},
                 "experts": list(follow_up.experts.all())},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in _values(form).items() if not k.startswith("year_")}
        try:
            services.change_follow_up(request.user, follow_up, values, years=form.split)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("L'accompagnement est modifié."))
            return redirect("followup:detail", follow_up.pk)
    context = section_context(request, follow_up, "followup:detail", (_("Modifier"), None))
    context["form"] = form
    return render(request, "followup/edit.html", context, status=400 if form.errors else 200)


@require_POST
def close(request, pk):
    follow_up = follow_up_or_404(request, pk)
    try:
        services.close_follow_up(request.user, follow_up, request.POST.get("reason", "")[:2000])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'accompagnement est clos."))
    return redirect(reverse("followup:detail", args=[follow_up.pk]))


urlpatterns = [
    path("", index, name="index"),
    path("export/<str:fmt>/", export, name="export"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/modifier/", edit, name="edit"),
    path("<int:pk>/clore/", close, name="close"),
    path("candidature/<int:pk>/ouvrir/", open_from_application, name="open_from_application"),
    path("projet/<slug:slug>/ouvrir/", open_for_project, name="open_for_project"),
]


@require_safe
def project(request, slug):
    """A project's follow-ups: days used and left, for its holders, State services, operators."""
    project = visible_projects(request.user, Project.objects.filter(slug=slug)).first()
    if project is None:
        raise Http404
    return render(
        request, "followup/project.html",
        {"project": project, "follow_ups": reads.project_follow_ups(request.user, project),
         "can_open": managed_programmes(request.user).exists(),
         "breadcrumb": [(project.name, project.get_absolute_url()), (_("Accompagnements"), None)]},
    )  # fmt: skip


urlpatterns.append(path("projet/<slug:slug>/", project, name="project"))
