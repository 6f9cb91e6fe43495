"""The follow-up's « Jalons et livrables » section: milestones as a timeline with their
deliverables, each deliverable's page (versions, review history, upload and review forms), the
team's forms; a programme's « what is due » table and phase plan; the personal iCal feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.calls.models import Programme
from ecoquartier.calls.permissions import can_manage_programme
from ecoquartier.core import workflows
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate
from ecoquartier.followup import deliverables as services
from ecoquartier.followup import permissions
from ecoquartier.followup.deliverables_forms import (
    DeliverableForm,
    DueFilterForm,
    MilestoneForm,
    PhaseFormSet,
    ReviewForm,
    UploadForm,
)
from ecoquartier.followup.models import (
    Deliverable,
    DeliverableState,
    DeliverableVersion,
    Milestone,
    MilestoneTemplate,
)
from ecoquartier.followup.views.common import crumbs, errors, follow_up_or_404, section_context
from ecoquartier.organisations.models import Organisation
from ecoquartier.territories.models import Territory

SECTION = "followup:deliverables"


def _section_url(follow_up):
    return reverse(SECTION, args=[follow_up.pk])


def _deliverable_url(deliverable):
    return reverse("followup:deliverable", args=[deliverable.follow_up_id, deliverable.pk])


# --- The section: milestones as a timeline ------------------------------------------------------


@require_safe
def section(request, pk):
    follow_up = follow_up_or_404(request, pk)
    today = timezone.localdate()
    rows = services.with_late(Deliverable.objects.filter(follow_up=follow_up), today)
    rows = rows.select_related("owner").annotate(last_version=Max("files__number"))
    by_milestone = {}
    for deliverable in rows.order_by("due_on", "pk"):
        by_milestone.setdefault(deliverable.milestone_id, []).append(deliverable)
    milestones = list(Milestone.objects.filter(follow_up=follow_up))
    for milestone in milestones:
        milestone.items = by_milestone.pop(milestone.pk, [])
        milestone.late = milestone.done_on is None and milestone.due_on < today
    loose = [d for items in by_milestone.values() for d in items]
    user = request.user
    context = section_context(request, follow_up, SECTION)
    context.update(
        milestones=milestones,
        loose=loose,
        can_plan=permissions.can_plan_deliverables(user, follow_up),
        can_see_due=permissions.due_follow_ups(user, follow_up.programme) is not None,
        can_plan_programme=permissions.can_plan_programme(user, follow_up.programme),
        calendar_url=request.build_absolute_uri(
            reverse("followup:calendar", args=[services.calendar_token(user)])
        ),
        late_count=sum(d.late for m in milestones for d in m.items) + sum(d.late for d in loose),
    )
    return render(request, "followup/deliverables/section.html", context)


# --- The team's forms: milestones and deliverables ----------------------------------------------


def _planner(request, pk):
    follow_up = follow_up_or_404(request, pk)
    if not permissions.can_plan_deliverables(request.user, follow_up):
        raise PermissionDenied
    return follow_up


def _form_page(request, follow_up, form, title, status_title):
    context = section_context(
        request, follow_up, SECTION, (_("Jalons et livrables"), _section_url(follow_up)),
        (title, None),
    )  # fmt: skip
    context.update(form=form, title=title, status_title=status_title, creating=True)
    return render(
        request, "followup/deliverables/form.html", context, status=400 if form.errors else 200
    )


def _save(request, form, follow_up, action, success, creating=False):
    """Run `action(values)` for a valid form; the redirect, or None with the errors on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        if creating:
            with once(request) as key:
                action(dict(form.cleaned_data))
                key.done(_section_url(follow_up))
        else:
            action(dict(form.cleaned_data))
    except ValidationError as error:
        errors(form, error)
        return None
    messages.success(request, success)
    return redirect(_section_url(follow_up))


@require_http_methods(["GET", "POST"])
def milestone_add(request, pk):
    follow_up = _planner(request, pk)
    form = MilestoneForm(request.POST or None, creating=True)

    def action(values):
        services.add_milestone(request.user, follow_up, **values)

    done = _save(request, form, follow_up, action, _("Le jalon est ajouté."), creating=True)
    return done or _form_page(
        request, follow_up, form, _("Ajouter un jalon"), _("Le jalon n'a pas été ajouté")
    )


@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk, milestone_pk):
    follow_up = _planner(request, pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, follow_up=follow_up)
    form = MilestoneForm(
        request.POST or None,
        initial={"title": milestone.title, "due_on": milestone.due_on,
                 "reached": milestone.done_on is not None},
    )  # fmt: skip

    def action(values):
        services.change_milestone(request.user, milestone, **values)

    done = _save(request, form, follow_up, action, _("Le jalon est modifié."))
    return done or _form_page(
        request, follow_up, form, _("Modifier le jalon « %s »") % milestone.title,
        _("Le jalon n'a pas été modifié"),
    )  # fmt: skip


