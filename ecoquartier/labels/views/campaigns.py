"""The campaign dashboard (funnel per région, late files, sessions) and the application form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.core.idempotency import once
from ecoquartier.labels import figures, performance, permissions, rules, services
from ecoquartier.labels.forms import (
    ApplyForm,
    CampaignForm,
    SessionForm,
)
from ecoquartier.labels.models import (
    Campaign,
    LabelFile,
    LabelScheme,
)
from ecoquartier.labels.views.common import crumbs, errors, visible_project
from ecoquartier.organisations.models import Organisation
from ecoquartier.referentiel.models import Commitment, ReferentielVersion
from ecoquartier.territories.services import france

LATE_LIMIT = 50


def _visible_campaign(request, pk):
    campaign = get_object_or_404(
        Campaign.objects.select_related("call__programme", "scheme", "expertise_step", "file_step"),
        pk=pk,
    )
    if not permissions.can_view_campaign(request.user, campaign):
        raise Http404
    return campaign


def _campaign_or_404(request, pk):
    """The campaign's dashboard: 404 for a campaign one may not see, 403 for a public one whose
    dashboard is for others."""
    campaign = _visible_campaign(request, pk)
    if not permissions.can_view_dashboard(request.user, campaign):
        raise PermissionDenied
    return campaign


@require_safe
def campaign(request, pk, session_form=None):
    campaign = _campaign_or_404(request, pk)
    files = permissions.dashboard_files(request.user, campaign, LabelFile.objects.all())
    rows, total = figures.funnel(campaign, files)
    late = list(
        files.late_on_expertise()
        .select_related("project", "region", "coordinator")
        .order_by("campaign__expertise_step__deadline", "pk")[:LATE_LIMIT]
    )
    listed = files.select_related("project", "target_stage", "region").order_by(
        "region__name", "project__name"
    )
    return render(
        request,
        "labels/campaign.html",
        {
            "campaign": campaign,
            "steps": list(campaign.call.steps.all()),
            "funnel": rows,
            "total": total,
            "late": late,
            "files": listed[:200],
            "sessions": _sessions(request.user, campaign),
            "session_form": session_form or _session_form(request.user, campaign),
            "breadcrumb": crumbs((campaign.call.title, None)),
        },
        status=400 if session_form is not None else 200,
    )


def _sessions(user, campaign):
    """[(session, may open its page)]: the commissions' calendar for every reader of the
    dashboard, a link only to the sessions one may open (the referents of another service's
    local commission would get a 404)."""
    sessions = campaign.sessions.select_related("organisation")
    for session in sessions:
        session.campaign = campaign  # already loaded, with its call and programme
    return [(s, permissions.can_view_session(user, s)) for s in sessions]


def _session_form(user, campaign, data=None):
    levels, organisation_ids = permissions.session_choices(user, campaign)
    if not levels:
        return None
    return SessionForm(
        data, organisations=Organisation.objects.filter(pk__in=organisation_ids), levels=levels
    )


@require_POST
def new_session(request, pk):
    campaign = _campaign_or_404(request, pk)
    form = _session_form(request.user, campaign, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            with once(request) as key:
                session = services.open_session(request.user, campaign, **form.cleaned_data)
                key.done(session)
        except ValidationError as error:
            errors(form, error)
        else:
            return redirect(session)
    return campaign_view_with(request, pk, form)


def campaign_view_with(request, pk, form):
    request.method = "GET"
    return campaign(request, pk, session_form=form)


@require_http_methods(["GET", "POST"])
def new_campaign(request):
    """The label programme's managers open the annual campaign: year, opening, stages open and
    calendar (commissions included)."""
    programme = permissions.label_programmes(request.user).order_by("pk").first()
    if programme is None:
        raise PermissionDenied
    scheme = LabelScheme.objects.current()
    form = CampaignForm(
        request.POST or None,
        stages=rules.applicable_stages(scheme),
        calendar=services.CALENDAR,
        initial={"year": _next_year()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as key:
                campaign = services.create_campaign(
                    request.user, programme, form.cleaned_data["year"], form.calendar(),
                    perimeter=france(), scheme=scheme, opens_at=form.opens_at(),
                    stages=list(form.cleaned_data["stages"]),
                )  # fmt: skip
                key.done(campaign)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("La campagne est ouverte."))
            return redirect(campaign)
    return render(
        request,
        "labels/campaign_form.html",
        {
            "form": form,
            "programme": programme,
            "scheme": scheme,
            "breadcrumb": crumbs((_("Ouvrir une campagne"), None)),
        },
        status=400 if form.errors else 200,
    )


def _next_year():
    """This year, or the year after the latest campaign."""
    latest = Campaign.objects.order_by("-year").values_list("year", flat=True).first()
    return max(timezone.localdate().year, (latest or 0) + 1)


@require_http_methods(["GET", "POST"])
def apply(request, pk, slug):
    campaign = _visible_campaign(request, pk)
    project = visible_project(request, slug)
    if not permissions.can_apply(request.user, project):
        raise PermissionDenied
    version = ReferentielVersion.objects.current()
    form = ApplyForm(
        request.POST or None,
        organisations=Organisation.objects.filter(
            pk__in=[o.pk for o in permissions.applicant_organisations(request.user, project)]
        ),
        stages=campaign.open_stages(),
        commitments=list(Commitment.objects.of_version(version)) if version else [],
        prefill=services.prefill_commitments(project) if request.method == "GET" else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as key:
                file = services.apply(
                    request.user, campaign, project,
                    organisation=form.cleaned_data["organisation"],
                    target_stage=form.cleaned_data["target_stage"],
                    commitments=form.commitments(),
                )  # fmt: skip
                key.done(file)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("Votre dossier de labellisation est déposé."))
            return redirect(file)
    invalid = bool(form.errors)
    return render(
        request,
        "labels/apply.html",
        {
            "campaign": campaign,
            "project": project,
            "form": form,
            "targets": performance.target_summary(project),
            "invalid": invalid,
            "breadcrumb": crumbs(
                (project.name, reverse("labels:project", args=[project.slug])),
                (_("Candidater"), None),
            ),
        },
        status=400 if invalid else 200,
    )
