import pytest

from ecoquartier.core.activity import record, timeline
from ecoquartier.core.models import ActivityEvent, AppendOnlyError
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_an_event_shows_on_the_timeline_of_every_object_it_touches():
    actor = UserFactory()
    project, other = ProjectFactory(), ProjectFactory()
    event = record(actor, "project.linked", "Projets liés", targets=[project, other])
    assert list(timeline(project)) == [event]
    assert list(timeline(other)) == [event]


def test_the_log_refuses_updates_and_deletes():
    event = record(None, "x.done", "Fait", targets=[ProjectFactory()])
    event.summary = "Réécrit"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ActivityEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ActivityEvent.objects.update(summary="x")
