"""The follow-up's « Feuille de route » section: the actions grouped by commitment, the gaps of
an assessment turned into actions in one step, an action's form, and what the latest assessment
says of the previous one's gaps (closed, remaining, new)."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.assessments.models import Assessment
from ecoquartier.core.idempotency import once
from ecoquartier.core.pagination import paginate
from ecoquartier.followup import permissions, roadmap
from ecoquartier.followup.models import RoadmapAction
from ecoquartier.followup.roadmap_forms import ActionForm, ConvertForm
from ecoquartier.followup.views.common import errors, follow_up_or_404, section_context

PER_PAGE = 50


def _actions(follow_up):
    return (
        RoadmapAction.objects.filter(follow_up=follow_up)
        .select_related("commitment", "gap__answer__assessment__project")
        .order_by("commitment__number", "ends_on", "pk")
    )


def _groups(actions):
    """[(commitment or None, [actions])] in the page's order."""
    return [
        (group[0].commitment, group)
        for _key, rows in groupby(actions, key=lambda a: a.commitment_id)
        for group in [list(rows)]
    ]


@require_safe
def section(request, pk):
    follow_up = follow_up_or_404(request, pk)
    user = request.user
    page = paginate(request, _actions(follow_up), per_page=PER_PAGE)
    can_manage = permissions.can_manage_roadmap(user, follow_up)
    assessments = roadmap.convertible_assessments(user, follow_up) if can_manage else []
    context = section_context(request, follow_up, "followup:roadmap")
    context.update(
        page_obj=page,
        groups=_groups(page.object_list),
        can_manage=can_manage,
        can_update=permissions.can_update_action_status(user, follow_up),
        convert_form=ConvertForm(assessments=assessments) if assessments else None,
        progress=roadmap.latest_progress(follow_up.project, user),
    )
    return render(request, "followup/roadmap/section.html", context)


@require_POST
def convert(request, pk):
    """« Transformer les écarts en actions »: the open gaps of the chosen assessment."""
    follow_up = follow_up_or_404(request, pk)
    if not permissions.can_manage_roadmap(request.user, follow_up):
        raise PermissionDenied
    form = ConvertForm(
        request.POST, assessments=roadmap.convertible_assessments(request.user, follow_up)
    )
    if not form.is_valid():
        messages.error(request, _("Choisissez une évaluation dont les écarts sont encore ouverts."))
        return redirect("followup:roadmap", follow_up.pk)
    assessment = get_object_or_404(Assessment, pk=form.cleaned_data["assessment"])
    try:
        with once(request) as key:
            actions = roadmap.gaps_to_actions(request.user, follow_up, assessment)
            key.done(reverse("followup:roadmap", args=[follow_up.pk]))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d action ajoutée à la feuille de route.",
                "%(count)d actions ajoutées à la feuille de route.",
                len(actions),
            )
            % {"count": len(actions)},
        )
    return redirect("followup:roadmap", follow_up.pk)


@require_POST
def catch_up(request, pk):
    """Mark done the actions whose gap the latest assessment closed (also run on submission)."""
    follow_up = follow_up_or_404(request, pk)
    if not permissions.can_manage_roadmap(request.user, follow_up):
        raise PermissionDenied
    closed = roadmap.close_actions_of_closed_gaps(request.user, follow_up.project)
    messages.success(
        request,
        ngettext(
            "%(count)d action réalisée : son écart est levé.",
            "%(count)d actions réalisées : leurs écarts sont levés.",
            closed,
        )
        % {"count": closed},
    )
    return redirect("followup:roadmap", follow_up.pk)


@require_http_methods(["GET", "POST"])
def edit_action(request, pk, action_pk):
    follow_up = follow_up_or_404(request, pk)
    action = get_object_or_404(
        RoadmapAction.objects.select_related("commitment", "gap"), pk=action_pk, follow_up=follow_up
    )
    if not permissions.can_update_action_status(request.user, follow_up):
        raise PermissionDenied
    status_only = not permissions.can_manage_roadmap(request.user, follow_up)
    initial = {name: getattr(action, name) for name in roadmap.EDITABLE}
    form = ActionForm(request.POST or None, initial=initial, status_only=status_only)
    if request.method == "POST" and form.is_valid():
        try:
            roadmap.change_action(request.user, action, form.cleaned_data)
        except ValidationError as error:
            errors(form, error)
        else:
            messages.success(request, _("L'action est enregistrée."))
            return redirect("followup:roadmap", follow_up.pk)
    roadmap_url = reverse("followup:roadmap", args=[follow_up.pk])
    context = section_context(
        request, follow_up, "followup:roadmap",
        (_("Feuille de route"), roadmap_url), (_("Modifier l'action"), None),
    )  # fmt: skip
    context.update(form=form, action=action, status_only=status_only)
    return render(
        request, "followup/roadmap/action.html", context, status=400 if form.errors else 200
    )


urlpatterns = [
    path("<int:pk>/roadmap/", section, name="roadmap"),
    path("<int:pk>/roadmap/ecarts/", convert, name="roadmap_convert"),
    path("<int:pk>/roadmap/reevaluation/", catch_up, name="roadmap_catch_up"),
    path("<int:pk>/roadmap/actions/<int:action_pk>/", edit_action, name="roadmap_action"),
]
