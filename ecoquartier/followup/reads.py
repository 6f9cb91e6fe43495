"""What other apps' pages show of the follow-up (panels), and the project's follow-ups."""

from ecoquartier.followup import permissions
from ecoquartier.followup.models import FollowUp


def application_panel(application, request):
    """On a selected application's page: its follow-up (for those who may see it), or the
    button that opens it (for the programme's managers). One query."""
    user = request.user
    follow_up = (
        FollowUp.objects.filter(application=application)
        .select_related("project", "programme")
        .first()
    )
    if follow_up is not None:
        return {"follow_up": follow_up if permissions.can_view(user, follow_up) else None}
    return {"application": application, "can_open": permissions.can_open_from(user, application)}


def project_follow_ups(user, project):
    """The follow-ups of `project` that `user` may see, newest first."""
    return list(
        permissions.visible_follow_ups(user, FollowUp.objects.filter(project=project))
        .select_related("programme", "beneficiary", "coordinator")
        .order_by("-starts_on", "pk")
    )
