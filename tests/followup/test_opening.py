"""Opening, changing and closing a follow-up (services), and who sees it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecoquartier.applications.models import State
from ecoquartier.core.models import ActivityEvent
from ecoquartier.followup import permissions, services
from ecoquartier.followup.models import FollowUp
from tests.followup.factories import build_support, stranger


def test_a_manager_opens_the_follow_up_of_a_selected_application_with_its_phase_plan(support):
    follow_up = support.follow_up
    assert follow_up.project == support.world.project
    assert follow_up.beneficiary == support.world.commune
    assert follow_up.days_budget == Decimal(36)
    assert [m.title for m in follow_up.milestones.order_by("order")] == [
        "Cadrage", "Diagnostic", "Stratégie", "Plan d'actions",
    ]  # fmt: skip
    assert follow_up.milestones.get(title="Cadrage").due_on == date(2025, 4, 1)
    assert sorted(follow_up.deliverables.values_list("title", flat=True)) == [
        "Diagnostic partagé", "Note de cadrage", "Plan d'actions",
    ]  # fmt: skip
    event = ActivityEvent.objects.get(verb="followup.opened")
    assert {t.object_id for t in event.targets.all()} >= {
        str(follow_up.pk),
        str(follow_up.project.pk),
        str(support.application.pk),
    }


def test_only_one_follow_up_per_application(support):
    with pytest.raises(ValidationError):
        services.open_follow_up(
            support.manager, programme=support.world.call.programme,
            project=support.world.project, beneficiary=support.world.commune,
            application=support.application,
        )  # fmt: skip


@pytest.mark.parametrize("who", ["holder", "referent", "outsider"])
def test_only_the_programme_managers_open_a_follow_up(geo, who):
    support = build_support(geo, open_it=False)
    with pytest.raises(PermissionDenied):
        services.open_follow_up(
            getattr(support, who), programme=support.world.call.programme,
            project=support.world.project, beneficiary=support.world.commune,
            application=support.application,
        )  # fmt: skip
    assert not FollowUp.objects.exists()


def test_an_application_not_selected_cannot_be_followed(geo):
    support = build_support(geo, open_it=False)
    support.application.state = State.UNDER_REVIEW
    support.application.save()
    assert not permissions.can_open_from(support.manager, support.application)


def test_who_sees_a_follow_up(support):
    follow_up = support.follow_up
    for user in (support.manager, support.holder, support.expert, support.referent):
        assert permissions.can_view(user, follow_up)
        assert permissions.visible_follow_ups(user).filter(pk=follow_up.pk).exists()
    for user in (support.outsider, stranger()):
        assert not permissions.can_view(user, follow_up)
        assert not permissions.visible_follow_ups(user).exists()


def test_changing_dates_refuses_an_end_before_the_start_and_keeps_the_follow_up(support):
    with pytest.raises(ValidationError):
        services.change_follow_up(support.manager, support.follow_up, {"ends_on": date(2024, 1, 1)})
    support.follow_up.refresh_from_db()
    assert support.follow_up.ends_on == date(2028, 1, 1)


def test_the_budget_split_by_year_is_recorded_and_logged(support):
    services.change_follow_up(
        support.manager, support.follow_up, {"days_budget": Decimal(30)},
        years={2025: Decimal(12), 2026: Decimal(12), 2027: Decimal(6)},
    )  # fmt: skip
    assert list(support.follow_up.years.values_list("year", "days")) == [
        (2025, Decimal(12)), (2026, Decimal(12)), (2027, Decimal(6)),
    ]  # fmt: skip
    assert ActivityEvent.objects.filter(verb="followup.changed").exists()


def test_a_split_that_does_not_add_up_to_the_budget_is_refused(support):
    with pytest.raises(ValidationError, match="doit égaler les jours prévus"):
        services.change_follow_up(
            support.manager, support.follow_up, {"days_budget": Decimal(36)},
            years={2025: Decimal(12), 2026: Decimal(12), 2027: Decimal(6)},
        )  # fmt: skip
    assert not support.follow_up.years.exists()


def test_the_holder_cannot_change_or_close_it(support):
    with pytest.raises(PermissionDenied):
        services.change_follow_up(support.holder, support.follow_up, {"days_budget": 99})
    with pytest.raises(PermissionDenied):
        services.close_follow_up(support.holder, support.follow_up)


def test_closing_stops_the_activities(support):
    services.close_follow_up(support.manager, support.follow_up)
    support.follow_up.refresh_from_db()
    assert support.follow_up.state == FollowUp.State.CLOSED
    assert not permissions.can_log_activity(support.expert, support.follow_up)
