from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoquartier.core.pagination import paginate
from ecoquartier.notifications import forms, services
from ecoquartier.notifications.models import Notification

PER_PAGE = 20


def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).only(
        "pk", "subject", "url", "created_at", "read_at"
    )
    page = paginate(request, notifications, PER_PAGE)
    title = _("Mes notifications")
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "title": title, "breadcrumb": [(title, None)]},
    )


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def mark_read(request, pk):
    # Someone else's notification does not exist for this user: 404, as for any hidden object.
    if not Notification.objects.filter(pk=pk, recipient=request.user).exists():
        raise Http404
    services.mark_read(request.user, pk)
    return _back(request)


@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return _back(request)


def preferences(request):
    user = request.user
    form = forms.PreferencesForm(
        request.POST or None, initial={"frequency": user.notification_frequency}
    )
    if request.method == "POST" and form.is_valid():
        services.set_frequency(user, user, form.cleaned_data["frequency"])
        messages.success(request, _("Votre choix d’envoi des notifications est enregistré."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "title": _("Envoi des notifications par courriel"),
            "breadcrumb": [
                (_("Mes notifications"), reverse("notifications:list")),
                (_("Envoi par courriel"), None),
            ],
        },
    )
