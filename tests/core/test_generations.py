"""Generation counters move with every change to the data they track."""

import pytest

from ecoquartier.core.activity import record
from ecoquartier.core.generations import bump, current
from tests.organisations.factories import OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_counter_is_zero_and_bumps_count_up(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert current("a", "b") == (0, 0)
    bump("a")
    bump("a")
    bump("b")
    assert current("b", "a") == (1, 2)


def moves(name, change):
    (before,) = current(name)
    change()
    (after,) = current(name)
    return after > before


def test_saving_deleting_and_linking_projects_move_the_projects_counter():
    project = ProjectFactory()
    commune = CommuneFactory()
    assert moves("projects", lambda: project.communes.add(commune))
    assert moves("projects", lambda: setattr(project, "name", "Autre") or project.save())
    assert moves("projects", lambda: commune.projects.remove(project))  # The reverse side too.
    assert moves("projects", project.delete)


def test_renaming_an_organisation_or_a_territory_moves_their_counters():
    organisation = OrganisationFactory()
    commune = CommuneFactory()
    organisation.name = "Nouveau nom"
    assert moves("organisations", organisation.save)
    commune.name = "Nouvelle commune"
    assert moves("territories", commune.save)
    assert not moves("projects", commune.save)


def test_an_event_moves_the_activity_counter_once_its_targets_exist():
    project = ProjectFactory()
    assert moves("activity", lambda: record(None, "project.noted", "Note", targets=[project]))
