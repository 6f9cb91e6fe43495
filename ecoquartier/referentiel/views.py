"""Public pages of the référentiel: anyone may read the grid assessments are made against."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ecoquartier.referentiel.models import Commitment, ReferentielVersion


@login_not_required
@require_safe
def index(request):
    version = ReferentielVersion.objects.with_tree().filter(is_current=True).first()
    return _render_version(request, version, is_index=True)


@login_not_required
@require_safe
def version_detail(request, code):
    version = get_object_or_404(ReferentielVersion.objects.with_tree(), code=code)
    return _render_version(request, version, is_index=False)


def _render_version(request, version, is_index):
    others = ReferentielVersion.objects.all()
    if version:
        others = others.exclude(pk=version.pk)
    breadcrumb = [(_("Référentiel"), None)]
    if version and not is_index:
        breadcrumb = [(_("Référentiel"), reverse("referentiel:index")), (version.title, None)]
    return render(
        request,
        "referentiel/version.html",
        {
            "version": version,
            "other_versions": others,
            "is_index": is_index,
            "breadcrumb": breadcrumb,
        },
    )


@login_not_required
@require_safe
def commitment_detail(request, code, number):
    commitment = get_object_or_404(
        Commitment.objects.select_related("dimension__version").prefetch_related("questions"),
        dimension__version__code=code,
        number=number,
    )
    version = commitment.dimension.version
    siblings = list(
        Commitment.objects.filter(dimension__version=version)
        .order_by("number")
        .values_list("number", "title")
    )
    index = [n for n, _t in siblings].index(number)
    return render(
        request,
        "referentiel/commitment.html",
        {
            "commitment": commitment,
            "version": version,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            "breadcrumb": [
                (_("Référentiel"), reverse("referentiel:index")),
                (version.title, version.get_absolute_url()),
                (_("Engagement %(number)s") % {"number": number}, None),
            ],
        },
    )
