"""Reviewers' pages (F-32): conflict-of-interest declaration first, then the grid."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ecoquartier.applications import permissions, services
from ecoquartier.applications.forms import ConflictForm, ReviewForm
from ecoquartier.applications.models import Criterion, Review
from ecoquartier.applications.views.applicant import _answers_by_step
from ecoquartier.core.pagination import paginate


def mine(request):
    queryset = Review.objects.filter(reviewer=request.user).select_related("application__call")
    page = paginate(request, queryset.order_by("submitted_at", "-assigned_at"), 30)
    return render(
        request,
        "applications/reviews.html",
        {"page": page, "breadcrumb": [(_("Mes évaluations"), None)]},
    )


def review(request, pk):
    review = get_object_or_404(
        Review.objects.select_related(
            "application__call__programme",
            "application__organisation",
            "application__step",
            "application__territory",
        ),
        pk=pk,
        reviewer=request.user,
    )
    application = review.application
    criteria = list(Criterion.objects.filter(call_id=application.call_id))
    if not review.conflict:
        return _declare(request, review)
    initial = {f"score_{s.criterion_id}": str(s.value) for s in review.scores.all()}
    initial.update(comment=review.comment, recommendation=review.recommendation)
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and not review.has_conflict and form.is_valid():
        try:
            services.save_review(
                request.user, review, form.scores(), comment=form.cleaned_data["comment"],
                recommendation=form.cleaned_data["recommendation"], submit="submit" in request.POST,
            )  # fmt: skip
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied:
            raise
        else:
            messages.success(
                request,
                _("Évaluation soumise.")
                if "submit" in request.POST
                else _("Brouillon enregistré."),
            )
            return redirect("applications:review", pk=review.pk)
    review.refresh_from_db()
    others = []
    if permissions.can_see_reviews(request.user, application):
        others = application.reviews.exclude(pk=review.pk).select_related("reviewer")
    return render(
        request,
        "applications/review.html",
        {
            "review": review,
            "application": application,
            "form": form,
            "answers": [] if review.has_conflict else _answers_by_step(application),
            "others": others,
            "breadcrumb": [
                (_("Mes évaluations"), reverse("applications:reviews")),
                (application.title, None),
            ],
        },
    )


def _declare(request, review):
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.declare_conflict(
            request.user, review, form.cleaned_data["has_conflict"], form.cleaned_data["note"]
        )
        if form.cleaned_data["has_conflict"]:
            messages.info(
                request, _("Conflit d'intérêts enregistré : vous ne noterez pas cette candidature.")
            )
        return redirect("applications:review", pk=review.pk)
    return render(
        request,
        "applications/conflict.html",
        {
            "review": review,
            "application": review.application,
            "form": form,
            "breadcrumb": [
                (_("Mes évaluations"), reverse("applications:reviews")),
                (review.application.title, None),
            ],
        },
    )
