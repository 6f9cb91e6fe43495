"""Who may see and act on applications. The only place these rules live.

- applicants: members of the applying organisation (edit), accepted co-applicants (their role);
  an invitation is accepted only by the account whose e-mail address is the invited one;
- instructors: the call's programme managers, and State referents (or managers) of a State
  service whose territory contains the applicant's territory;
- the jury: the call's programme managers;
- reviewers: users with a `Review` row on the application; a declared conflict of interest
  hides the file from them.
- A draft never submitted (`submitted_at` empty) is the applicants' work in progress: only they
  see it, its messages and its files; instructors, the jury and reviewers are told it does not
  exist (404) until it is submitted. A file sent back to draft for its full file after a
  submitted intention note stays visible to its instructors.
- The messages of an application are between its applicants and its instructors.
- A call's instruction (dashboard, bulk actions, ranking, exports) is open to its managers and,
  once the call is published, to the State services (each sees the files of its territory).
  Everything under a draft call is visible only to its managers (calls.permissions.can_view_call:
  404 for everyone else).
- Decision letters are prepared, previewed and sent by the jury; applicants and instructors
  read a letter once it is sent. The acknowledgement of receipt is read by applicants and
  instructors once the file is submitted.
- Someone who may not see an application is told it does not exist (404); someone who sees it
  but may not do an action is refused (403).
"""

from django.db.models import Q

from ecoquartier.applications.models import Application, CoApplicant, Review
from ecoquartier.calls.models import Call
from ecoquartier.calls.permissions import can_manage_call, can_view_call, managed_calls
from ecoquartier.organisations.models import Membership
from ecoquartier.organisations.permissions import (
    has_role,
    is_programme_manager,
    organisation_ids,
    state_territory_ids,
)
from ecoquartier.territories.models import TerritoryAncestor

EDIT, READ = CoApplicant.Role.EDIT, CoApplicant.Role.READ


def applicant_role(user, application):
    """EDIT, READ or None. Cached on the application for the request."""
    if not user.is_authenticated:
        return None
    cache = application.__dict__.setdefault("_applicant_roles", {})
    if user.pk not in cache:
        cache[user.pk] = _applicant_role(user, application)
    return cache[user.pk]


def _applicant_role(user, application):
    if application.organisation_id in organisation_ids(user):
        return EDIT
    co = (
        CoApplicant.objects.filter(application=application, user=user, accepted_at__isnull=False)
        .values_list("role", flat=True)
        .first()
    )
    return co


def may_accept_invitation(user, co_applicant):
    """Only the account whose e-mail address is the invited one (whatever its case)."""
    return user.is_authenticated and user.email.casefold() == co_applicant.email.casefold()


def can_apply_as(user, organisation):
    """An application is started in the name of one of the user's organisations."""
    return user.is_authenticated and (
        user.is_superuser or organisation.pk in organisation_ids(user)
    )


def is_applicant(user, application):
    return applicant_role(user, application) is not None


def can_edit(user, application):
    return applicant_role(user, application) == EDIT


def oversees(user, application):
    """A State referent whose territory contains the applicant's territory."""
    territory_ids = state_territory_ids(user) if user.is_authenticated else set()
    if not territory_ids or application.territory_id is None:
        return False
    return TerritoryAncestor.objects.filter(
        descendant_id=application.territory_id, ancestor_id__in=territory_ids
    ).exists()


def was_submitted(application):
    """Submitted at least once: before that, the file is its applicants' draft."""
    return application.submitted_at is not None


def is_instructor(user, application):
    if not user.is_authenticated or not was_submitted(application):
        return False
    cache = application.__dict__.setdefault("_instructors", {})
    if user.pk not in cache:
        cache[user.pk] = can_manage_call(user, application.call) or oversees(user, application)
    return cache[user.pk]


def is_jury(user, application):
    return (
        user.is_authenticated
        and was_submitted(application)
        and can_manage_call(user, application.call)
    )


def can_sign_letters(user, application):
    """Prepare, preview, sign and send the decision letters: the jury."""
    return is_jury(user, application)


