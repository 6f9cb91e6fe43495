"""An export whose worker died is built again; after three attempts it fails with a retry
button that only its author may use (core.jobs)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ecoquartier.applications.models import Export
from ecoquartier.core.models import ActivityEvent
from tests.applications.factories import submitted_application

HTMX = {"HTTP_HX_REQUEST": "true"}


def stale_export(world, attempt):
    submitted_application(world)
    export = Export.objects.create(
        call=world.call, user=world.manager, content="applications", format="csv"
    )
    Export.objects.filter(pk=export.pk).update(
        status="running",
        progress=37,
        attempt=attempt,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )
    return export


def test_an_export_whose_worker_died_is_built_again_when_its_page_is_read(
    client, world, django_capture_on_commit_callbacks
):
    export = stale_export(world, attempt=1)
    client.force_login(world.manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("applications:export_status", args=[export.pk]), **HTMX)

    export.refresh_from_db()
    assert (export.status, export.attempt, export.rows) == ("ready", 2, 1)
    download = client.get(reverse("applications:export_download", args=[export.pk]))
    assert b"".join(download.streaming_content).count(b"\n") == 2


def test_a_failed_export_offers_a_retry_to_its_author_only(
    client, world, django_capture_on_commit_callbacks
):
    export = stale_export(world, attempt=Export.MAX_ATTEMPTS)
    status = reverse("applications:export_status", args=[export.pk])
    retry = reverse("applications:export_retry", args=[export.pk])
    client.force_login(world.manager)

    content = client.get(status, **HTMX).content.decode()
    assert "L’export a échoué" in content and f'action="{retry}"' in content
    assert "every 2s" not in content

    client.force_login(world.outsider)
    assert client.post(retry).status_code == 404
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)

    export.refresh_from_db()
    assert export.status == "ready"
    assert ActivityEvent.objects.filter(verb="application.export_retried").count() == 1
