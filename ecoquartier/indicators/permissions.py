"""Who may record and read indicator values. The one place these rules live (ADR 6).

- A project's holders record its baseline, targets and measurements, and choose each value's
  confidentiality; administrators too.
- Public values are read by whoever sees the project; restricted ones ("réservée aux services
  de l'État et aux experts") by its holders, the State services overseeing it, and the experts
  another app names on it (the project's viewer relations: assessments' experts).
"""

from ecoquartier.projects.permissions import (
    can_edit_project,
    has_viewer_relation,
    oversees_project,
)


def can_record(user, project):
    return can_edit_project(user, project)


def reads_restricted(user, project):
    """Sees the values reserved to the State services and experts of `project`."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or can_edit_project(user, project) or oversees_project(user, project):
        return True
    return has_viewer_relation(user, project)
