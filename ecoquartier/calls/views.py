"""Aid finder, call pages, alerts and the call editor. Thin: search.py finds, eligibility.py
judges, services.py and alerts.py change state. Every page runs a bounded number of queries."""

import functools
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.calls import alerts, reads, search, services, visitors
from ecoquartier.calls.eligibility import check_eligibility
from ecoquartier.calls.forms import (
    CALL_FORMSETS,
    AlertForm,
    CallForm,
    FinderForm,
    ProgrammeForm,
    render_alert_form,
    render_filters,
)
from ecoquartier.calls.models import (
    NO_LONGER_AVAILABLE,
    SECTION_FIELDS,
    Call,
    CallDocument,
    CallPriorityTheme,
    Programme,
    instant,
)
from ecoquartier.calls.permissions import (
    can_create_programme,
    can_manage_call,
    can_manage_programme,
    can_view_call,
    managed_programmes,
)
from ecoquartier.calls.reads import phrases
from ecoquartier.core import workflows
from ecoquartier.core.extensions import card_actions
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.forms import formset_rows, model_values
from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate, render_pagination
from ecoquartier.core.params import raw_text
from ecoquartier.organisations.permissions import memberships
from ecoquartier.projects.models import Project
from ecoquartier.projects.permissions import can_view_project

PAGE_SIZE = 20


def _finder_breadcrumb(*items):
    return [(_("Trouver une aide"), reverse("calls:finder")), *items]


def _user_organisations(user):
    return [m.organisation for m in memberships(user)]


def _chosen(items, wanted_pk):
    """The item whose pk the visitor picked in the URL, else the first (or None)."""
    return next((i for i in items if str(i.pk) == str(wanted_pk)), items[0] if items else None)


# --- Aid finder -------------------------------------------------------------------------------


@login_not_required
@require_safe
def finder(request):
    return _render_finder(request, lambda: FinderForm(request.GET or None))


def _render_finder(request, make_form, alert_form=None, status=200):
    """The filters and the results are the same for every visitor, and for every user judged
    for the same organisation (the eligibility verdicts), hence cached for each of them
    (calls/visitors.py); the alert form (with its CSRF token) is rendered every time.
    `make_form()` gives the filter form, made only when the cache does not hold the page."""
    organisation = _chosen(_user_organisations(request.user), request.GET.get("pour"))

    def content(now, version):
        form = make_form()
        valid = not form.is_bound or form.is_valid()
        query = form.to_query() if form.is_bound and valid else search.FinderQuery()
        querystring = form.querystring() if form.is_bound and valid else ""
        columns = reads.columns(query, with_rules=organisation is not None)
        rows = search.Rows(query, request.GET.get("page"), PAGE_SIZE, columns, now, version)
        page = paginate(request, rows, PAGE_SIZE)
        cards = reads.load(page.object_list, query, organisation, now, version)
        # The page links keep the normalised search (as the alert saves it), not the URL's.
        pagination = render_pagination(SimpleNamespace(GET=QueryDict(querystring)), page)
        return {
            "filters": render_filters(form, version),
            "results": reads.results(page, query, organisation, cards, pagination),
            "cards": getattr(cards, "keys", []),
            "querystring": querystring,
            "search": query.describe(),
        }

    viewer = organisation.pk if organisation is not None else None
    found = visitors.shared(
        request, "calls:finder", content, instant(), viewer=viewer, versioned=True
    )
    if alert_form is None:
        email = request.user.email if request.user.is_authenticated else ""
        alert_form = render_alert_form(email, found["querystring"])
    context = {
        "found": found,
        "results": _with_card_actions(request, found["results"], found.get("cards", [])),
        "media": _finder_media(),
        "alert_form": alert_form,
        "can_manage": can_create_programme(request.user),
        "breadcrumb": [(_("Trouver une aide"), None)],
    }
    return render(request, "calls/finder.html", context, status=status)


def _with_card_actions(request, html, cards):
    """The cards (shared by every user alike, cached) with what other apps offer this user on
    each (core.extensions.card_actions: "Candidater", "Reprendre ma candidature"…)."""
    return reads.with_actions(html, card_actions("call_card", cards, request))


