from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ecoquartier.core import health as health_checks
from ecoquartier.core import scheduler
from ecoquartier.core.context_processors import constants

STATIC_PAGES = {
    "accessibility": ("core/pages/accessibility.html", _("Déclaration d’accessibilité")),
    "legal": ("core/pages/legal.html", _("Mentions légales")),
    "privacy": ("core/pages/privacy.html", _("Données personnelles")),
    "sitemap": ("core/pages/sitemap.html", _("Plan du site")),
}

# Entry points per audience on the home page: (title, description, URL name, pictogram).
# Like MAIN_NAV, an entry whose app has no such URL yet is left out.
AUDIENCES = [
    (
        _("Collectivités et aménageurs"),
        _("Créez le dossier de votre projet, candidatez aux appels et avancez vers le label."),
        "projects:list",
        "buildings/city-hall",
    ),
    (
        _("Services de l’État"),
        _("DDT(M), DREAL, DEAL : suivez les projets de votre territoire et instruisez-les."),
        "core:dashboard",
        "institutions/justice",
    ),
    (
        _("Experts et partenaires"),
        _("Évaluez les projets au regard du référentiel et partagez vos retours d’expérience."),
        "referentiel:index",
        "environment/human-cooperation",
    ),
    (
        _("Tout public"),
        _("Trouvez les aides ouvertes à votre territoire et vos contacts dans les services."),
        "calls:finder",
        "map/location-france",
    ),
]

# Shortcuts on the dashboard: (label, URL name, icon). Domain apps add theirs here as they land.
DASHBOARD_SHORTCUTS = [
    (_("Mes projets"), "projects:list", "fr-icon-building-line"),
    (_("Créer un projet"), "projects:create", "fr-icon-add-line"),
    (_("Trouver une aide"), "calls:finder", "fr-icon-search-line"),
    (_("Le référentiel ÉcoQuartier"), "referentiel:index", "fr-icon-book-2-line"),
    (_("Mon profil"), "accounts:profile", "fr-icon-account-circle-line"),
]


def _reverse_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@login_not_required
@require_safe
def home(request):
    audiences = [
        {"title": title, "text": text, "url": url, "pictogram": pictogram}
        for title, text, name, pictogram in AUDIENCES
        if (url := _reverse_or_none(name))
    ]
    return render(
        request,
        "core/home.html",
        {"audiences": audiences, "territories_url": _reverse_or_none("territories:search")},
    )


@require_safe
def dashboard(request):
    memberships = request.user.memberships.select_related("organisation__territory")
    shortcuts = [
        {"label": label, "url": url, "icon": icon}
        for label, name, icon in DASHBOARD_SHORTCUTS
        if (url := _reverse_or_none(name))
    ]
    if request.user.is_superuser:
        shortcuts.append(
            {
                "label": _("Tâches planifiées"),
                "url": reverse("core:scheduled_jobs"),
                "icon": "fr-icon-time-line",
            }
        )
    return render(
        request,
        "core/dashboard.html",
        {
            "memberships": memberships,
            "shortcuts": shortcuts,
            "breadcrumb": [(_("Tableau de bord"), None)],
        },
    )


@login_not_required
@require_safe
def static_page(request, page):
    template, title = STATIC_PAGES[page]
    return render(request, template, {"breadcrumb": [(title, None)]})


@require_safe
def scheduled_jobs(request):
    """For platform administrators: each periodic job, its last run and its next one."""
    if not request.user.is_superuser:
        raise PermissionDenied
    return render(
        request,
        "core/scheduled_jobs.html",
        {
            "jobs": scheduler.overview(),
            "breadcrumb": [
                (_("Tableau de bord"), reverse("core:dashboard")),
                (_("Tâches planifiées"), None),
            ],
        },
    )


@login_not_required
@require_safe
def health(request):
    result = health_checks.report()
    response = JsonResponse(result, status=200 if result["status"] == "ok" else 503)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def bad_request(request, exception=None):
    return render(request, "core/errors/400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "core/errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "core/errors/404.html", status=404)


@login_not_required
def server_error(request):
    """Rendered without context processors or request.user: the database may be what failed."""
    context = {
        **constants(),
        "csp_nonce": str(getattr(request, "csp_nonce", "")),
        "is_error_page": True,
    }
    return HttpResponseServerError(loader.get_template("core/errors/500.html").render(context))
