"""Commission sessions: agenda, per-file decisions, minutes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecoquartier.labels import performance, permissions, services
from ecoquartier.labels.forms import (
    DeliberationForm,
    MinutesForm,
)
from ecoquartier.labels.models import (
    CommissionSession,
    Deliberation,
)
from ecoquartier.labels.views.common import crumbs, errors


def _session_or_404(request, pk):
    session = get_object_or_404(
        CommissionSession.objects.select_related("campaign__call__programme", "organisation"), pk=pk
    )
    if not permissions.can_view_session(request.user, session):
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
    # The commission reads each file's performance check, reserved values included: who may
    # open a session's page is the commission or the campaign's managers.
    checks = performance.checks(
        [f for f in files if f.target_stage.requires_indicators], restricted=True
    )
    rows = [
        (f, f.here[0] if f.here else None,
         forms.get(f.pk) or (DeliberationForm(national=session.is_national, prefix=f"d{f.pk}")
                             if runs and not f.here else None),
         checks.get(f.pk))
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
            "breadcrumb": crumbs(
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
            errors(form, error)
        else:
            messages.success(request, _("Décision enregistrée pour « %s ».") % file.project)
            return redirect(session_obj)
    request.method = "GET"
    return session(request, pk, forms={file.pk: form}, status=400)
