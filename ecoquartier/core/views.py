from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ecoquartier.core import extensions, scheduler
from ecoquartier.core import health as health_checks
from ecoquartier.core.context_processors import constants
from ecoquartier.core.extensions import Link, links

STATIC_PAGES = {
    "accessibility": ("core/pages/accessibility.html", _("Déclaration d’accessibilité")),
    "legal": ("core/pages/legal.html", _("Mentions légales")),
    "privacy": ("core/pages/privacy.html", _("Données personnelles")),
    "sitemap": ("core/pages/sitemap.html", _("Plan du site")),
}

# The programmes the platform brings together, as cards on the home page: (title, text).
PROGRAMMES = (
    (
        _("Le label ÉcoQuartier"),
        _(
            "Un référentiel national de 20 engagements, de la signature de la charte au label "
            "« Vécu », avec expertises et commissions locales et nationale."
        ),
    ),
    (
        _("Les offres d’accompagnement"),
        _(
            "Un appui en ingénierie publique sur plusieurs années : cadrage, indicateurs, notes "
            "d’avis et expertises à blanc."
        ),
    ),
    (
        _("Les appels à manifestation d’intérêt et à projets"),
        _(
            "Des appels nationaux ou régionaux, avec leurs critères d’éligibilité, leurs jurys et"
            " leurs lauréats."
        ),
    ),
    (
        _("Les Ateliers des territoires"),
        _(
            "Une équipe pluridisciplinaire et une série d’ateliers sur dix à douze mois, jusqu’à "
            "une feuille de route partagée."
        ),
    ),
    (
        _("Le club ÉcoQuartier"),
        _(
            "Séminaires, formations, visites de sites et retours d’expérience entre "
            "collectivités, services de l’État et partenaires."
        ),
    ),
    (
        _("Un dossier, une histoire"),
        _(
            "Candidatures, évaluations, étapes du label, jours d’accompagnement et livrables "
            "s’ajoutent au fil de l’eau au dossier du projet."
        ),
    ),
)

# Entry points per audience on the home page and shortcuts on the dashboard: core's own here,
# the others registered by their apps (extensions.register_link "home", "dashboard"). An entry
# whose URL does not resolve is left out.
STATE_SERVICES = Link(
    _("Services de l’État"),
    "core:dashboard",
    order=20,
    icon="institutions/justice",
    text=_("DDT(M), DREAL, DEAL : suivez les projets de votre territoire et instruisez-les."),
)


def _reverse_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@login_not_required
@require_safe
def home(request):
    audiences = [
        {"title": link.label, "text": link.text, "url": url, "pictogram": link.icon}
        for link in links("home", STATE_SERVICES)
        if (url := _reverse_or_none(link.url_name))
    ]
    territories_url = next(
        (url for link in links("home_territories") if (url := _reverse_or_none(link.url_name))),
        None,
    )
    context = {"audiences": audiences, "programmes": PROGRAMMES, "territories_url": territories_url}
    return render(request, "core/home.html", context)


@require_safe
def dashboard(request):
    memberships = request.user.memberships.select_related("organisation__territory")
    shortcuts = [
        {"label": link.label, "url": url, "icon": link.icon}
        for link in links("dashboard", user=request.user)
        if (url := _reverse_or_none(link.url_name))
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
            "tasks": extensions.tasks(request.user),
            "breadcrumb": [(_("Tableau de bord"), None)],
        },
    )


@login_not_required
@require_safe
def static_page(request, page):
    template, title = STATIC_PAGES[page]
    return render(request, template, {"title": title, "breadcrumb": [(title, None)]})


@require_safe
def scheduled_jobs(request):
    """For platform administrators: each periodic job, its last run and its next one."""
    if not request.user.is_superuser:
        raise PermissionDenied
    return render(
        request,
        "core/scheduled_jobs.html",
        {
            "title": _("Tâches planifiées"),
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


# Each error page's title; its template (core/errors/<status>.html) gives its texts.
ERROR_TITLES = {
    400: _("Requête invalide"),
    403: _("Accès refusé"),
    404: _("Page non trouvée"),
    500: _("Erreur inattendue"),
}


def _error_context(status):
    return {"title": ERROR_TITLES[status], "status": status}


def _error_page(request, status):
    return render(request, f"core/errors/{status}.html", _error_context(status), status=status)


@login_not_required
def bad_request(request, exception=None):
    return _error_page(request, 400)


@login_not_required
def permission_denied(request, exception=None):
    return _error_page(request, 403)


@login_not_required
def page_not_found(request, exception=None):
    return _error_page(request, 404)


@login_not_required
def server_error(request):
    """Rendered without context processors or request.user: the database may be what failed."""
    context = {
        **constants(),
        **_error_context(500),
        "csp_nonce": str(getattr(request, "csp_nonce", "")),
        "is_error_page": True,
    }
    return HttpResponseServerError(loader.get_template("core/errors/500.html").render(context))
