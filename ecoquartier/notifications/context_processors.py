from django.urls import reverse


def badge(request):
    """The header's link to the notifications with the unread count: read from the user row,
    which the request has loaded anyway (no query)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "notifications_badge": {
            "url": reverse("notifications:list"),
            "preferences_url": reverse("notifications:preferences"),
            "unread": user.unread_notifications,
        }
    }