@functools.cache
def _finder_media():
    """The filter widgets' CSS and JS tags (the same for every page: written once)."""
    media = FinderForm().media
    return {part: mark_safe(str(media[part])) for part in ("css", "js")}


@require_safe
def for_project(request, slug):
    """The finder pre-filled with a project's first commune and its stage (for its holders and
    anyone who may see it)."""
    project = get_object_or_404(Project.objects.prefetch_related("communes"), slug=slug)
    if not can_view_project(request.user, project):
        raise Http404
    params = {"avancement": project.stage}
    communes = list(project.communes.all())
    if communes:
        params["territoire"] = communes[0].token
    return redirect(reverse("calls:finder") + "?" + urlencode(params))


# --- Call and programme pages -----------------------------------------------------------------


def _publication(user, call):
    """Whether the page offers "Publier l'appel" (calls/workflow.py), or why not yet: a button
    that would then be refused is not shown."""
    if call.state != Call.State.DRAFT:
        return {}
    offered, refused = workflows.actions(call, user)
    return {
        "can_publish": any(t.name == "publish" for t in offered),
        "publish_refused": [reason for t, reason in refused if t.name == "publish"],
    }


@login_not_required
@require_safe
def call_detail(request, slug):
    """The call page. What it shows of the call is the same for every visitor, hence cached for
    them (calls/visitors.py); the panels other apps add (laureates) are rendered every time."""

    def content(now):
        calls = (
            Call.objects.with_status(now)
            .select_related("perimeter", "programme__owner")
            .prefetch_related(
                "steps",
                "benefits",
                "eligible_themes",
                Prefetch("priority_links", CallPriorityTheme.objects.select_related("theme")),
                "documents",
                "programme__partners",
            )
            .defer("search_title", "search_summary", "search_body", "search_vector")
        )
        call = get_object_or_404(calls, slug=slug)
        if not can_view_call(request.user, call):
            raise Http404
        step = next((s for s in call.steps.all() if s.deadline >= now), None)
        context = {
            "call": call,
            "no_longer_available": call.status in NO_LONGER_AVAILABLE,
            "can_manage": can_manage_call(request.user, call),
            **_publication(request.user, call),
            "deadline": phrases().deadline_block(
                call.status, call.closes_at, call.opens_at, step and (str(step), step.deadline)
            ),
            **_eligibility_context(request, call),
        }
        parts = ("top", "description", "aside")
        return {
            "pk": call.pk,
            "title": call.title,
            "state": call.state,
            "kind": call.kind,
            "status": call.status,
            "opens_at": call.opens_at,
            "closes_at": call.closes_at,
            "can_manage": context["can_manage"],
            "eligible": getattr(context.get("eligibility"), "eligible", None),
            **{
                part: render_to_string(f"calls/includes/call_{part}.html", context, request)
                for part in parts
            },
        }

    page = visitors.for_visitors(request, ("calls:detail", slug), content, instant())
    context = {
        "page": page,
        "call": _call_stub(page, slug),
        "breadcrumb": _finder_breadcrumb((page["title"], None)),
    }
    return render(request, "calls/call_detail.html", context)


def _call_stub(page, slug):
    """What the panels of other apps need to find their rows and say what they offer: the
    call's key, slug, kind, state, dates and status (as `with_status` annotates it), whether
    the reader manages it and the reader's eligibility verdict (None: not judged), without a
    query."""
    call = Call(
        pk=page["pk"],
        slug=slug,
        title=page["title"],
        kind=page.get("kind", ""),
        state=page["state"],
        opens_at=page["opens_at"],
        closes_at=page["closes_at"],
    )
    call.status = page["status"]
    call.managed_by_reader = page["can_manage"]
    call.eligible = page["eligible"]
    return call


@login_not_required
@require_safe
def call_document(request, slug, pk):
    """A call's document: public once the call is, yet never from MEDIA_URL (a draft's files
    stay with its managers)."""
    document = get_object_or_404(
        CallDocument.objects.select_related("call__programme"), pk=pk, call__slug=slug
    )
    if not can_view_call(request.user, document.call):
        raise Http404
    return serve_private_file(request, document.file)


