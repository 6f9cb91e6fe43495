"""The applications' part of the inbox (applications/inbox.py) and who the menus offer their
pages to: each task counts what waits, links to where it is done, and costs the same queries
for one object as for many."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoquartier.accounts.models import User
from ecoquartier.applications import inbox, permissions, services
from ecoquartier.applications.models import Application, CoApplicant, State
from ecoquartier.core import extensions
from ecoquartier.projects.permissions import holds_projects
from tests.applications.factories import review_for, submitted_application

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request sees it (memberships not cached yet)."""
    return User.objects.get(pk=user.pk)


def tasks(provider, user):
    """The provider's tasks for a fresh `user`: the counts below include that user's query."""
    return list(provider(fresh(user)))


def test_instructors_get_the_files_to_instruct_per_call_linking_to_its_dashboard(world):
    submitted_application(world)
    submitted_application(world, state=State.UNDER_REVIEW)
    submitted_application(world, state=State.SELECTED)  # decided: nothing left to do
    dashboard = reverse("applications:dashboard", kwargs={"slug": world.call.slug})
    for instructor in (world.manager, world.referent):
        [task] = tasks(inbox.to_instruct, instructor)
        assert (task.count, task.url) == (2, dashboard)
        assert world.call.title in task.label
        assert task.detail == "dont 1 nouvelle"
    assert tasks(inbox.to_instruct, world.holder) == []
    assert tasks(inbox.to_instruct, world.outsider) == []


def test_files_to_instruct_cost_the_same_queries_for_one_file_or_many(
    world, django_assert_max_num_queries
):
    submitted_application(world)
    with django_assert_max_num_queries(3):
        assert tasks(inbox.to_instruct, world.referent)[0].count == 1
    for _ in range(5):
        submitted_application(world)
    with django_assert_max_num_queries(3):
        assert tasks(inbox.to_instruct, world.referent)[0].count == 6


def test_a_reviewer_gets_its_reviews_with_the_next_deadline_of_the_call(
    world, django_assert_max_num_queries
):
    reviewer = world.reviewers[0]
    first = review_for(submitted_application(world), reviewer)
    with django_assert_max_num_queries(2):
        [task] = tasks(inbox.reviews_to_do, reviewer)
    assert (task.count, task.url) == (1, first.get_absolute_url())
    assert task.due == world.intention.deadline
    for _ in range(4):
        review_for(submitted_application(world), reviewer)
    with django_assert_max_num_queries(2):
        [task] = tasks(inbox.reviews_to_do, reviewer)
    assert (task.count, task.url) == (5, reverse("applications:reviews"))
    assert tasks(inbox.reviews_to_do, world.reviewers[1]) == []


def test_a_submitted_review_or_a_declared_conflict_ends_the_task(world):
    reviewer = world.reviewers[0]
    review = review_for(submitted_application(world), reviewer)
    review.conflict = review.Conflict.DECLARED
    review.save()
    assert tasks(inbox.reviews_to_do, reviewer) == []
    other = review_for(submitted_application(world), reviewer)
    other.submitted_at = timezone.now()
    other.save()
    assert tasks(inbox.reviews_to_do, reviewer) == []


def test_the_holder_is_asked_to_answer_completion_requests(world, django_assert_max_num_queries):
    application = submitted_application(world, state=State.COMPLETION_REQUESTED)
    with django_assert_max_num_queries(3):
        [task] = tasks(inbox.completions_requested, world.holder)
    assert (task.count, task.url) == (1, application.get_absolute_url())
    for _ in range(3):
        submitted_application(world, state=State.COMPLETION_REQUESTED)
    with django_assert_max_num_queries(3):
        [task] = tasks(inbox.completions_requested, world.holder)
    assert (task.count, task.url) == (4, reverse("applications:mine"))
    assert tasks(inbox.completions_requested, world.referent) == []


def test_an_invited_co_applicant_is_asked_to_accept_and_finds_the_invitation(world, client):
    application = submitted_application(world)
    services.invite_co_applicant(world.holder, application, world.outsider.email.upper(), "edit")
    [task] = tasks(inbox.invitations, world.outsider)
    assert task.count == 1
    client.force_login(world.outsider)
    html = client.get(task.url).content.decode()
    assert 'id="invitations"' in html
    assert f"Accepter l’invitation à « {application.title} »" in html
    CoApplicant.objects.update(accepted_at=timezone.now(), user=world.outsider)
    assert tasks(inbox.invitations, world.outsider) == []


def test_drafts_closing_within_14_days_are_deadlines(world, django_assert_max_num_queries):
    draft = services.start_application(world.holder, world.call, world.commune, world.project)
    # The intention note closes in 20 days: not yet.
    assert tasks(inbox.deadlines, world.holder) == []
    soon = timezone.now() + timedelta(days=6)
    world.intention.deadline = soon
    world.intention.save()
    with django_assert_max_num_queries(3):
        [task] = tasks(inbox.deadlines, world.holder)
    assert (task.count, task.url, task.due) == (1, draft.get_absolute_url(), soon)
    for _ in range(3):
        services.start_application(world.holder, world.call, world.commune, world.project)
    with django_assert_max_num_queries(3):
        [task] = tasks(inbox.deadlines, world.holder)
    assert task.count == 4
    Application.objects.update(state=State.SUBMITTED)
    assert tasks(inbox.deadlines, world.holder) == []


def test_the_inbox_lists_every_provider_s_tasks_for_the_user(world):
    review_for(submitted_application(world), world.reviewers[0])
    labels = [task.label for task in extensions.tasks(fresh(world.reviewers[0]))]
    assert labels == ["Évaluations à faire"]


def test_a_referent_finds_the_applications_it_instructs(world, client):
    application = submitted_application(world)
    services.start_application(world.holder, world.call, world.commune, world.project)  # draft
    assert list(permissions.instructed_by(fresh(world.referent))) == [application]
    assert list(permissions.instructed_by(fresh(world.manager))) == [application]
    assert list(permissions.instructed_by(fresh(world.holder))) == []
    client.force_login(world.referent)
    html = client.get(reverse("applications:instructing")).content.decode()
    assert application.get_absolute_url() in html
    assert reverse("applications:dashboard", kwargs={"slug": world.call.slug}) in html
    # The project's applications page lists it too, where it said "no application" before.
    html = client.get(reverse("applications:project", kwargs={"slug": world.project.slug}))
    assert application.get_absolute_url() in html.content.decode()


def test_the_instruction_page_costs_the_same_queries_for_one_file_or_many(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.referent)
    submitted_application(world)
    with django_assert_max_num_queries(12):
        client.get(reverse("applications:instructing"))
    for _ in range(5):
        submitted_application(world)
    with django_assert_max_num_queries(12):
        client.get(reverse("applications:instructing"))


def test_menus_offer_applications_pages_by_role(world):
    assert holds_projects(fresh(world.holder))
    assert not holds_projects(fresh(world.referent))
    assert not holds_projects(fresh(world.manager))
    assert permissions.instructs_applications(fresh(world.referent))
    assert permissions.instructs_applications(fresh(world.manager))
    assert not permissions.instructs_applications(fresh(world.holder))
    assert not permissions.reviews_applications(fresh(world.holder))
