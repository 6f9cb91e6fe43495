"""The follow-up's « Jours d'accompagnement » section: days used, left and forecast, the
burn-down chart with its table, consumption by domain and by commitment, the activities (logged,
changed, deleted by the team) and the expertise requests (filed by the authority, answered by
the coordinator). A fixed number of queries whatever the number of activities."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.core import workflows
from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate
from ecoquartier.core.params import parse_id
from ecoquartier.followup import burndown, cached, days, days_chart, days_rows, permissions
from ecoquartier.followup.days_forms import ActivityForm, AnswerForm, RequestForm
from ecoquartier.followup.models import ExpertiseRequest, SupportActivity
from ecoquartier.followup.views.common import errors, follow_up_or_404, section_context

SECTION = "followup:days"
REQUESTS_SHOWN = 30


def _follow_up(request, pk):
    """The follow-up (404 if invisible), its programme's partners loaded once for the rules."""
    follow_up = follow_up_or_404(request, pk)
    prefetch_related_objects([follow_up.programme], "partners")
    return follow_up


def _url(follow_up, anchor=""):
    return reverse(SECTION, args=[follow_up.pk]) + anchor


def _figures_html(follow_up, today, at):
    """The burn-down's figures, chart and tables as HTML: computed once per change of the
    follow-up's data and day (cached.py, under `at`), not on every reading."""

    def compute():
        statuses = {"ahead": burndown.AHEAD, "behind": burndown.BEHIND}
        return render_to_string(
            "followup/days/figures.html",
            {"figures": _figures(follow_up, today), "statuses": statuses},
        )

    return cached.value("days-figures", str(follow_up.pk), compute, at)


def _figures(follow_up, today):
    budget = days.budget_of(follow_up)
    steps = burndown.cumulative(days.daily_days(follow_up))
    used = steps[-1][1] if steps else burndown.ZERO
    planned = burndown.planned_to(budget, today)
    forecast = burndown.forecast(used, follow_up.days_budget, follow_up.starts_on, today)
    state = burndown.status(burndown.used_to(steps, today), planned)
    data = days_chart.chart(budget, steps, used, today, forecast)
    title = _("Jours consommés et jours prévus, du %(start)s au %(end)s") % {
        "start": date_format(follow_up.starts_on, "j F Y"),
        "end": date_format(follow_up.ends_on, "j F Y"),
    }
    description = _(
        "%(used)s jours consommés sur %(budget)s prévus ; %(planned)s jours prévus à ce jour. "
        "%(forecast)s Les mêmes données figurent mois par mois dans le tableau qui suit."
    ) % {
        "used": burndown.rounded(used), "budget": follow_up.days_budget,
        "planned": burndown.rounded(planned),
        "forecast": days.forecast_text(forecast, follow_up.ends_on),
    }  # fmt: skip
    return {
        "used": used,
        "budget": follow_up.days_budget,
        "left": burndown.days_left(follow_up.days_budget, used),
        "planned": burndown.rounded(planned),
        "forecast": forecast,
        "forecast_text": days.forecast_text(forecast, follow_up.ends_on),
        "status": state,
        "svg": days_chart.svg(data, title, description),
        "months": burndown.monthly(budget, steps, today),
        "by_domain": days.by_domain(follow_up),
        "by_commitment": days.by_commitment(follow_up),
    }


def _activities(request, follow_up):
    """The requested page of the activities as (pk, expert, author): their rows' cells come
    from days_rows, cached."""
    keys = (
        SupportActivity.objects.filter(follow_up=follow_up)
        .order_by("-date", "-pk")
        .values_list("pk", "expert_id", "created_by_id")
    )
    return paginate(request, keys, per_page=20)


def _requests(request, follow_up):
    rows = list(
        ExpertiseRequest.objects.filter(follow_up=follow_up)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")[:REQUESTS_SHOWN]
    )
    for row in rows:
        row.follow_up = follow_up  # the rules read the follow-up already loaded
        offered, _refused = workflows.actions(row, request.user)
        row.actions = [t for t in offered if t.name in days.ANSWERING]
        if row.actions:
            row.form = AnswerForm(prefix=f"r{row.pk}")
    return rows


def _render(request, follow_up):
    user = request.user
    can_log = permissions.can_log_activity(user, follow_up)
    today = timezone.localdate()
    at = cached.stamp(today)
    page = _activities(request, follow_up)
    context = section_context(request, follow_up, SECTION)
    context.update(
        figures_html=_figures_html(follow_up, today, at),
        page_obj=page,
        activity_rows=days_rows.rows(request, follow_up, page.object_list, at),
        requests=_requests(request, follow_up),
        can_log=can_log,
        can_request=permissions.can_request_expertise(user, follow_up),
    )
    return render(request, "followup/days/section.html", context)


@require_safe
def section(request, pk):
    return _render(request, _follow_up(request, pk))


def _activity_values(form):
    return dict(form.cleaned_data)


