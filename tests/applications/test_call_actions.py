"""The applying part of a call page: "Candidater", resume or see one's application, or why not
(issue 13, item 3, first part)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecoquartier.applications import reads, services
from ecoquartier.calls.models import Call, CallStep
from tests.accounts.factories import UserFactory
from tests.applications.factories import submitted_application
from tests.calls.factories import CallFactory


def page(client, world):
    return client.get(world.call.get_absolute_url()).content.decode()


def start_url(world):
    return reverse("applications:start", args=[world.call.slug])


def test_a_visitor_is_offered_to_sign_in_and_come_back(client, world):
    html = page(client, world)
    assert "Se connecter pour candidater" in html
    assert f"?next={world.call.get_absolute_url()}" in html
    assert start_url(world) not in html


def test_a_holder_can_start_from_the_call_page_then_resume_then_see(client, world):
    client.force_login(world.holder)
    assert start_url(world) in page(client, world)
    application = services.start_application(world.holder, world.call, world.commune)
    html = page(client, world)
    assert reverse("applications:edit", args=[application.pk]) in html
    assert "Reprendre ma candidature" in html and "Déposer une autre candidature" in html
    submitted = submitted_application(world)
    html = page(client, world)
    assert reverse("applications:detail", args=[submitted.pk]) in html
    assert "Voir ma candidature" in html


def test_a_user_without_an_organisation_is_told_why(client, world):
    client.force_login(UserFactory())
    html = page(client, world)
    assert start_url(world) not in html
    assert "aucune organisation" in html


def test_no_button_before_the_forms_are_published_or_after_the_deadline(client, world):
    client.force_login(world.holder)
    world.call.steps.update(deadline=timezone.now() - timedelta(days=1))
    Call.objects.filter(pk=world.call.pk).refresh_deadlines()
    html = page(client, world)
    assert start_url(world) not in html
    assert "Se connecter" not in html  # a closed call offers visitors nothing either


@pytest.mark.parametrize("state", [Call.State.DRAFT])
def test_nothing_is_offered_on_a_draft_call(world, state):
    request = RequestFactory().get("/")
    request.user = world.holder
    call = Call.objects.with_status(timezone.now()).get(pk=world.call.pk)
    call.state = state
    assert reads.call_actions(call, request) == {}


def test_forms_not_published_yet(world):
    CallStep.objects.filter(call=world.call).update(deadline=timezone.now() + timedelta(days=30))
    world.call.steps.all()[0].forms.update(published_at=None)
    world.call.steps.all()[1].forms.update(published_at=None)
    request = RequestFactory().get("/")
    request.user = world.holder
    call = Call.objects.with_status(timezone.now()).get(pk=world.call.pk)
    actions = reads.call_actions(call, request)
    assert actions["can_start"] is False
    assert "pas encore publié" in actions["reason"]


def test_the_panel_costs_the_same_queries_whatever_the_number_of_applications(client, world):
    client.force_login(world.holder)
    services.start_application(world.holder, world.call, world.commune)
    page(client, world)  # warm the visitors' cache and the session
    with CaptureQueriesContext(connection) as one:
        page(client, world)
    for _ in range(5):
        services.start_application(world.holder, world.call, world.commune)
    page(client, world)
    with CaptureQueriesContext(connection) as six:
        assert page(client, world).count("Reprendre ma candidature") == 6
    assert len(six) == len(one)


# --- On the finder's cards ----------------------------------------------------------------------

FINDER = reverse("calls:finder")


def card(html, title):
    """The HTML of the finder's card titled `title`."""
    start = html.index(f">{title}</a></h3>")
    return html[start : html.index("</article>", start)]


def test_the_finder_card_offers_candidater_then_resume_then_see(client, world):
    client.force_login(world.holder)
    html = client.get(FINDER).content.decode()
    assert start_url(world) in card(html, world.call.title)
    assert "Candidater" in card(html, world.call.title)
    application = services.start_application(world.holder, world.call, world.commune)
    html = card(client.get(FINDER).content.decode(), world.call.title)
    assert reverse("applications:edit", args=[application.pk]) in html
    assert "Reprendre ma candidature" in html and start_url(world) not in html


def test_the_finder_card_offers_visitors_and_users_without_organisation_nothing(client, world):
    assert start_url(world) not in client.get(FINDER).content.decode()
    client.force_login(UserFactory())
    assert start_url(world) not in client.get(FINDER).content.decode()


def test_the_finder_card_offers_no_candidater_to_an_ineligible_organisation(client, world):
    Call.objects.filter(pk=world.call.pk).update(population_max=10)  # Reillanne is bigger
    client.force_login(world.holder)
    html = card(client.get(FINDER).content.decode(), world.call.title)
    assert "Non éligible" in html  # and the finder's own reasons, beside it
    assert start_url(world) not in html


def test_the_finder_card_says_soon_and_offers_nothing_before_a_form_is_published(client, world):
    fresh = CallFactory(title="Appel sans formulaire", perimeter=world.call.perimeter)
    client.force_login(world.holder)
    html = card(client.get(FINDER).content.decode(), fresh.title)
    assert "Bientôt ouvert" in html
    assert reverse("applications:start", args=[fresh.slug]) not in html


def test_the_finder_costs_the_same_queries_whatever_the_calls_and_applications(client, world):
    client.force_login(world.holder)
    client.get(FINDER)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(FINDER)
    for i in range(4):
        call = CallFactory(title=f"Autre appel {i}", perimeter=world.call.perimeter)
        services.build_form(call.steps.get(), "application", publish=True)
        if i % 2:
            services.start_application(world.holder, call, world.commune)
    client.get(FINDER)
    with CaptureQueriesContext(connection) as five:
        html = client.get(FINDER).content.decode()
    assert html.count("Reprendre ma candidature") == 2 and html.count(">Candidater<") == 3
    assert len(five) == len(one)


def test_an_upcoming_call_says_when_it_opens(world):
    Call.objects.filter(pk=world.call.pk).update(opens_at=timezone.now() + timedelta(days=3))
    request = RequestFactory().get("/")
    request.user = world.holder
    call = Call.objects.with_status(timezone.now()).get(pk=world.call.pk)
    actions = reads.call_actions(call, request)
    assert actions["can_start"] is False
    assert actions["reason"].startswith("Les candidatures ouvrent le ")


def test_the_call_page_says_why_an_ineligible_organisation_cannot_apply(client, world):
    Call.objects.filter(pk=world.call.pk).update(population_max=10)
    client.force_login(world.holder)
    html = page(client, world)
    assert start_url(world) not in html
    assert "ne remplit pas les critères d’éligibilité" in html


def test_candidater_carries_the_organisation_and_project_picked_on_the_page(client, world):
    client.force_login(world.holder)
    query = f"?pour={world.commune.pk}&projet={world.project.pk}"
    html = client.get(world.call.get_absolute_url() + query).content.decode()
    assert f"{start_url(world)}?pour={world.commune.pk}&amp;projet={world.project.pk}" in html
