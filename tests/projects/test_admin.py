import pytest
from django.urls import reverse

from ecoquartier.core.activity import timeline
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_an_admin_edit_bumps_the_version_and_is_logged(client, town_hall):
    admin = UserFactory(is_staff=True, is_superuser=True)
    project = ProjectFactory(name="Docks", slug="docks", holders=[town_hall])
    client.force_login(admin)
    url = reverse("admin:projects_project_change", args=[project.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Les Docks",
            "summary": project.summary,
            "description": "",
            "holders": [town_hall.pk],
            "communes": str(town_hall.territory.pk),
            "stage": project.stage,
            "is_public": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.name == "Les Docks"
    assert project.version == 2
    event = timeline(project).get()
    assert event.actor == admin
    assert event.changes == {"name": {"before": "Docks", "after": "Les Docks"}}
