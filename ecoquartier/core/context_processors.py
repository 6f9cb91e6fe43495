from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Main navigation as data: (label, URL name). An entry whose app is not installed yet is skipped.
MAIN_NAV = [
    (_("Accueil"), "core:home"),
    (_("Projets"), "projects:list"),
    (_("Référentiel"), "referentiel:index"),
    (_("Trouver une aide"), "calls:finder"),
    (_("Territoires"), "territories:search"),
]


def _nav(request):
    items = []
    for label, name in MAIN_NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    return items


def _memberships(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return []
    if not hasattr(request, "_memberships"):
        request._memberships = list(user.memberships.select_related("organisation"))
    return request._memberships


def platform(request):
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "PLATFORM_TAGLINE": settings.PLATFORM_TAGLINE,
        "PROCONNECT_ENABLED": settings.PROCONNECT_ENABLED,
        "main_nav": _nav(request),
        "user_memberships": _memberships(request),
    }