def _activity_page(request, follow_up, form, *, activity=None):
    """The page of an activity's form: a new one (`log`) or one to change (`edit_activity`)."""
    if activity is None:
        heading, item = _("Consigner une intervention"), _("Consigner une intervention")
        error_title, submit = (
            _("L'intervention n'a pas été consignée"),
            _("Consigner l'intervention"),
        )
    else:
        heading = _("Modifier l'intervention du %(date)s") % {
            "date": date_format(activity.date, "j F Y")
        }
        item, submit = _("Modifier une intervention"), _("Enregistrer")
        error_title = _("L'intervention n'a pas été modifiée")
    context = section_context(
        request, follow_up, SECTION, (_("Jours d'accompagnement"), _url(follow_up)), (item, None)
    )
    context.update(
        form=form, activity=activity, heading=heading, error_title=error_title,
        submit_label=submit,
    )  # fmt: skip
    return render(
        request, "followup/days/activity_form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def log(request, pk):
    """Log an activity: its form on a page of its own, reached from the days page."""
    follow_up = _follow_up(request, pk)
    if not permissions.can_log_activity(request.user, follow_up):
        raise PermissionDenied
    if request.method == "GET":
        form = ActivityForm(
            follow_up=follow_up, actor=request.user,
            initial={"date": timezone.localdate(), "expert": request.user.pk},
        )  # fmt: skip
        return _activity_page(request, follow_up, form)
    form = ActivityForm(request.POST, follow_up=follow_up, actor=request.user)
    if form.is_valid():
        try:
            with once(request) as key:
                days.log_activity(request.user, follow_up, **_activity_values(form))
                key.done(_url(follow_up, "#interventions"))
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("L'intervention est consignée."))
            return redirect(_url(follow_up, "#interventions"))
    return _activity_page(request, follow_up, form)


def _activity(request, pk, activity_pk):
    follow_up = _follow_up(request, pk)
    activity = get_object_or_404(
        SupportActivity.objects.select_related("request"), pk=activity_pk, follow_up=follow_up
    )
    activity.follow_up = follow_up
    if not permissions.can_change_activity(request.user, activity, follow_up):
        raise PermissionDenied
    return follow_up, activity


@require_http_methods(["GET", "POST"])
def edit_activity(request, pk, activity_pk):
    follow_up, activity = _activity(request, pk, activity_pk)
    initial = {name: getattr(activity, name) for name in days.ACTIVITY_FIELDS}
    initial["commitments"] = list(activity.commitments.all())
    form = ActivityForm(
        request.POST or None, follow_up=follow_up, actor=request.user,
        current_request=activity.request, initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            days.change_activity(request.user, activity, _activity_values(form))
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("L'intervention est modifiée."))
            return redirect(_url(follow_up, "#interventions"))
    return _activity_page(request, follow_up, form, activity=activity)


@require_POST
def delete_activity(request, pk, activity_pk):
    follow_up, activity = _activity(request, pk, activity_pk)
    try:
        days.delete_activity(request.user, activity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'intervention est supprimée."))
    return redirect(_url(follow_up, "#interventions"))


@require_http_methods(["GET", "POST"])
def file_request(request, pk):
    """File an expertise request: its form on a page of its own, reached from the days page."""
    follow_up = _follow_up(request, pk)
    if not permissions.can_request_expertise(request.user, follow_up):
        raise PermissionDenied
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as key:
                days.file_request(request.user, follow_up, **form.cleaned_data)
                key.done(_url(follow_up, "#demandes"))
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("Votre demande d'expertise est transmise."))
            return redirect(_url(follow_up, "#demandes"))
    context = section_context(
        request, follow_up, SECTION, (_("Jours d'accompagnement"), _url(follow_up)),
        (_("Demander une expertise"), None),
    )  # fmt: skip
    context["form"] = form
    return render(
        request, "followup/days/request_form.html", context, status=400 if form.errors else 200
    )


@require_POST
def answer_request(request, pk, request_pk, action):
    follow_up = _follow_up(request, pk)
    expertise = get_object_or_404(ExpertiseRequest, pk=request_pk, follow_up=follow_up)
    if action not in days.ANSWERING:
        raise Http404
    form = AnswerForm(request.POST, prefix=f"r{expertise.pk}")
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    service = days.accept_request if action == "accept" else days.decline_request
    try:
        service(
            request.user, expertise, answer,
            expected_version=parse_id(request.POST.get("version", "")),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("La demande est acceptée.") if action == "accept" else _("La demande est déclinée."),
        )
    return redirect(_url(follow_up, "#demandes"))


urlpatterns = [
    path("<int:pk>/jours/", section, name="days"),
    path("<int:pk>/jours/consigner/", log, name="days_log"),
    path(
        "<int:pk>/jours/interventions/<int:activity_pk>/modifier/", edit_activity,
        name="days_activity_edit",
    ),
    path(
        "<int:pk>/jours/interventions/<int:activity_pk>/supprimer/", delete_activity,
        name="days_activity_delete",
    ),
    path("<int:pk>/jours/demandes/", file_request, name="days_request"),
    path(
        "<int:pk>/jours/demandes/<int:request_pk>/<slug:action>/", answer_request,
        name="days_request_answer",
    ),
]  # fmt: skip
