"""The « Jours d'accompagnement » section: what each role sees and may do, a bounded number of
queries whatever the number of activities, and the forecast on the overview and the project."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoquartier.followup import days
from ecoquartier.followup.models import (
    Domain,
    ExpertiseRequest,
    FollowUp,
    SupportActivity,
)

Kind = SupportActivity.Kind


@pytest.fixture
def running(geo):
    """A support that started a year ago (so that today is inside its period)."""
    from tests.followup.factories import build_support

    today = timezone.localdate()
    return build_support(geo, starts_on=date(today.year - 1, 1, 1))


def url(support, name="followup:days", *args):
    return reverse(name, args=[support.follow_up.pk, *args])


def add_activities(support, count):
    """`count` activities of one half-day each, days_used kept as the services do."""
    start = support.follow_up.starts_on
    SupportActivity.objects.bulk_create(
        SupportActivity(follow_up=support.follow_up, date=start + timedelta(days=i % 300),
                        expert=support.expert, half_days=1, domain=Domain.MOBILITY,
                        kind=Kind.MEETING)
        for i in range(count)
    )  # fmt: skip
    FollowUp.objects.filter(pk=support.follow_up.pk).update(days_used=Decimal(count) / 2)


def test_the_expert_logs_an_activity_from_the_page(client, running):
    client.force_login(running.expert)
    page = client.get(url(running)).content.decode()
    assert "Consigner une intervention" in page and "<svg" in page
    assert "Aucune intervention consignée : pas encore de prévision." in page
    assert "Demander une expertise" not in page
    form = client.get(url(running, "followup:days_log"))  # the page the link leads to
    assert form.status_code == 200 and "Consigner l&#x27;intervention" in form.content.decode()
    today = timezone.localdate()
    response = client.post(
        url(running, "followup:days_log"),
        {"date": today.isoformat(), "expert": running.expert.pk, "half_days": "3",
         "domain": Domain.RISKS, "kind": Kind.SITE_VISIT, "notes": "Visite du site"},
    )  # fmt: skip
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=running.follow_up.pk).days_used == Decimal("1.5")
    page = client.get(url(running)).content.decode()
    assert "Visite du site" in page and "Au rythme actuel" in page


def test_an_invalid_activity_comes_back_with_its_errors(client, running):
    client.force_login(running.expert)
    response = client.post(
        url(running, "followup:days_log"),
        {"date": "2001-01-01", "expert": running.expert.pk, "half_days": "1",
         "domain": Domain.RISKS, "kind": Kind.SITE_VISIT},
    )  # fmt: skip
    assert response.status_code == 400
    assert "période de l&#x27;accompagnement" in response.content.decode()
    assert not SupportActivity.objects.exists()


def test_the_holder_reads_the_days_and_files_a_request_but_logs_nothing(client, running):
    client.force_login(running.holder)
    page = client.get(url(running)).content.decode()
    assert "Demander une expertise" in page and "Consigner une intervention" not in page
    assert client.get(url(running, "followup:days_log")).status_code == 403
    assert client.post(url(running, "followup:days_log"), {}).status_code == 403
    response = client.post(
        url(running, "followup:days_request"),
        {"subject": "Étude de stationnement", "domain": Domain.MOBILITY},
    )
    assert response.status_code == 302
    assert ExpertiseRequest.objects.get().subject == "Étude de stationnement"


def test_the_expert_answers_a_request_from_the_page(client, running):
    request = days.file_request(
        running.holder, running.follow_up, subject="Étude", domain=Domain.MOBILITY
    )
    client.force_login(running.expert)
    assert "Décliner" in client.get(url(running)).content.decode()
    answer = url(running, "followup:days_request_answer", request.pk, "decline")
    client.post(answer, {"version": request.version})  # no answer: refused
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.SUBMITTED
    client.post(answer, {"version": request.version, f"r{request.pk}-answer": "Pas ce mois-ci."})
    assert ExpertiseRequest.objects.get().state == ExpertiseRequest.State.DECLINED
    client.force_login(running.holder)
    assert client.post(answer, {}).status_code == 403


def test_the_expert_changes_then_deletes_an_activity(client, running):
    activity = days.log_activity(
        running.expert, running.follow_up, date=running.follow_up.starts_on, half_days=2,
        domain=Domain.ENERGY, kind=Kind.ADVICE_NOTE,
    )  # fmt: skip
    client.force_login(running.holder)
    assert client.get(url(running, "followup:days_activity_edit", activity.pk)).status_code == 403
    client.force_login(running.expert)
    edit = url(running, "followup:days_activity_edit", activity.pk)
    assert "Modifier l&#x27;intervention du" in client.get(edit).content.decode()
    response = client.post(
        edit,
        {"date": activity.date.isoformat(), "expert": running.expert.pk, "half_days": "5",
         "domain": Domain.ENERGY, "kind": Kind.ADVICE_NOTE},
    )  # fmt: skip
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=running.follow_up.pk).days_used == Decimal("2.5")
    client.post(url(running, "followup:days_activity_delete", activity.pk))
    assert FollowUp.objects.get(pk=running.follow_up.pk).days_used == 0


@pytest.mark.parametrize("who", ["expert", "holder"])
def test_the_page_is_bounded_in_queries(client, running, who, django_assert_max_num_queries):
    client.force_login(getattr(running, who))
    days.file_request(running.holder, running.follow_up, subject="Étude", domain=Domain.RISKS)
    add_activities(running, 2)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url(running)).status_code == 200
    add_activities(running, 200)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url(running))
    assert page.status_code == 200
    assert "101" in page.content.decode()  # 202 half-days


def test_ahead_of_plan_is_a_warning(client, running):
    add_activities(running, 60)  # 30 days in the first year of three
    running.follow_up.refresh_from_db()
    client.force_login(running.manager)
    page = client.get(url(running)).content.decode()
    assert "en avance sur le plan" in page


def test_the_overview_and_the_project_show_days_left_and_the_forecast(client, running):
    days.log_activity(
        running.expert, running.follow_up, date=running.follow_up.starts_on, half_days=4,
        domain=Domain.ENERGY, kind=Kind.ADVICE_NOTE,
    )  # fmt: skip
    client.force_login(running.holder)
    overview = client.get(reverse("followup:detail", args=[running.follow_up.pk])).content
    assert "Au rythme actuel" in overview.decode()
    project = client.get(reverse("followup:project", args=[running.world.project.slug]))
    text = project.content.decode()
    assert "Jours restants : 34" in text and "Au rythme actuel" in text