def can_read_documents(user, application):
    """The letters sent and the acknowledgement of receipt: applicants and instructors."""
    return was_submitted(application) and (
        is_applicant(user, application) or is_instructor(user, application)
    )


def review_of(user, application):
    if not user.is_authenticated:
        return None
    return Review.objects.filter(application=application, reviewer=user).first()


def can_view(user, application):
    """A reviewer who declared a conflict of interest no longer sees the file."""
    if is_applicant(user, application) or is_instructor(user, application):
        return True
    if not was_submitted(application):
        return False
    review = review_of(user, application)
    return review is not None and not review.has_conflict


def can_read_messages(user, application):
    """The thread (and its attachments) is between applicants and instructors; posting too."""
    return is_applicant(user, application) or is_instructor(user, application)


# Who reviews, and how, stays between instructors: applicants never see these events.
REVIEW_VERBS = ("review.", "application.reviewers_assigned")


def visible_events(user, application, events):
    """The application's timeline as `user` may read it (`events`: its activity events)."""
    if is_instructor(user, application):
        return events
    for prefix in REVIEW_VERBS:
        events = events.exclude(verb__startswith=prefix)
    return events


def can_see_reviews(user, application):
    """Instructors see every review; a reviewer without conflict sees the others once their
    own is submitted; a declared conflict hides them."""
    if is_instructor(user, application):
        return True
    review = review_of(user, application)
    return review is not None and review.is_submitted and not review.has_conflict


def can_instruct_call(user, call):
    """Opens the dashboard: the call's managers, or, once it is published, any State referent
    (filtered to their territory by `instructed_applications`)."""
    if not user.is_authenticated:
        return False
    if can_manage_call(user, call):
        return True
    return can_view_call(user, call) and bool(state_territory_ids(user))


def instructed_applications(user, call, queryset=None):
    """The call's applications `user` instructs. Lists show submitted states only
    (`Application.objects.submitted()`), which drafts never submitted are not in."""
    queryset = Application.objects.all() if queryset is None else queryset
    queryset = queryset.filter(call=call)
    if can_manage_call(user, call):
        return queryset
    territory_ids = state_territory_ids(user) if user.is_authenticated else set()
    if not territory_ids or not can_view_call(user, call):
        return queryset.none()
    return queryset.filter(
        territory__in=TerritoryAncestor.objects.filter(ancestor_id__in=territory_ids).values(
            "descendant_id"
        )
    )


def visible_applications(user, queryset=None):
    """Applications `user` takes part in as applicant, co-applicant or reviewer, or manages."""
    queryset = Application.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    condition = Q(organisation_id__in=organisation_ids(user))
    condition |= Q(
        pk__in=CoApplicant.objects.filter(user=user, accepted_at__isnull=False).values(
            "application_id"
        )
    )
    others = Q(pk__in=Review.objects.filter(reviewer=user).values("application_id"))
    others |= Q(call__in=managed_calls(user))
    condition |= others & Q(submitted_at__isnull=False)
    return queryset.filter(condition)


# --- What the menus and the dashboard offer (no query beyond the cached memberships) -----------


def instructs_applications(user):
    """Programme managers and State services instruct applications (each its calls or its
    territory's files)."""
    return user.is_authenticated and (is_programme_manager(user) or bool(state_territory_ids(user)))


def reviews_applications(user):
    """Experts and reviewers are the people usually given applications to review."""
    return user.is_authenticated and has_role(
        user, Membership.Role.EXPERT, Membership.Role.REVIEWER
    )


def instructed_by(user, queryset=None):
    """Every submitted application `user` instructs, whatever the call: those of the calls they
    manage, and those of their State territory in published calls (`instructed_applications`
    for one call)."""
    queryset = Application.objects.submitted() if queryset is None else queryset.submitted()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    condition = Q(call__in=managed_calls(user).values("pk"))
    territory_ids = state_territory_ids(user)
    if territory_ids:
        condition |= Q(
            call__state=Call.State.PUBLISHED,
            territory__in=TerritoryAncestor.objects.filter(ancestor_id__in=territory_ids).values(
                "descendant_id"
            ),
        )
    return queryset.filter(condition)