def _deliverable_form(request, follow_up, **kwargs):
    owners = Organisation.objects.filter(
        pk__in=[follow_up.beneficiary_id, follow_up.coordinator_id]
    ).order_by("name")
    return DeliverableForm(
        request.POST or None, milestones=Milestone.objects.filter(follow_up=follow_up),
        owners=owners, **kwargs,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def deliverable_add(request, pk):
    follow_up = _planner(request, pk)
    form = _deliverable_form(
        request, follow_up, initial={"milestone": request.GET.get("jalon") or None}
    )

    def action(values):
        services.add_deliverable(request.user, follow_up, **values)

    done = _save(request, form, follow_up, action, _("Le livrable est ajouté."), creating=True)
    return done or _form_page(
        request, follow_up, form, _("Ajouter un livrable"), _("Le livrable n'a pas été ajouté")
    )


@require_http_methods(["GET", "POST"])
def deliverable_edit(request, pk, deliverable_pk):
    follow_up = _planner(request, pk)
    deliverable = get_object_or_404(Deliverable, pk=deliverable_pk, follow_up=follow_up)
    form = _deliverable_form(
        request, follow_up,
        initial={name: getattr(deliverable, name) for name in services.DELIVERABLE_FIELDS},
    )  # fmt: skip

    def action(values):
        services.change_deliverable(request.user, deliverable, values)

    done = _save(request, form, follow_up, action, _("Le livrable est modifié."))
    return done or _form_page(
        request, follow_up, form, _("Modifier le livrable « %s »") % deliverable.title,
        _("Le livrable n'a pas été modifié"),
    )  # fmt: skip


# --- A deliverable: versions, review history, upload and review ---------------------------------


def _deliverable_or_404(request, pk, deliverable_pk):
    follow_up = follow_up_or_404(request, pk)
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("owner", "milestone"),
        pk=deliverable_pk, follow_up=follow_up,
    )  # fmt: skip
    deliverable.follow_up = follow_up  # permissions read its cached team
    return follow_up, deliverable


def _deliverable_page(request, follow_up, deliverable, upload_form=None, review_form=None):
    user = request.user
    may_upload = (
        permissions.can_upload_deliverable(user, deliverable)
        and deliverable.state != DeliverableState.ACCEPTED
    )
    may_review = (
        permissions.can_review_deliverable(user, deliverable)
        and deliverable.state == DeliverableState.SUBMITTED
    )
    initial = {"version": deliverable.version}
    history = workflows.log_of(deliverable).select_related("actor")
    labels = {t.name: t.label for t in services.TRANSITIONS}
    context = section_context(
        request, follow_up, SECTION, (_("Jalons et livrables"), _section_url(follow_up)),
        (deliverable.title, None),
    )  # fmt: skip
    context.update(
        deliverable=deliverable,
        late=services.is_late(deliverable),
        versions=list(deliverable.files.select_related("uploaded_by")),
        history=[(log, labels.get(log.transition, log.transition)) for log in history],
        upload_form=upload_form or (UploadForm(initial=initial) if may_upload else None),
        review_form=review_form or (ReviewForm(initial=initial) if may_review else None),
        can_plan=permissions.can_plan_deliverables(user, follow_up),
    )
    failed = (upload_form and upload_form.errors) or (review_form and review_form.errors)
    return render(
        request, "followup/deliverables/deliverable.html", context, status=400 if failed else 200
    )


@require_safe
def deliverable(request, pk, deliverable_pk):
    follow_up, deliverable = _deliverable_or_404(request, pk, deliverable_pk)
    return _deliverable_page(request, follow_up, deliverable)


@require_POST
def upload(request, pk, deliverable_pk):
    follow_up, deliverable = _deliverable_or_404(request, pk, deliverable_pk)
    if not permissions.can_upload_deliverable(request.user, deliverable):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with once(request) as key:
                services.upload(
                    request.user, deliverable, data["file"], data["comment"],
                    expected_version=data["version"],
                )  # fmt: skip
                key.done(_deliverable_url(deliverable))
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("La version est déposée : les relecteurs sont prévenus."))
            return redirect(_deliverable_url(deliverable))
    return _deliverable_page(request, follow_up, deliverable, upload_form=form)


@require_POST
def review(request, pk, deliverable_pk):
    follow_up, deliverable = _deliverable_or_404(request, pk, deliverable_pk)
    if not permissions.can_review_deliverable(request.user, deliverable):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.review(
                request.user, deliverable, data["decision"], data["comment"],
                expected_version=data["version"],
            )  # fmt: skip
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("L'avis est enregistré : le responsable est prévenu."))
            return redirect(_deliverable_url(deliverable))
    return _deliverable_page(request, follow_up, deliverable, review_form=form)


@require_safe
def version_file(request, pk, deliverable_pk, version_pk):
    _follow_up, deliverable = _deliverable_or_404(request, pk, deliverable_pk)
    version = get_object_or_404(DeliverableVersion, pk=version_pk, deliverable=deliverable)
    return serve_private_file(request, version.file, version.name)


