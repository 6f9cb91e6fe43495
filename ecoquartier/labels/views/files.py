"""A label file: experts, visit and opinion."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ecoquartier.core import workflows
from ecoquartier.labels import performance, permissions, services
from ecoquartier.labels.forms import (
    ExpertsForm,
    IndicatorCommentForm,
    OpinionForm,
    VisitForm,
)
from ecoquartier.labels.models import LabelFile
from ecoquartier.labels.views.common import crumbs, errors


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
    # The forms of the transitions the user may fire now (labels/workflow.py); for those that
    # are theirs but wait for something (the opinion waits for the expertise), the reason.
    offered, refused = workflows.actions(file, user)
    offered = {t.name for t in offered}
    can_assign = "assign_experts" in offered
    is_expert = "schedule_visit" in offered
    is_coordinator = "give_opinion" in offered
    experts = permissions.eligible_experts(file) if can_assign else None
    initial = {"coordinator": file.coordinator_id, "second": file.second_expert_id}
    if "experts_form" in forms:  # posted: offered again among the experts without a conflict
        forms["experts_form"].offer(permissions.eligible_experts(file))
    context = {
        "file": file,
        "application_url": file.application.get_absolute_url()
        if permissions.can_open_application(user, file)
        else None,
        **_performance(user, file, forms.get("comment_form")),
        "deliberations": list(file.deliberations.select_related("session__organisation")),
        "experts_form": forms.get("experts_form")
        or (ExpertsForm(experts=experts, initial=initial) if can_assign else None),
        "visit_form": forms.get("visit_form")
        or (VisitForm(initial={"visit_on": file.visit_on}) if is_expert else None),
        "opinion_form": forms.get("opinion_form") or (OpinionForm() if is_coordinator else None),
        "refused": refused,
        "breadcrumb": crumbs(
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


def _performance(user, file, comment_form=None):
    """The performance check (files whose stage requires indicators), the experts' comment form,
    and for the holders the way to the project's indicator board."""
    if not file.target_stage.requires_indicators:
        return {"performance": None, "comment_form": None, "can_record_values": False}
    can_comment = permissions.can_comment_indicators(user, file)
    if can_comment and comment_form is None:
        comment_form = IndicatorCommentForm(indicators=performance.commentable_indicators(file))
    return {
        "performance": performance.check(
            file, restricted=permissions.reads_file_values(user, file)
        ),
        "comment_form": comment_form if can_comment else None,
        "can_record_values": permissions.can_apply(user, file.project),
    }


@require_safe
def file_detail(request, pk):
    return _file_page(request, _file_or_404(request, pk))


def _file_action(request, file, form, name, action):
    """Run `action(file, cleaned_data)` when the posted `form` is valid; otherwise, or when the
    service refuses, the file page again with the form (as `name`) and its errors."""
    if form.is_valid():
        try:
            action(file, form.cleaned_data)
        except ValidationError as error:
            errors(form, error)
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
    form = ExpertsForm(request.POST, experts=permissions.experts())
    return _file_action(request, file, form, "experts_form", act)


@require_POST
def schedule_visit(request, pk):
    file = _file_or_404(request, pk)
    if not permissions.is_file_expert(request.user, file):
        raise PermissionDenied
    return _file_action(
        request, file, VisitForm(request.POST), "visit_form",
        lambda f, data: services.schedule_visit(request.user, f, data["visit_on"]),
    )  # fmt: skip


@require_POST
def give_opinion(request, pk):
    file = _file_or_404(request, pk)
    if not permissions.is_coordinator(request.user, file):
        raise PermissionDenied
    return _file_action(
        request, file, OpinionForm(request.POST), "opinion_form",
        lambda f, data: services.give_opinion(request.user, f, **_opinion(data)),
    )  # fmt: skip


def _opinion(data):
    return {"verdict": data["verdict"], "opinion": data["opinion"]}


@require_POST
def comment_indicator(request, pk):
    file = _file_or_404(request, pk)
    if not permissions.can_comment_indicators(request.user, file):
        raise PermissionDenied
    form = IndicatorCommentForm(request.POST, indicators=performance.commentable_indicators(file))

    def act(f, data):
        services.comment_indicator(request.user, f, data["indicator"], data["text"])
        messages.success(request, _("Votre commentaire est enregistré."))

    return _file_action(request, file, form, "comment_form", act)