def _eligibility_context(request, call):
    """The logged-in user's verdict, for the organisation and project picked in the URL."""
    organisations = _user_organisations(request.user)
    organisation = _chosen(organisations, request.GET.get("pour"))
    if organisation is None:
        return {}
    projects = list(Project.objects.filter(holders=organisation).order_by("name"))
    project = next((p for p in projects if str(p.pk) == request.GET.get("projet")), None)
    return {
        "eligibility": check_eligibility(call, organisation, project),
        "organisations": organisations,
        "organisation": organisation,
        "projects": projects,
        "project": project,
    }


@login_not_required
@require_safe
def programme_detail(request, slug):
    programme = get_object_or_404(
        Programme.objects.select_related("owner").prefetch_related("partners"), slug=slug
    )
    everything = search.FinderQuery()
    calls = programme.calls.published().with_status().order_by("-closes_at")
    rows = calls.values("pk", "status", *reads.columns(everything))
    cards = reads.load(rows, everything)
    context = {
        "programme": programme,
        "results": _with_card_actions(request, "".join(cards), getattr(cards, "keys", [])),
        "can_manage": can_manage_programme(request.user, programme),
        "breadcrumb": _finder_breadcrumb((programme.name, None)),
    }
    return render(request, "calls/programme_detail.html", context)


# --- Alerts -----------------------------------------------------------------------------------


@login_not_required
@require_POST
def alert_create(request):
    alert_form = AlertForm(request.POST)
    if not alert_form.is_valid():
        # Keep the visitor's results on screen.
        finder_form = functools.partial(FinderForm, request.GET.copy() if request.GET else None)
        return _render_finder(request, finder_form, alert_form, status=400)
    finder_form = alert_form.finder
    user = request.user if request.user.is_authenticated else None
    querystring = alert_form.cleaned_data["recherche"]
    back = reverse("calls:finder") + (f"?{querystring}" if querystring else "")
    with once(request) as key:
        _alert, needs_confirmation = alerts.subscribe(
            alert_form.cleaned_data["email"],
            querystring,
            finder_form.to_query().describe(),
            user=user,
        )
        key.done(back)
    if needs_confirmation:
        messages.success(
            request,
            _(
                "Alerte enregistrée. Pour l'activer, cliquez sur le lien que nous venons "
                "d'envoyer à %s."
            )
            % alert_form.cleaned_data["email"],
        )
    else:
        messages.info(request, _("Cette alerte est déjà active pour cette adresse."))
    return redirect(back)


@login_not_required
@require_safe
def alert_confirm(request, token):
    try:
        alert = alerts.confirm(token)
    except alerts.InvalidToken:
        return render(request, "calls/alert_invalid.html", status=400)
    title = _("Alerte confirmée")
    return render(
        request,
        "calls/alert_confirmed.html",
        {"alert": alert, "title": title, "breadcrumb": _finder_breadcrumb((title, None))},
    )


@login_not_required
@csrf_exempt  # RFC 8058 one-click: mail clients POST here; the signed token is the credential.
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request, token):
    try:
        alert = alerts.alert_for_unsubscribe(token)
        if request.method == "POST":
            alert = alerts.unsubscribe(token)
    except alerts.InvalidToken:
        return render(request, "calls/alert_invalid.html", status=400)
    context = {"alert": alert, "breadcrumb": _finder_breadcrumb((_("Se désabonner"), None))}
    return render(request, "calls/alert_unsubscribe.html", context)


# --- Managing programmes and calls ------------------------------------------------------------


@require_safe
def manage(request):
    if not can_create_programme(request.user):
        raise PermissionDenied
    calls = Call.objects.with_status().select_related("perimeter").order_by("-updated_at")
    programmes = list(
        managed_programmes(request.user).prefetch_related(Prefetch("calls", queryset=calls))
    )
    context = {
        "programmes": programmes,
        # Other apps' panels (the applications of each call) read the calls listed here.
        "calls": [call for programme in programmes for call in programme.calls.all()],
        "breadcrumb": _finder_breadcrumb((_("Gestion des appels"), None)),
    }
    return render(request, "calls/manage/index.html", context)


