"""ProConnect URLs, mounted by config/urls.py only when ProConnect is enabled.

The same names as mozilla_django_oidc.urls, but opted out of LoginRequiredMiddleware: a person
who is not logged in yet must reach them.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from mozilla_django_oidc import urls as oidc_urls
from mozilla_django_oidc import views as oidc_views

urlpatterns = [
    path(
        "callback/",
        login_not_required(oidc_urls.OIDCCallbackClass.as_view()),
        name="oidc_authentication_callback",
    ),
    path(
        "authenticate/",
        login_not_required(oidc_urls.OIDCAuthenticateClass.as_view()),
        name="oidc_authentication_init",
    ),
    path("logout/", oidc_views.OIDCLogoutView.as_view(), name="oidc_logout"),
]
