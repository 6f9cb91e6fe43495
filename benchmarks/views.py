from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def bare(request):
    """The baseline: the DSFR base template through the full middleware stack, no query."""
    return render(request, "base.html")
