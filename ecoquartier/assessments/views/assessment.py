"""The assessment page (the form) and the per-item saves it makes with htmx.

Each save answers with the fragment it replaces; without JavaScript the same endpoints redirect
back to the page, or re-render it with the submitted input when something must be corrected.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecoquartier.assessments import permissions, services
from ecoquartier.assessments.forms import ExpertsForm
from ecoquartier.assessments.models import Evidence, Gap
from ecoquartier.assessments.views.blocks import (
    AnswerBlock,
    answer_form,
    build_groups,
    evidence_form,
    gap_form,
    make_block,
    synthesis_form,
)
from ecoquartier.assessments.views.common import (
    is_htmx,
    readable_assessment,
    writable_assessment,
)
from ecoquartier.core import workflows
from ecoquartier.core.activity import timeline
from ecoquartier.core.files import serve_private_file
from ecoquartier.core.idempotency import once
from ecoquartier.core.params import raw_text


def _completion(assessment):
    counts = assessment.answers.aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(level__isnull=False))
    )
    percent = round(100 * counts["answered"] / counts["total"]) if counts["total"] else 0
    return {**counts, "percent": percent}


def _page_context(request, assessment, overrides=None):
    user = request.user
    editable = permissions.can_write_assessment(user, assessment)
    groups = build_groups(assessment, editable=editable, overrides=overrides)
    answered = sum(1 for g in groups for b in g.blocks if b.answer.level is not None)
    total = sum(len(g.blocks) for g in groups)
    transitions, refused = workflows.actions(assessment, user)
    return {
        "assessment": assessment,
        "project": assessment.project,
        "groups": groups,
        "editable": editable,
        "can_follow_up": permissions.can_follow_up_gaps(user, assessment),
        "can_manage_experts": permissions.can_manage_experts(user, assessment),
        "transitions": transitions,
        "refused": refused,
        "completion": {
            "answered": answered,
            "total": total,
            "percent": round(100 * answered / total) if total else 0,
        },
        "events": timeline(assessment, limit=8),
        "breadcrumb": _breadcrumb(assessment),
    }


def _breadcrumb(assessment, *extra):
    project = assessment.project
    return [
        (project.name, project.get_absolute_url()),
        (_("Évaluations"), reverse("assessments:project", kwargs={"slug": project.slug})),
        (str(assessment), reverse("assessments:detail", kwargs={"pk": assessment.pk})),
        *extra,
    ]


@require_safe
def detail(request, pk):
    assessment = readable_assessment(request, pk)
    context = _page_context(request, assessment)
    context["breadcrumb"][-1] = (str(assessment), None)
    return render(request, "assessments/detail.html", context)


def _render_page_with(request, assessment, overrides, status=200):
    context = _page_context(request, assessment, overrides)
    return render(request, "assessments/detail.html", context, status=status)


def _anchor(assessment, answer):
    url = reverse("assessments:detail", kwargs={"pk": assessment.pk})
    return f"{url}#engagement-{answer.commitment.number}"


@require_POST
def save_answer(request, pk, answer_pk):
    assessment = writable_assessment(request, pk)
    answer = _of(assessment, assessment.answers.select_related("commitment"), answer_pk)
    form = answer_form(answer, request.POST)
    block = AnswerBlock(answer, form=form)
    if form.is_valid():
        block = _save(request, answer, form.cleaned_data)
    if is_htmx(request):
        return render(
            request,
            "assessments/includes/answer_saved.html",
            {
                "block": block,
                "assessment": assessment,
                "editable": True,
                "completion": _completion(assessment),
            },
        )
    if block.saved:
        messages.success(
            request,
            _("Engagement %(number)s enregistré.") % {"number": answer.commitment.number},
        )
        return redirect(_anchor(assessment, answer))
    return _render_page_with(request, assessment, {answer.pk: block}, status=409)


def _save(request, answer, data):
    try:
        saved = services.save_answer(
            request.user,
            answer,
            level=data["level"],
            narrative=data["narrative"],
            revision=data["revision"],
        )
    except services.StaleEditError as stale:
        stale.current.assessment = answer.assessment
        return make_block(stale.current, True, conflict=True, unsaved=data)
    saved.assessment = answer.assessment
    return make_block(saved, True, saved=True)


@require_POST
def save_synthesis(request, pk, synthesis_pk):
    assessment = writable_assessment(request, pk)
    synthesis = _of(assessment, assessment.syntheses.select_related("dimension"), synthesis_pk)
    form = synthesis_form(synthesis, request.POST)
    context = {"assessment": assessment, "synthesis": synthesis, "form": form, "editable": True}
    if form.is_valid():
        try:
            saved = services.save_synthesis(
                request.user,
                synthesis,
                text=form.cleaned_data["text"],
                revision=form.cleaned_data["revision"],
            )
            context.update(synthesis=saved, form=synthesis_form(saved), saved=True)
        except services.StaleEditError as stale:
            context.update(
                synthesis=stale.current,
                form=synthesis_form(stale.current),
                conflict=True,
                unsaved=form.cleaned_data["text"],
            )
    if is_htmx(request):
        return render(request, "assessments/includes/synthesis.html", context)
    if context.get("saved"):
        messages.success(request, _("Synthèse enregistrée."))
    elif context.get("conflict"):
        messages.error(request, _("La synthèse a été modifiée entre-temps ; rechargée."))
    else:
        messages.error(request, _("La synthèse n'a pas été enregistrée : texte trop long."))
    return redirect(assessment.get_absolute_url() + f"#dimension-{synthesis.dimension.number}")


def _of(assessment, items, pk):
    """The item `pk` of `items` (the assessment's answers or syntheses), knowing its assessment
    without a query; a 404 when it is not one of them."""
    item = get_object_or_404(items, pk=pk)
    item.assessment = assessment
    return item


def _answer_of(assessment, answer_pk):
    answers = assessment.answers.select_related("commitment").prefetch_related("evidence", "gaps")
    return _of(assessment, answers, answer_pk)


def _fragment_or_redirect(request, template, block, assessment, form=None):
    """The refreshed fragment for htmx; otherwise back to the page, with errors if any."""
    if is_htmx(request):
        context = {
            "block": block,
            "assessment": assessment,
            "editable": permissions.can_write_assessment(request.user, assessment),
            "can_follow_up": permissions.can_follow_up_gaps(request.user, assessment),
        }
        return render(request, template, context)
    if form is not None and form.errors:
        return _render_page_with(request, assessment, {block.answer.pk: block}, status=400)
    return redirect(_anchor(assessment, block.answer))


def _new_item_form(request, assessment, answer, kind, form):
    """GET on an add URL: the bare form for htmx, or a page holding it without JavaScript."""
    template = f"assessments/includes/{kind}_form.html"
    context = {"assessment": assessment, "answer": answer, "form": form}
    if is_htmx(request):
        return render(request, template, context)
    heading = _("Ajouter une pièce") if kind == "evidence" else _("Relever un écart")
    context.update(
        heading=heading,
        form_template=template,
        back_url=_anchor(assessment, answer),
        breadcrumb=_breadcrumb(assessment, (heading, None)),
    )
    return render(request, "assessments/item_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def add_evidence(request, pk, answer_pk):
    assessment = writable_assessment(request, pk)
    answer = _answer_of(assessment, answer_pk)
    if request.method != "POST":
        return _new_item_form(request, assessment, answer, "evidence", evidence_form(answer))
    form = evidence_form(answer, request.POST, request.FILES)
    if form.is_valid():
        try:
            with once(request) as key:
                services.add_evidence(
                    request.user,
                    answer,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
                key.done(_anchor(assessment, answer))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            form = None
        answer = _answer_of(assessment, answer_pk)
    block = make_block(answer, True, evidence_form=form)
    return _fragment_or_redirect(
        request, "assessments/includes/evidence.html", block, assessment, form
    )


@require_POST
def remove_evidence(request, pk, evidence_pk):
    assessment = writable_assessment(request, pk)
    evidence = get_object_or_404(
        Evidence.objects.select_related("answer__commitment"),
        pk=evidence_pk,
        answer__assessment=assessment,
    )
    evidence.answer.assessment = assessment
    services.remove_evidence(request.user, evidence)
    block = make_block(_answer_of(assessment, evidence.answer_id), True)
    return _fragment_or_redirect(request, "assessments/includes/evidence.html", block, assessment)


@require_safe
def download_evidence(request, pk, evidence_pk):
    assessment = readable_assessment(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, answer__assessment=assessment)
    return serve_private_file(request, evidence.file)


@require_http_methods(["GET", "HEAD", "POST"])
def add_gap(request, pk, answer_pk):
    assessment = writable_assessment(request, pk)
    answer = _answer_of(assessment, answer_pk)
    if request.method != "POST":
        return _new_item_form(request, assessment, answer, "gap", gap_form(answer))
    form = gap_form(answer, request.POST)
    if form.is_valid():
        with once(request) as key:
            services.add_gap(request.user, answer, **form.cleaned_data)
            key.done(_anchor(assessment, answer))
        form = None
        answer = _answer_of(assessment, answer_pk)
    block = make_block(answer, True, gap_form=form)
    return _fragment_or_redirect(request, "assessments/includes/gaps.html", block, assessment, form)


@require_POST
def set_gap_status(request, pk, gap_pk):
    assessment = readable_assessment(request, pk)
    gap = get_object_or_404(
        Gap.objects.select_related("answer__commitment"), pk=gap_pk, answer__assessment=assessment
    )
    gap.answer.assessment = assessment
    status = request.POST.get("status")
    if status not in Gap.Status.values:
        raise BadRequest("unknown gap status")
    services.set_gap_status(request.user, gap, status)
    next_url = raw_text(request.POST, "next")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    editable = permissions.can_write_assessment(request.user, assessment)
    block = make_block(_answer_of(assessment, gap.answer_id), editable)
    return _fragment_or_redirect(request, "assessments/includes/gaps.html", block, assessment)


@require_POST
def transition(request, pk, name):
    assessment = readable_assessment(request, pk)
    try:
        workflows.fire(assessment, name, request.user, comment=raw_text(request.POST, "reason"))
    except workflows.TransitionRefused as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("L'évaluation est désormais « %(status)s ».")
            % {"status": assessment.get_status_display()},
        )
    return redirect(assessment)


def experts(request, pk):
    assessment = readable_assessment(request, pk)
    if not permissions.can_manage_experts(request.user, assessment):
        raise PermissionDenied
    initial = {"lead_expert": assessment.lead_expert, "co_experts": assessment.co_experts.all()}
    form = ExpertsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_experts(
                request.user,
                assessment,
                lead_expert=form.cleaned_data["lead_expert"],
                co_experts=list(form.cleaned_data["co_experts"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les experts de l'évaluation ont été mis à jour."))
            return redirect(assessment)
    return render(
        request,
        "assessments/experts.html",
        {
            "assessment": assessment,
            "form": form,
            "breadcrumb": _breadcrumb(assessment, (_("Experts"), None)),
        },
        status=400 if form.errors else 200,
    )
