from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

STATIC_PAGES = {
    "accessibility": "core/pages/accessibility.html",
    "legal": "core/pages/legal.html",
    "privacy": "core/pages/privacy.html",
    "sitemap": "core/pages/sitemap.html",
}


@login_not_required
@require_safe
def home(request):
    return render(request, "core/home.html")


def dashboard(request):
    return render(request, "core/dashboard.html")


@login_not_required
@require_safe
def static_page(request, page):
    return render(request, STATIC_PAGES[page])


@login_not_required
def health(request):
    return JsonResponse({"status": "ok"})


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "core/errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "core/errors/404.html", status=404)


@login_not_required
def server_error(request):
    # No context processors may run safely here: render with a bare context.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("core/errors/500.html").render())
