"""Middleware of our own: a Permissions-Policy on every response, NUL bytes refused before any
view reads them, and the answer to a creating form sent twice."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ecoquartier.core import views
from ecoquartier.core.idempotency import Repeated


class PermissionsPolicyMiddleware:
    """Denies the browser features the platform never uses (settings.PERMISSIONS_POLICY), so an
    injected script or a framed page cannot reach the camera, the position or a payment."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class NulBytesMiddleware:
    """A NUL byte is valid in a URL but in no text column: PostgreSQL refuses it in a query, which
    ended in a 500 wherever a path segment or a raw parameter reached a lookup.

    No address of the platform contains one, so a path with a NUL byte answers 404; a query string
    with one is a malformed request and answers 400, before any view runs. Posted form fields are
    checked by the forms themselves (core.forms), which put a French error beside the field.
    Placed before LoginRequiredMiddleware so that an anonymous visitor gets the same answer
    rather than a login page that would carry the byte on in `?next=`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "\x00" in request.path:
            return views.page_not_found(request)
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return views.bad_request(request)
        return None


class RepeatedSubmissionMiddleware:
    """A creating form sent again (core.idempotency.Repeated) creates nothing more: the
    browser is sent to what the first POST created, and told why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Repeated):
            return None
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)  # The first answer already updated the page.
        messages.info(
            request,
            _("Ce formulaire avait déjà été envoyé : rien n’a été créé une seconde fois."),
        )
        return redirect(exception.url or _back(request))


def _back(request):
    """The page the form was on (a POST-only view has no page of its own), else home."""
    referer = request.headers.get("Referer", "")
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and allowed else "/"
