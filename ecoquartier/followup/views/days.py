"""The follow-up's « Jours d'accompagnement » section (to be built: see issue 14)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from ecoquartier.followup.views.common import follow_up_or_404, section_context


@require_safe
def section(request, pk):
    follow_up = follow_up_or_404(request, pk)
    context = section_context(request, follow_up, "followup:days")
    return render(request, "followup/section.html", context)


urlpatterns = [path("<int:pk>/days/", section, name="days")]
