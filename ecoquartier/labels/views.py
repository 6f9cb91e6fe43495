"""Label pages. Thin: permissions.py decides, services.py changes state, figures.py counts.
Not allowed to see → 404; allowed to see but not to act → 403. Every page is bounded in queries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.calls.models import Call
from ecoquartier.labels import certificates, figures, permissions, rules, services
from ecoquartier.labels.forms import (
    ApplyForm,
    CharterForm,
    DeliberationForm,
    ExpertsForm,
    IndicatorFormSet,
    MinutesForm,
    OpinionForm,
    SessionForm,
    UsePhaseForm,
    VisitForm,
)
from ecoquartier.labels.models import (
    Campaign,
    Charter,
    CommissionSession,
    Deliberation,
    FileState,
    LabelFile,
    LabelStep,
    UsePhaseEvaluation,
)
from ecoquartier.organisations.models import Organisation
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import can_edit_project, visible_projects
from ecoquartier.referentiel.models import Commitment, ReferentielVersion

LATE_LIMIT = 50


def _crumbs(*items):
    return [(_("Label ÉcoQuartier"), reverse("labels:index")), *items]


def _errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


# --- Public pages -----------------------------------------------------------------------------


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
            "manageable": {c.pk for c in manageable},
            "breadcrumb": [(_("Label ÉcoQuartier"), None)],
        },
    )


@login_not_required
@require_safe
def key_figures(request):
    return render(
        request,
        "labels/key_figures.html",
        {**figures.cached_key_figures(), "breadcrumb": _crumbs((_("Chiffres clés"), None))},
    )


def _visible_project(request, slug):
    project = visible_projects(request.user, Project.objects.filter(slug=slug)).first()
    if project is None:
        raise Http404
    return project


@login_not_required
@require_safe
def project_label(request, slug):
    project = _visible_project(request, slug)
    steps = list(
        LabelStep.objects.filter(project=project)
        .select_related("stage__scheme", "stage__maps_to")
        .order_by("decided_on", "pk")
    )
    context = _label_work(request.user, project) if request.user.is_authenticated else {}
    return render(
        request,
        "labels/project.html",
        {
            "project": project,
            "steps": steps,
            "current": rules.History(steps=steps).current(),
            **context,
            "breadcrumb": _crumbs((project.name, project.get_absolute_url()), (_("Label"), None)),
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
    }


@login_not_required
@require_safe
def certificate(request, pk):
    step = get_object_or_404(LabelStep.objects.select_related("project", "stage__scheme"), pk=pk)
    _visible_project(request, step.project.slug)
    response = HttpResponse(certificates.render(step), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.filename(step)}"'
    return response


# --- Charter (F-41) -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_charter(request, slug):
    project = _visible_project(request, slug)
    if not permissions.can_sign_charter(request.user, project):
        raise PermissionDenied
    existing = Charter.objects.filter(project=project).first()
    if existing:
        return redirect(existing)
    organisations = Organisation.objects.filter(
        pk__in=[o.pk for o in permissions.applicant_organisations(request.user, project)]
    )
    form = CharterForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "commitment"}
        try:
            charter = services.sign_charter(request.user, project, **data)
        except ValidationError as error:
            _errors(form, error)
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
            "breadcrumb": _crumbs(
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
            "breadcrumb": _crumbs(
                (charter.project.name, reverse("labels:project", args=[charter.project.slug])),
                (_("Charte"), None),
            ),
        },
    )


@require_safe
def charter_document(request, pk):
    charter = _charter_or_404(request, pk)
    return FileResponse(
        charter.document.open("rb"), as_attachment=True, filename=charter.document_name
    )


# --- Campaign (F-42) ---------------------------------------------------------------------------


def _campaign_or_404(request, pk):
    campaign = get_object_or_404(
        Campaign.objects.select_related("call__programme", "scheme", "expertise_step", "file_step"),
        pk=pk,
    )
    if not permissions.can_view_dashboard(request.user, campaign):
        raise Http404
    return campaign


def _dashboard_files(user, campaign):
    """Managers see every file; a State service the files of its territory."""
    files = LabelFile.objects.filter(campaign=campaign)
    if permissions.can_manage_campaign(user, campaign):
        return files
    territory_ids = [o.territory_id for o in permissions.commission_services(user)]
    return files.filter(
        application__territory__ancestor_links__ancestor_id__in=territory_ids
    ).distinct()


@require_safe
def campaign(request, pk, session_form=None):
    campaign = _campaign_or_404(request, pk)
    files = _dashboard_files(request.user, campaign)
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
            "sessions": list(campaign.sessions.select_related("organisation")),
            "session_form": session_form or _session_form(request.user, campaign),
            "breadcrumb": _crumbs((campaign.call.title, None)),
        },
        status=400 if session_form is not None else 200,
    )


def _session_form(user, campaign, data=None):
    services_run = permissions.commission_services(user)
    levels = ["local"] if services_run else []
    organisation_ids = [o.pk for o in services_run]
    if permissions.can_manage_campaign(user, campaign):
        levels.append("national")
        organisation_ids.append(campaign.call.programme.owner_id)
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
            session = services.open_session(request.user, campaign, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            return redirect(session)
    return campaign_view_with(request, pk, form)


def campaign_view_with(request, pk, form):
    request.method = "GET"
    return campaign(request, pk, session_form=form)


@require_http_methods(["GET", "POST"])
def apply(request, pk, slug):
    campaign = get_object_or_404(Campaign.objects.select_related("call", "scheme"), pk=pk)
    project = _visible_project(request, slug)
    if not permissions.can_apply(request.user, project):
        raise PermissionDenied
    version = ReferentielVersion.objects.current()
    form = ApplyForm(
        request.POST or None,
        organisations=Organisation.objects.filter(
            pk__in=[o.pk for o in permissions.applicant_organisations(request.user, project)]
        ),
        stages=rules.applicable_stages(campaign.scheme),
        commitments=list(Commitment.objects.of_version(version)) if version else [],
        prefill=services.prefill_commitments(project) if request.method == "GET" else {},
    )
    indicators = IndicatorFormSet(request.POST or None, prefix="indicateurs")
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        try:
            file = services.apply(
                request.user, campaign, project,
                organisation=form.cleaned_data["organisation"],
                target_stage=form.cleaned_data["target_stage"],
                commitments=form.commitments(),
                indicators=[f.cleaned_data for f in indicators.forms if f.cleaned_data],
            )  # fmt: skip
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Votre dossier de labellisation est déposé."))
            return redirect(file)
    invalid = bool(form.errors or any(f.errors for f in indicators.forms))
    return render(
        request,
        "labels/apply.html",
        {
            "campaign": campaign,
            "project": project,
            "form": form,
            "indicators": indicators,
            "invalid": invalid,
            "breadcrumb": _crumbs(
                (project.name, reverse("labels:project", args=[project.slug])),
                (_("Candidater"), None),
            ),
        },
        status=400 if invalid else 200,
    )


# --- Files ---------------------------------------------------------------------------------------


def _file_or_404(request, pk):
    file = get_object_or_404(
        LabelFile.objects.select_related(
            "campaign__call__programme", "campaign__expertise_step", "project", "target_stage",
            "application__organisation", "coordinator", "second_expert", "expertise", "region",
        ),
        pk=pk,
    )  # fmt: skip
    if not permissions.can_view_file(request.user, file):
        raise Http404
    return file


def _file_page(request, file, status=200, **forms):
    user = request.user
    can_assign = permissions.can_manage_campaign(user, file.campaign) and file.state in (
        FileState.SUBMITTED, FileState.IN_EXPERTISE,
    )  # fmt: skip
    is_expert = permissions.is_file_expert(user, file) and file.state == FileState.IN_EXPERTISE
    is_coordinator = permissions.is_coordinator(user, file) and file.state == FileState.IN_EXPERTISE
    experts = services.eligible_experts(file) if can_assign else None
    initial = {"coordinator": file.coordinator_id, "second": file.second_expert_id}
    context = {
        "file": file,
        "indicators": list(file.indicators.all()),
        "deliberations": list(file.deliberations.select_related("session__organisation")),
        "experts_form": forms.get("experts_form")
        or (ExpertsForm(experts=experts, initial=initial) if can_assign else None),
        "visit_form": forms.get("visit_form")
        or (VisitForm(initial={"visit_on": file.visit_on}) if is_expert else None),
        "opinion_form": forms.get("opinion_form") or (OpinionForm() if is_coordinator else None),
        "breadcrumb": _crumbs(
            (
                file.campaign.call.title,
                file.campaign.get_absolute_url()
                if permissions.can_view_dashboard(user, file.campaign)
                else None,
            ),
            (str(file.project), None),
        ),  # fmt: skip
    }
    return render(request, "labels/file.html", context, status=status)


@require_safe
def file_detail(request, pk):
    return _file_page(request, _file_or_404(request, pk))


def _file_action(request, pk, form_class, name, action):
    file = _file_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(file, form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            return redirect(file)
    return _file_page(request, file, status=400, **{name: form})


@require_POST
def assign_experts(request, pk):
    def act(file, data):
        services.assign_experts(
            request.user, file, coordinator=data["coordinator"], second=data["second"]
        )
        messages.success(
            request, _("Les deux experts sont désignés ; l'expertise label est ouverte.")
        )

    file = _file_or_404(request, pk)
    if not permissions.can_manage_campaign(request.user, file.campaign):
        raise PermissionDenied
    form = ExpertsForm(request.POST, experts=_all_experts())
    if form.is_valid():
        try:
            act(file, form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            return redirect(file)
    form.fields["coordinator"].queryset = form.fields["second"].queryset = (
        services.eligible_experts(file)
    )
    return _file_page(request, file, status=400, experts_form=form)


def _all_experts():
    """Any expert may be posted; the service explains a conflict rather than the form hiding it."""
    from django.contrib.auth import get_user_model

    from ecoquartier.organisations.models import Membership

    return get_user_model().objects.filter(memberships__role=Membership.Role.EXPERT).distinct()


@require_POST
def schedule_visit(request, pk):
    file = _file_or_404(request, pk)
    if not permissions.is_file_expert(request.user, file):
        raise PermissionDenied
    return _file_action(
        request, pk, VisitForm, "visit_form",
        lambda f, data: services.schedule_visit(request.user, f, data["visit_on"]),
    )  # fmt: skip


@require_POST
def give_opinion(request, pk):
    file = _file_or_404(request, pk)
    if not permissions.is_coordinator(request.user, file):
        raise PermissionDenied
    return _file_action(
        request, pk, OpinionForm, "opinion_form",
        lambda f, data: services.give_opinion(request.user, f, **_opinion(data)),
    )  # fmt: skip


def _opinion(data):
    return {"verdict": data["verdict"], "opinion": data["opinion"]}


# --- Commissions ------------------------------------------------------------------------------


def _session_or_404(request, pk):
    session = get_object_or_404(
        CommissionSession.objects.select_related("campaign__call__programme", "organisation"), pk=pk
    )
    if not (
        permissions.runs_session(request.user, session)
        or permissions.can_manage_campaign(request.user, session.campaign)
    ):
        raise Http404
    return session


@require_http_methods(["GET", "POST"])
def session(request, pk, forms=None, status=200):
    session = _session_or_404(request, pk)
    runs = permissions.runs_session(request.user, session)
    minutes_form = MinutesForm(
        request.POST if request.method == "POST" else None, initial={"minutes": session.minutes}
    )
    if request.method == "POST" and forms is None:
        if not runs:
            raise PermissionDenied
        if minutes_form.is_valid():
            services.save_minutes(request.user, session, minutes_form.cleaned_data["minutes"])
            messages.success(request, _("Compte rendu enregistré."))
            return redirect(session)
        status = 400
    files = list(
        services.agenda(session).prefetch_related(
            Prefetch(
                "deliberations",
                queryset=Deliberation.objects.filter(session=session),
                to_attr="here",
            )
        )
    )
    forms = forms or {}
    rows = [
        (f, f.here[0] if f.here else None,
         forms.get(f.pk) or (DeliberationForm(national=session.is_national, prefix=f"d{f.pk}")
                             if runs and not f.here else None))
        for f in files
    ]  # fmt: skip
    return render(
        request,
        "labels/session.html",
        {
            "session": session,
            "rows": rows,
            "runs": runs,
            "minutes_form": minutes_form if runs else None,
            "members": [m for m in session.members.splitlines() if m.strip()],
            "breadcrumb": _crumbs(
                (session.campaign.call.title, session.campaign.get_absolute_url()),
                (session.get_level_display(), None),
            ),
        },
        status=status,
    )


@require_POST
def deliberate(request, pk, file_pk):
    session_obj = _session_or_404(request, pk)
    if not permissions.runs_session(request.user, session_obj):
        raise PermissionDenied
    file = get_object_or_404(services.agenda(session_obj), pk=file_pk)
    form = DeliberationForm(request.POST, national=session_obj.is_national, prefix=f"d{file.pk}")
    if form.is_valid():
        try:
            services.deliberate(request.user, session_obj, file, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Décision enregistrée pour « %s ».") % file.project)
            return redirect(session_obj)
    request.method = "GET"
    return session(request, pk, forms={file.pk: form}, status=400)


# --- Use phase (F-43) -------------------------------------------------------------------------


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
                _errors(form, error)
            else:
                messages.success(request, _("Évaluation en phase d'usage enregistrée."))
                return redirect(evaluation)
    return render(
        request,
        "labels/use_phase.html",
        {
            "evaluation": evaluation,
            "form": form if can_edit else None,
            "breadcrumb": _crumbs(
                (
                    evaluation.project.name,
                    reverse("labels:project", args=[evaluation.project.slug]),
                ),
                (_("Évaluation en phase d'usage"), None),
            ),
        },
        status=400 if form.errors else 200,
    )