# --- A programme: what is due, its phase plan ---------------------------------------------------


@require_safe
def programme_due(request, slug):
    """Deliverables not accepted across the programme's follow-ups the user may see, by due date
    (so the late ones first); a fixed number of queries whatever their number."""
    programme = get_object_or_404(Programme, slug=slug)
    follow_ups = permissions.due_follow_ups(request.user, programme)
    if follow_ups is None:
        raise PermissionDenied
    today = timezone.localdate()
    rows = Deliverable.objects.filter(follow_up__in=follow_ups.values("pk")).exclude(
        state=DeliverableState.ACCEPTED
    )
    regions = Territory.objects.filter(
        pk__in=follow_ups.filter(region__isnull=False).values("region_id")
    ).order_by("name")
    form = DueFilterForm(request.GET or None, regions=regions)
    if form.is_valid():
        if form.cleaned_data["late"]:
            rows = rows.filter(services.late_condition(today))
        if form.cleaned_data["region"]:
            rows = rows.filter(follow_up__region=form.cleaned_data["region"])
    counts = rows.aggregate(total=Count("pk"), late=Count("pk", filter=services.late_condition()))
    rows = services.with_late(rows, today).select_related(
        "follow_up__project", "follow_up__region", "owner", "milestone"
    )
    page = paginate(request, rows.order_by("due_on", "pk"), per_page=50, count=counts["total"])
    return render(
        request, "followup/deliverables/due.html",
        {"programme": programme, "page_obj": page, "form": form, "counts": counts,
         "can_plan": can_manage_programme(request.user, programme),
         "breadcrumb": crumbs(None, (programme.name, None), (_("Livrables attendus"), None))},
    )  # fmt: skip


def _phases_initial(programme):
    return [
        {"title": t.title, "offset_months": t.offset_months,
         "deliverables": "\n".join(t.deliverables)}
        for t in MilestoneTemplate.objects.filter(programme=programme)
    ]  # fmt: skip


@require_http_methods(["GET", "POST"])
def phase_plan(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    if not permissions.can_plan_programme(request.user, programme):
        raise PermissionDenied
    initial = None if request.method == "POST" else _phases_initial(programme)
    formset = PhaseFormSet(request.POST or None, initial=initial, prefix="phases")
    if request.method == "POST" and formset.is_valid():
        phases = [
            form.cleaned_data
            for form in formset
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        services.set_phase_plan(request.user, programme, phases)
        messages.success(request, _("Les phases types du programme sont enregistrées."))
        return redirect("followup:phase_plan", programme.slug)
    return render(
        request, "followup/deliverables/phase_plan.html",
        {"programme": programme, "formset": formset,
         "breadcrumb": crumbs(None, (programme.name, None), (_("Phases types"), None))},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


# --- The iCal feed ------------------------------------------------------------------------------


@login_not_required
@require_safe
def calendar(request, token):
    """A user's milestones and due dates, at the secret address calendar apps subscribe to."""
    user = services.calendar_user(token)
    if user is None:
        raise Http404
    response = HttpResponse(services.calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="accompagnements.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
def calendar_renew(request, pk):
    """A new calendar address for the reader (from a follow-up's deliverables, where it shows):
    the earlier ones stop working."""
    follow_up = follow_up_or_404(request, pk)
    services.renew_calendar(request.user)
    messages.success(
        request, _("Votre adresse d'agenda est renouvelée : l'ancienne ne fonctionne plus.")
    )
    return redirect(_section_url(follow_up) + "#agenda")


urlpatterns = [
    path("<int:pk>/deliverables/", section, name="deliverables"),
    path("<int:pk>/calendrier/renouveler/", calendar_renew, name="calendar_renew"),
    path("<int:pk>/jalons/ajouter/", milestone_add, name="milestone_add"),
    path("<int:pk>/jalons/<int:milestone_pk>/modifier/", milestone_edit, name="milestone_edit"),
    path("<int:pk>/livrables/ajouter/", deliverable_add, name="deliverable_add"),
    path("<int:pk>/livrables/<int:deliverable_pk>/", deliverable, name="deliverable"),
    path(
        "<int:pk>/livrables/<int:deliverable_pk>/modifier/",
        deliverable_edit,
        name="deliverable_edit",
    ),  # fmt: skip
    path("<int:pk>/livrables/<int:deliverable_pk>/deposer/", upload, name="deliverable_upload"),
    path("<int:pk>/livrables/<int:deliverable_pk>/avis/", review, name="deliverable_review"),
    path(
        "<int:pk>/livrables/<int:deliverable_pk>/versions/<int:version_pk>/",
        version_file,
        name="deliverable_version",
    ),  # fmt: skip
    path("programme/<slug:slug>/livrables/", programme_due, name="programme_due"),
    path("programme/<slug:slug>/phases/", phase_plan, name="phase_plan"),
    path("calendrier/<str:token>/", calendar, name="calendar"),
]
