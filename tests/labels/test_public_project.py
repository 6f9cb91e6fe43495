"""The public page of a project shows its label steps and its published selections to visitors
(panels registered by labels and applications through core.extensions; issue 13, item 11)."""

from django.urls import reverse

from ecoquartier.applications.models import Application
from ecoquartier.applications.models import State as ApplicationState
from ecoquartier.calls.models import Call
from ecoquartier.labels import services
from tests.labels.factories import (
    apply,
    expertise_done,
    local_session,
    national_session,
    sign_and_acknowledge,
)


def page(client, world):
    return client.get(reverse("projects:detail", args=[world.project.slug])).content.decode()


def decide(world, local_outcome, national_outcome=None):
    sign_and_acknowledge(world)
    file = expertise_done(world, apply(world))
    services.deliberate(
        world.referent, local_session(world), file, outcome=local_outcome, motivation="Vu."
    )
    if national_outcome:
        file.refresh_from_db()
        services.deliberate(
            world.manager, national_session(world), file, outcome=national_outcome,
            motivation="Vu.",
        )  # fmt: skip
    file.refresh_from_db()
    return file


def test_visitors_see_the_label_steps_and_the_selection(client, world):
    decide(world, "propose", "award")
    html = page(client, world)
    assert f"« ÉcoQuartier Livré » ({world.campaign.year})" in html
    assert "Sélections" in html
    assert world.campaign.call.title in html
    assert reverse("labels:project", args=[world.project.slug]) in html


def test_a_file_not_proposed_is_no_selection_on_the_project_page(client, world):
    file = decide(world, "not_propose")
    Application.objects.filter(pk=file.application_id).update(state=ApplicationState.SELECTED)
    html = page(client, world)
    assert "Sélections" not in html
    assert world.campaign.call.title not in html


def test_a_selection_to_an_unpublished_call_stays_private(client, world):
    decide(world, "propose", "award")
    Call.objects.filter(pk=world.campaign.call_id).update(state=Call.State.DRAFT)
    assert "Sélections" not in page(client, world)


def test_the_project_page_stays_cached_for_visitors(client, world, django_assert_num_queries):
    decide(world, "propose", "award")
    page(client, world)
    with django_assert_num_queries(1):  # the generations
        page(client, world)
