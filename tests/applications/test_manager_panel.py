"""A call's managers see, on its page and on the list of the calls they manage, how many
applications are in each state and where to work on them (issue 13, item 3); no one else does."""

import pytest
from django.urls import reverse

from ecoquartier.applications.models import State
from tests.accounts.factories import UserFactory
from tests.applications.factories import submitted_application
from tests.calls.factories import CallFactory

LINKS = ("dashboard", "ranking", "deliberation", "forms", "grid")


def links(call):
    return [reverse(f"applications:{name}", args=[call.slug]) for name in LINKS]


def test_the_call_page_shows_its_managers_counts_per_state_and_links(client, world):
    submitted_application(world)
    submitted_application(world, State.UNDER_REVIEW)
    submitted_application(world, State.UNDER_REVIEW)
    draft = world.call.applications.create(
        organisation=world.commune, step=world.intention, title="Brouillon", created_by=world.holder
    )
    assert draft.state == State.DRAFT
    client.force_login(world.manager)
    html = client.get(world.call.get_absolute_url()).content.decode()
    assert "Gestion des candidatures" in html
    assert "3 candidatures déposées" in html  # the draft is not counted
    assert "Déposée : <strong>1</strong>" in html
    assert "En instruction : <strong>2</strong>" in html
    assert all(link in html for link in links(world.call))


@pytest.mark.parametrize("who", ["holder", "referent", "outsider", None])
def test_no_one_else_sees_them(client, world, who):
    submitted_application(world)
    if who:
        client.force_login(getattr(world, who))
    html = client.get(world.call.get_absolute_url()).content.decode()
    assert "Gestion des candidatures" not in html
    assert reverse("applications:deliberation", args=[world.call.slug]) not in html


def test_the_managers_list_of_calls_shows_counts_and_links(client, world):
    submitted_application(world)
    client.force_login(world.manager)
    html = client.get(reverse("calls:manage")).content.decode()
    assert "Candidatures par appel" in html
    assert "1 candidature déposée — Déposée : 1" in html
    assert all(link in html for link in links(world.call))


def test_the_managers_list_costs_the_same_queries_whatever_the_calls(
    client, world, django_assert_max_num_queries
):
    submitted_application(world)
    client.force_login(world.manager)
    client.get(reverse("calls:manage"))
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("calls:manage"))
    for i in range(5):
        CallFactory(programme=world.call.programme, title=f"Appel {i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse("calls:manage")).content.decode()
    assert html.count(reverse("applications:grid", args=["appel-"]).split("appel-")[0]) >= 6


def test_the_call_page_costs_its_managers_the_same_queries_whatever_the_applications(
    client, world, django_assert_max_num_queries
):
    submitted_application(world)
    client.force_login(world.manager)
    client.get(world.call.get_absolute_url())
    with django_assert_max_num_queries(60) as one:
        client.get(world.call.get_absolute_url())
    for _ in range(4):
        submitted_application(world)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(world.call.get_absolute_url())


def test_a_user_without_rights_gets_nothing_from_the_managers_list(client, world):
    client.force_login(UserFactory())
    assert client.get(reverse("calls:manage")).status_code == 403