def _manage_breadcrumb(*items):
    return _finder_breadcrumb((_("Gestion des appels"), reverse("calls:manage")), *items)


@require_http_methods(["GET", "HEAD", "POST"])
def programme_create(request):
    if not can_create_programme(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with once(request) as key:
            programme = services.create_programme(request.user, model_values(form))
            key.done(reverse("calls:call_create", kwargs={"slug": programme.slug}))
        messages.success(request, _("Programme créé."))
        return redirect("calls:call_create", slug=programme.slug)
    context = {
        "form": form,
        "title": _("Nouveau programme"),
        "breadcrumb": _manage_breadcrumb((_("Nouveau programme"), None)),
    }
    return render(request, "calls/manage/programme_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def programme_edit(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    if not can_manage_programme(request.user, programme):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_programme(request.user, programme, model_values(form))
        messages.success(request, _("Programme enregistré."))
        return redirect(programme)
    context = {
        "form": form,
        "programme": programme,
        "title": _("Modifier le programme « %s »") % programme.name,
        "breadcrumb": _manage_breadcrumb((programme.name, None)),
    }
    return render(request, "calls/manage/programme_form.html", context)


def _formsets(request, call):
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    return [
        (prefix, formset_class(*data, instance=call, prefix=prefix), heading)
        for prefix, formset_class, heading in CALL_FORMSETS
    ]


def _editor(request, call, programme, title):
    """Shared by create and edit: one form, four inline formsets, one service call."""
    creating = call.pk is None
    form = CallForm(request.POST or None, request.FILES or None, instance=call)
    formsets = _formsets(request, call)
    if request.method == "POST":
        # Validate everything (no short-circuit) so that every error shows at once.
        verdicts = [form.is_valid()] + [fs.is_valid() for _p, fs, _h in formsets]
        if all(verdicts):
            values = model_values(form)
            children = {prefix: formset_rows(fs) for prefix, fs, _h in formsets}
            try:
                if creating:
                    with once(request) as key:
                        call = services.create_call(request.user, programme, values, children)
                        key.done(reverse("calls:call_edit", kwargs={"slug": call.slug}))
                else:
                    call = services.update_call(
                        request.user,
                        call,
                        values,
                        children,
                        expected_version=form.cleaned_data["version"],
                    )
            except services.StaleCallError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Appel enregistré."))
                return redirect("calls:call_edit", slug=call.slug)
    context = {
        "form": form,
        "formsets": formsets,
        "formset_errors": any(not fs.is_valid() for _p, fs, _h in formsets if fs.is_bound),
        "summary_formsets": [fs for _p, fs, _h in formsets],
        "section_names": SECTION_FIELDS,
        "call": call if not creating else None,
        **(_publication(request.user, call) if not creating else {}),
        "programme": programme,
        "title": title,
        "breadcrumb": _manage_breadcrumb((title, None)),
    }
    invalid = request.method == "POST" and (form.errors or context["formset_errors"])
    return render(request, "calls/manage/call_form.html", context, status=400 if invalid else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def call_create(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    if not can_manage_programme(request.user, programme):
        raise PermissionDenied
    return _editor(
        request,
        Call(programme=programme),
        programme,
        _("Nouvel appel du programme « %s »") % programme.name,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def call_edit(request, slug):
    call = _managed_call_or_404(request, slug)
    return _editor(request, call, call.programme, _("Modifier l'appel « %s »") % call.title)


@require_POST
def call_publish(request, slug):
    call = _managed_call_or_404(request, slug)
    try:
        services.publish_call(request.user, call)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("calls:call_edit", slug=call.slug)
    messages.success(request, _("Appel publié : il apparaît dans le moteur de recherche."))
    return redirect(call)


@require_POST
def call_archive(request, slug):
    call = _managed_call_or_404(request, slug)
    services.archive_call(request.user, call, reason=raw_text(request.POST, "reason"))
    messages.success(request, _("Appel archivé : sa page reste consultable."))
    return redirect(call)


def _managed_call_or_404(request, slug):
    call = get_object_or_404(Call.objects.select_related("programme"), slug=slug)
    if not can_view_call(request.user, call):
        raise Http404
    if not can_manage_call(request.user, call):
        raise PermissionDenied
    return call
