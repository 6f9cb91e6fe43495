"""The label programme's managers open the annual campaign from the UI (issue 13, item 11):
year, opening, stages open and the commissions' calendar; holders apply to it from their
project's label page; the campaign page links only to the commissions one may open."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecoquartier.core.models import ActivityEvent
from ecoquartier.labels import services
from ecoquartier.labels.models import Campaign
from ecoquartier.territories.services import france
from tests.labels.factories import (
    apply,
    calendar,
    expertise_done,
    local_session,
    national_session,
    sign_and_acknowledge,
    stage,
)

NEW = reverse("labels:new_campaign")


def next_year():
    return timezone.localdate().year + 1


def form_data(year=None, **changes):
    today = timezone.localdate()
    days = {"pre_application": 10, "file_deadline": 30, "expertise_end": 60,
            "local_commissions": 90, "national_commission": 120, "ceremony": 150}  # fmt: skip
    data = {key: (today + timedelta(days=n)).isoformat() for key, n in days.items()}
    data.update(year=year or next_year(), stages=[stage("livre").pk], opens_on="")
    data.update(changes)
    return data


# --- Service ----------------------------------------------------------------------------------


def test_a_campaign_opens_with_its_stages_and_is_logged(world):
    campaign = services.create_campaign(
        world.manager, world.programme, next_year(), calendar(), perimeter=france(),
        stages=[stage("livre")],
    )  # fmt: skip
    assert [s.code for s in campaign.open_stages()] == ["livre"]
    assert ActivityEvent.objects.for_object(campaign).filter(verb="label.campaign_created").exists()


def test_without_chosen_stages_every_commission_stage_is_open(world):
    assert [s.code for s in world.campaign.open_stages()] == ["livre", "vecu"]


def test_a_file_may_aim_only_at_an_open_stage(world):
    campaign = services.create_campaign(
        world.manager, world.programme, next_year(), calendar(), perimeter=france(),
        stages=[stage("vecu")],
    )  # fmt: skip
    world.campaign = campaign
    sign_and_acknowledge(world)
    with pytest.raises(ValidationError, match="ne fait pas partie de la campagne"):
        apply(world, "livre")


def test_only_the_label_programme_managers_open_a_campaign(world):
    with pytest.raises(PermissionDenied):
        services.create_campaign(
            world.referent, world.programme, next_year(), calendar(), perimeter=france()
        )


def test_the_calendar_must_be_in_order_and_the_year_free(world):
    dates = calendar()
    dates["national_commission"] = dates["local_commissions"] - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.create_campaign(
            world.manager, world.programme, world.campaign.year, dates, perimeter=france()
        )
    assert any("« Commission nationale » doit suivre" in m for m in refused.value.messages)
    assert any("existe déjà" in m for m in refused.value.messages)


# --- Pages ------------------------------------------------------------------------------------


def test_the_label_home_offers_managers_to_open_a_campaign(client, world):
    assert NEW not in client.get(reverse("labels:index")).content.decode()
    client.force_login(world.holder)
    assert NEW not in client.get(reverse("labels:index")).content.decode()
    client.force_login(world.manager)
    assert NEW in client.get(reverse("labels:index")).content.decode()


def test_others_may_not_open_the_form(client, world):
    for user in (world.holder, world.referent):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, form_data()).status_code == 403
    assert Campaign.objects.count() == 1


def test_the_manager_opens_a_campaign_through_the_form(client, world):
    client.force_login(world.manager)
    page = client.get(NEW)
    assert page.status_code == 200
    assert page.context["form"]["year"].value() == world.campaign.year + 1
    response = client.post(NEW, form_data(year=world.campaign.year + 1))
    campaign = Campaign.objects.get(year=world.campaign.year + 1)
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert [s.code for s in campaign.open_stages()] == ["livre"]
    steps = {s.label: s.deadline for s in campaign.call.steps.all()}
    assert timezone.localtime(steps["Commission nationale"]).date() == (
        timezone.localdate() + timedelta(days=120)
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"file_deadline": "2020-01-01"}, "file_deadline", "déjà passée"),
        ({"stages": []}, "stages", "Cochez au moins une étape."),
        ({"year": "deux mille"}, "year", "Saisissez un nombre entier."),
        ({"ceremony": "<script>"}, "ceremony", "Saisissez une date valide."),
    ],
)
def test_a_wrong_form_says_why_beside_the_field(client, world, changes, field, message):
    client.force_login(world.manager)
    response = client.post(NEW, form_data(**changes))
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field])
    assert Campaign.objects.count() == 1


def test_an_existing_year_is_refused_with_the_reason(client, world):
    client.force_login(world.manager)
    response = client.post(NEW, form_data(year=world.campaign.year))
    assert response.status_code == 400
    assert "existe déjà" in response.content.decode()


def test_the_campaign_form_is_bounded_in_queries(client, world):
    client.force_login(world.manager)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(NEW).status_code == 200
    assert len(captured) <= 12


def test_the_holder_finds_the_campaign_on_its_project_label_page(client, world):
    sign_and_acknowledge(world)
    campaign = services.create_campaign(
        world.manager, world.programme, next_year(), calendar(), perimeter=france(),
        stages=[stage("livre")],
    )  # fmt: skip
    client.force_login(world.holder)
    html = client.get(reverse("labels:project", args=[world.project.slug])).content.decode()
    apply_url = reverse("labels:apply", args=[campaign.pk, world.project.slug])
    assert apply_url in html
    form = client.get(apply_url).context["form"]
    assert [s.code for s in form.fields["target_stage"].queryset] == ["livre"]


# --- Commission links on the campaign page (issue 13, item 10) ---------------------------------


def test_the_campaign_page_links_only_to_the_sessions_one_may_open(client, world):
    sign_and_acknowledge(world)
    file = expertise_done(world, apply(world))
    local = local_session(world)
    services.deliberate(world.referent, local, file, outcome="propose", motivation="Oui.")
    national = national_session(world)
    page = reverse("labels:campaign", args=[world.campaign.pk])

    client.force_login(world.referent)
    html = client.get(page).content.decode()
    assert local.get_absolute_url() in html
    assert national.get_absolute_url() not in html
    assert str(national) in html  # the calendar still says when it sits
    assert client.get(local.get_absolute_url()).status_code == 200

    client.force_login(world.manager)
    html = client.get(page).content.decode()
    for session in (local, national):
        assert session.get_absolute_url() in html
        assert client.get(session.get_absolute_url()).status_code == 200


# --- A label file starts from the project's label page, not from the call page ------------------


def test_the_call_page_of_a_campaign_sends_holders_to_their_project_label_page(client, world):
    client.force_login(world.holder)
    html = client.get(world.campaign.call.get_absolute_url()).content.decode()
    assert "se déposent depuis la page « Label ÉcoQuartier » de votre projet" in html
    start = reverse("applications:start", kwargs={"slug": world.campaign.call.slug})
    assert start not in html


def test_no_plain_application_starts_on_a_campaign(world):
    from ecoquartier.applications import services as application_services

    with pytest.raises(ValidationError, match="Label ÉcoQuartier"):
        application_services.start_application(
            world.holder, world.campaign.call, world.saint_ouen, world.project
        )
