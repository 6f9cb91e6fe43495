"""Visitors get the public project pages from the cache, never older than the database."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ecoquartier.core.activity import record
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PAGES = ["projects:list", "projects:detail", "projects:timeline"]


@pytest.fixture
def project(town_hall):
    return ProjectFactory(name="Les Docks", slug="docks", holders=[town_hall])


def url(name, project):
    return reverse(name) if name == "projects:list" else reverse(name, args=[project.slug])


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_s_second_request_reads_only_the_generations(
    client, project, name, django_assert_num_queries
):
    first = client.get(url(name, project))
    with django_assert_num_queries(1):
        second = client.get(url(name, project))
    assert main(second) == main(first)  # The shell around it has per-request nonces.


def main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("name", PAGES)
def test_a_renamed_project_shows_at_the_next_request(client, project, name):
    assertContains(client.get(url(name, project)), "Les Docks")
    project.name = "Les Docks de Saint-Ouen"
    project.save()
    assertContains(client.get(url(name, project)), "Les Docks de Saint-Ouen")


def test_renamed_holders_and_new_events_show_at_the_next_request(client, project, town_hall):
    detail = reverse("projects:detail", args=["docks"])
    assertContains(client.get(detail), town_hall.name)
    town_hall.name = "Ville de Saint-Ouen"
    town_hall.save()
    record(None, "project.noted", "Réunion publique du 3 mars", targets=[project])
    response = client.get(detail)
    assertContains(response, "Ville de Saint-Ouen")
    assertContains(response, "Réunion publique du 3 mars")


def test_each_filter_and_page_has_its_own_entry(client, project):
    ProjectFactory(name="Village des Combes")
    assertContains(client.get(reverse("projects:list")), "Village des Combes")
    filtered = client.get(reverse("projects:list"), {"q": "docks"})
    assertContains(filtered, "Les Docks")
    assertNotContains(filtered, "Village des Combes")


def test_logged_in_users_get_their_own_page_not_the_visitors_one(client, project, holder):
    edit = reverse("projects:edit", args=["docks"])
    assertNotContains(client.get(project.get_absolute_url()), edit)  # Now cached for visitors.
    client.force_login(holder)
    assertContains(client.get(project.get_absolute_url()), edit)
    client.logout()
    assertNotContains(client.get(project.get_absolute_url()), edit)


def test_a_project_made_private_disappears_for_visitors_at_once(client, project):
    assertContains(client.get(reverse("projects:list")), "Les Docks")
    client.get(project.get_absolute_url())
    project.is_public = False
    project.save()
    assertNotContains(client.get(reverse("projects:list")), "Les Docks")
    assert client.get(project.get_absolute_url()).status_code == 404
