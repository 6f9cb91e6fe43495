from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ecoquartier.core.extensions import Link, links

# Main navigation: core's home, then what the apps register (extensions.register_link
# "main_nav"). An entry whose URL does not resolve is skipped.
HOME = Link(_("Accueil"), "core:home", order=0)

# RGAA compliance status shown in the footer and the accessibility statement. Without a valid audit
# the RGAA requires "non conforme"; change it here (only) when an audit is published.
ACCESSIBILITY_STATUS = _("non conforme")


def _nav(request):
    items = []
    for link in links("main_nav", HOME, user=getattr(request, "user", None)):
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": link.label, "url": url, "current": current})
    return items


def _memberships(request):
    """The user's memberships, oldest first (the header shows the first one). One query."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return []
    # Same cache attribute as organisations.permissions.memberships(), so a page that checks
    # permissions and renders the header loads memberships once.
    if not hasattr(user, "_eq_memberships"):
        user._eq_memberships = list(user.memberships.select_related("organisation"))
    return user._eq_memberships


def _nonce(request):
    # Evaluated now: django-csp's lazy nonce is falsy until read, and {% dsfr_js %} tests it.
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def constants():
    """What the shell needs that depends on nothing but settings (the 500 page uses only this)."""
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "PLATFORM_TAGLINE": settings.PLATFORM_TAGLINE,
        "PROCONNECT_ENABLED": settings.PROCONNECT_ENABLED,
        "ACCESSIBILITY_STATUS": ACCESSIBILITY_STATUS,
        "CONTACT_EMAIL": getattr(settings, "CONTACT_EMAIL", settings.DEFAULT_FROM_EMAIL),
        "HOSTING_PROVIDER": getattr(settings, "HOSTING_PROVIDER", ""),
    }


def platform(request):
    return {
        **constants(),
        "csp_nonce": _nonce(request),
        "main_nav": _nav(request),
        "user_memberships": _memberships(request),
    }
