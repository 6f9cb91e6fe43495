from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecoquartier.core.activity import timeline
from ecoquartier.projects.models import OperationType, Project, Theme
from ecoquartier.projects.services import (
    StaleProjectError,
    create_project,
    unique_slug,
    update_project,
)
from tests.projects.factories import ProjectFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(town_hall, commune, taxonomy):
    return {
        "name": "Écoquartier des Docks",
        "summary": "Un quartier sur d'anciennes emprises industrielles.",
        "holders": [town_hall],
        "communes": [commune],
        "latitude": Decimal("48.9118"),
        "longitude": Decimal("2.3325"),
        "stage": Project.Stage.OPERATIONAL,
        "operation_types": [OperationType.objects.get(slug="reconversion-friche")],
        "themes": [Theme.objects.get(slug="biodiversite")],
        "dwellings": 4000,
        "social_dwellings": 1600,
        "is_public": True,
    }


def test_creating_a_project_saves_every_field_and_logs_who_created_it(holder, data):
    project = create_project(holder, data)

    assert project.slug == "ecoquartier-des-docks"
    assert project.created_by == holder
    assert list(project.communes.all()) == data["communes"]
    assert project.version == 1
    [event] = timeline(project)
    assert event.verb == "project.created"
    assert event.actor == holder
    assert event.changes["name"] == {"before": None, "after": "Écoquartier des Docks"}
    assert event.changes["communes"]["after"] == ["Saint-Ouen-sur-Seine (93070)"]
    assert event.changes["latitude"]["after"] == "48.9118"


def test_a_project_needs_one_of_the_creators_organisations_as_holder(outsider, data):
    with pytest.raises(PermissionDenied):
        create_project(outsider, data)
    assert not Project.objects.exists()


def test_a_project_needs_at_least_one_commune(holder, data):
    data["communes"] = []
    with pytest.raises(ValidationError) as error:
        create_project(holder, data)
    assert "communes" in error.value.message_dict


def test_social_dwellings_cannot_exceed_dwellings(holder, data):
    data["social_dwellings"] = 5000
    with pytest.raises(ValidationError):
        create_project(holder, data)


def test_slugs_are_unique_and_avoid_reserved_words():
    ProjectFactory(slug="les-docks")
    assert unique_slug("Les Docks") == "les-docks-2"
    assert unique_slug("Nouveau") == "nouveau-2"
    assert unique_slug("!!!") == "projet"


def test_an_update_logs_field_level_changes_and_bumps_the_version(holder, data):
    project = create_project(holder, data)
    other = CommuneFactory(name="Saint-Denis", code="93066")

    updated = update_project(
        holder,
        project,
        {"name": "Les Docks", "communes": [other, *data["communes"]], "dwellings": 4200},
        expected_version=1,
    )

    assert updated.version == 2
    assert updated.slug == "ecoquartier-des-docks"  # URLs stay stable
    event = timeline(project).first()
    assert event.verb == "project.updated"
    assert event.actor == holder
    assert event.changes == {
        "name": {"before": "Écoquartier des Docks", "after": "Les Docks"},
        "dwellings": {"before": 4000, "after": 4200},
        "communes": {
            "before": ["Saint-Ouen-sur-Seine (93070)"],
            "after": ["Saint-Denis (93066)", "Saint-Ouen-sur-Seine (93070)"],
        },
    }


def test_an_update_without_change_writes_nothing(holder, data):
    project = create_project(holder, data)
    update_project(holder, project, {"name": project.name}, expected_version=1)
    project.refresh_from_db()
    assert project.version == 1
    assert timeline(project).count() == 1


def test_a_stale_edit_is_refused_and_keeps_the_saved_version(holder, data):
    project = create_project(holder, data)
    update_project(holder, project, {"name": "Saved first"}, expected_version=1)

    with pytest.raises(StaleProjectError) as stale:
        update_project(holder, project, {"name": "Saved second"}, expected_version=1)

    assert "modifié par une autre personne" in str(stale.value)
    project.refresh_from_db()
    assert project.name == "Saved first"
    assert project.version == 2
    assert timeline(project).count() == 2


def test_only_members_of_holder_organisations_may_update(holder, outsider, referent, data):
    project = create_project(holder, data)
    for user in (outsider, referent):
        with pytest.raises(PermissionDenied):
            update_project(user, project, {"name": "Pirate"}, expected_version=1)
    project.refresh_from_db()
    assert project.name == "Écoquartier des Docks"


def test_a_holder_cannot_remove_all_of_their_own_organisations(holder, outsider, data):
    project = create_project(holder, data)
    their_org = outsider.memberships.get().organisation
    with pytest.raises(PermissionDenied):
        update_project(holder, project, {"holders": [their_org]}, expected_version=1)
