"""The label's part of the inbox (labels/inbox.py): files to expertise for their two experts,
files without experts for the campaign's managers, commission sessions to prepare; each for the
same queries whatever the number of files or sessions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoquartier.accounts.models import User
from ecoquartier.labels import inbox, services
from ecoquartier.labels.models import CommissionSession
from tests.labels.factories import apply, sign_and_acknowledge

pytestmark = pytest.mark.django_db


def tasks(provider, user):
    """The provider's tasks for a fresh `user`: the counts below include that user's query."""
    return list(provider(User.objects.get(pk=user.pk)))


@pytest.fixture
def file(world):
    sign_and_acknowledge(world)
    return apply(world)


def test_the_two_experts_get_the_file_to_expertise_with_its_deadline(
    world, file, django_assert_max_num_queries
):
    coordinator, second, other = world.experts
    services.assign_experts(world.manager, file, coordinator=coordinator, second=second)
    for expert in (coordinator, second):
        with django_assert_max_num_queries(2):
            [task] = tasks(inbox.files_to_expertise, expert)
        assert (task.count, task.url) == (1, file.get_absolute_url())
        assert task.due == world.campaign.expertise_step.deadline
    assert tasks(inbox.files_to_expertise, other) == []
    assert tasks(inbox.files_to_expertise, world.holder) == []


def test_the_managers_get_the_files_waiting_for_experts_on_the_campaign_page(world, file):
    [task] = tasks(inbox.files_awaiting_experts, world.manager)
    assert (task.count, task.url) == (1, world.campaign.get_absolute_url())
    assert tasks(inbox.files_awaiting_experts, world.referent) == []
    services.assign_experts(world.manager, file, coordinator=world.experts[0],
                            second=world.experts[1])  # fmt: skip
    assert tasks(inbox.files_awaiting_experts, world.manager) == []


def test_sessions_to_prepare_go_to_who_runs_them(world, django_assert_max_num_queries):
    today = timezone.localdate()
    local = services.open_session(
        world.referent, world.campaign, level="local", organisation=world.ud93,
        held_on=today + timedelta(days=10), members="Karim Benali",
    )  # fmt: skip
    with django_assert_max_num_queries(3):
        [task] = tasks(inbox.sessions_to_prepare, world.referent)
    assert (task.count, task.url, task.due) == (1, local.get_absolute_url(), local.held_on)
    assert tasks(inbox.sessions_to_prepare, world.manager) == []  # not their local commission
    assert tasks(inbox.sessions_to_prepare, world.holder) == []
    for days in (20, 30, 40):
        CommissionSession.objects.create(
            campaign=world.campaign, level="local", organisation=world.ud93,
            held_on=today + timedelta(days=days), members="Karim Benali",
        )  # fmt: skip
    CommissionSession.objects.create(
        campaign=world.campaign, level="local", organisation=world.ud93,
        held_on=today - timedelta(days=1), members="Karim Benali",
    )  # fmt: skip  # held: nothing to prepare
    with django_assert_max_num_queries(3):
        [task] = tasks(inbox.sessions_to_prepare, world.referent)
    assert (task.count, task.url) == (4, world.campaign.get_absolute_url())
    national = services.open_session(
        world.manager, world.campaign, level="national", organisation=world.dgaln,
        held_on=today + timedelta(days=50), members="Présidence",
    )  # fmt: skip
    [task] = tasks(inbox.sessions_to_prepare, world.manager)
    assert (task.count, task.url) == (1, national.get_absolute_url())


def test_an_expert_finds_its_files_on_the_label_page(world, file, client):
    coordinator, second, _other = world.experts
    services.assign_experts(world.manager, file, coordinator=coordinator, second=second)
    client.force_login(coordinator)
    html = client.get(reverse("labels:index")).content.decode()
    assert 'id="expertises"' in html
    assert file.get_absolute_url() in html
